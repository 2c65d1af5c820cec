package disclosure

import (
	"fmt"
	"time"
)

// Day is a calendar day in a site's time zone, counted from 1970-01-01.
// Public statistics are about whole days only, so that a published number
// never depends on the time of day it was computed.
type Day int32

const dayLayout = "2006-01-02"

// Days before minDay or after maxDay are refused by ParseDay: no data can
// be there, and bounded periods keep queries bounded.
var (
	minDay = DayFromDate(2000, time.January, 1)
	maxDay = DayFromDate(2200, time.December, 31)
)

// DayFromDate returns the day of a civil date.
func DayFromDate(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// DayOf returns the day holding instant t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return DayFromDate(y, m, d)
}

// ParseDay reads a date written as 2006-01-02.
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(dayLayout, s)
	if err != nil || len(s) != len(dayLayout) {
		return 0, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	d := DayFromDate(t.Date())
	if d < minDay || d > maxDay {
		return 0, fmt.Errorf("date %q: out of range (2000-01-01 to 2200-12-31)", s)
	}
	return d, nil
}

// Date returns the civil date of d.
func (d Day) Date() (int, time.Month, int) {
	return time.Unix(int64(d)*86400, 0).UTC().Date()
}

// String formats d as 2006-01-02.
func (d Day) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(dayLayout)
}

// Start returns the first instant of d in loc.
func (d Day) Start(loc *time.Location) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Kind is the length of a publication period.
type Kind uint8

// The publication periods. Weeks run Monday to Sunday; blocks are four
// consecutive weeks on a fixed grid. Periods of one kind tile the
// calendar and every week lies inside exactly one block, so two published
// periods are either disjoint or nested: no two reports can be subtracted
// to isolate a part of a period (docs/publishing.md).
const (
	Week  Kind = 7
	Block Kind = 28
)

// epochMonday is the Monday the period grid starts from (1970-01-05).
const epochMonday Day = 4

// Period is one week or one block.
type Period struct {
	Kind  Kind
	Start Day
}

// PeriodOf returns the period of kind k holding d.
func PeriodOf(k Kind, d Day) Period {
	n := int32(k)
	off := (int32(d-epochMonday)%n + n) % n
	return Period{Kind: k, Start: d - Day(off)}
}

// End returns the day after the period's last day.
func (p Period) End() Day { return p.Start + Day(p.Kind) }

// Last returns the period's last day.
func (p Period) Last() Day { return p.End() - 1 }

// Prev returns the period before p.
func (p Period) Prev() Period { return Period{Kind: p.Kind, Start: p.Start - Day(p.Kind)} }

// Weeks returns the weeks of a block (a week's only week is itself).
func (p Period) Weeks() []Period {
	var out []Period
	for d := p.Start; d < p.End(); d += Day(Week) {
		out = append(out, Period{Kind: Week, Start: d})
	}
	return out
}

// Contains reports whether d lies in p.
func (p Period) Contains(d Day) bool { return d >= p.Start && d < p.End() }

// String names the period: "week 2026-03-02" or "block 2026-02-09".
func (p Period) String() string {
	if p.Kind == Block {
		return "block " + p.Start.String()
	}
	return "week " + p.Start.String()
}

// LastComplete returns the latest period of kind k that ended at least
// settle before now, in loc. The delay lets rows of the period's last
// minutes (the applier's next batch, engagement reports, a replayed
// write-ahead log) reach the store before the period is frozen.
func LastComplete(k Kind, now time.Time, loc *time.Location, settle time.Duration) Period {
	p := PeriodOf(k, DayOf(now.Add(-settle), loc))
	return p.Prev()
}

// Complete returns when p becomes complete: settle after its end.
func (p Period) Complete(loc *time.Location, settle time.Duration) time.Time {
	return p.End().Start(loc).Add(settle)
}
