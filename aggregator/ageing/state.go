// Package ageing makes stored rows coarser with age (DESIGN §1.6): a
// site's rows keep minute resolution for the recent past, are then merged
// to hours and later to days, and lose their most identifying detail on
// the way. Merging adds up the signed counters of rows that agree on every
// remaining column, so every query whose time grain is at least the new
// grain gives the same answer as before; a query that would need a finer
// grain or a dropped column over an aged period is refused with an
// explanation (Check), never answered wrongly.
//
// The package holds what every store shares: the grains, the per-site
// State a store keeps (how far each step has been promised), the targets a
// policy sets at a given time, the refusal rules, the chunks a store merges
// one at a time, the audit of what is at rest, and the background Job.
// Each store does the merging itself (duckstore in one transaction per
// chunk, chstore with a commit table); see docs/ageing.md.
package ageing

import (
	"time"

	"github.com/shukei-analytics/shukei/site"
)

// Grain is the time resolution of a stored row, kept in the row's grain
// column.
type Grain uint8

// The grains of event rows. A rollup row is either Quarter (a quarter of
// an hour in UTC, as the collector's batches write them) or Day.
const (
	Minute Grain = 0
	Hour   Grain = 1
	Day    Grain = 2
	// DayGeneral is a day whose rows have lost the Generalised columns.
	DayGeneral Grain = 3

	Quarter Grain = 0 // rollup rows only
)

// String names the grain as the audit prints it.
func (g Grain) String() string {
	switch g {
	case Minute:
		return "minute"
	case Hour:
		return "hour"
	case Day:
		return "day"
	case DayGeneral:
		return "day (generalised)"
	}
	return "unknown"
}

// State is what a store has promised about one site's rows: every row
// before HourBefore is at hour resolution or coarser, before DayBefore at
// day resolution, before GeneralBefore without the Generalised columns,
// and every rollup row before RollupDayBefore covers a whole day. The
// promise is recorded before the rows are merged, so a query is refused as
// soon as the merge may start. Hours and days are those of Location, the
// site's time zone when ageing first ran; they stay in that zone if the
// site's time zone changes later.
//
// The zero State promises nothing (no row has been aged).
type State struct {
	Location        *time.Location
	HourBefore      time.Time
	DayBefore       time.Time
	GeneralBefore   time.Time
	RollupDayBefore time.Time
}

// IsZero reports whether the state promises nothing.
func (s State) IsZero() bool {
	return s.HourBefore.IsZero() && s.DayBefore.IsZero() && s.GeneralBefore.IsZero() && s.RollupDayBefore.IsZero()
}

// Equal reports whether two states promise the same.
func (s State) Equal(o State) bool {
	return s.locationName() == o.locationName() && s.HourBefore.Equal(o.HourBefore) && s.DayBefore.Equal(o.DayBefore) &&
		s.GeneralBefore.Equal(o.GeneralBefore) && s.RollupDayBefore.Equal(o.RollupDayBefore)
}

func (s State) locationName() string {
	if s.Location == nil {
		return ""
	}
	return s.Location.String()
}

// EventGrain is the grain promised for event rows at instant t.
func (s State) EventGrain(t time.Time) Grain {
	switch {
	case t.Before(s.GeneralBefore):
		return DayGeneral
	case t.Before(s.DayBefore):
		return Day
	case t.Before(s.HourBefore):
		return Hour
	}
	return Minute
}

// Target returns the state the site's policy asks for at now, never behind
// cur: each step's boundary is the start of the hour (or day) in which the
// step's window ends, in cur's zone, or the site's when cur has none.
// Rollup rows become days once their day is over.
func Target(st *site.Site, cur State, now time.Time) State {
	pol := st.AgeingPolicy()
	loc := cur.Location
	if loc == nil {
		loc = st.Location
	}
	if loc == nil {
		loc = time.UTC
	}
	next := State{
		Location:        loc,
		HourBefore:      StartOfHour(now.Add(-pol.MinuteFor), loc),
		DayBefore:       StartOfDay(now.Add(-pol.HourFor), loc),
		RollupDayBefore: StartOfDay(now, loc),
	}
	if pol.Generalise() {
		next.GeneralBefore = next.DayBefore
	}
	return Later(cur, next)
}

// Later returns the state promising the most of a and b, in a's zone when
// it has one.
func Later(a, b State) State {
	out := a
	if out.Location == nil {
		out.Location = b.Location
	}
	out.HourBefore = latest(a.HourBefore, b.HourBefore)
	out.DayBefore = latest(a.DayBefore, b.DayBefore)
	out.GeneralBefore = latest(a.GeneralBefore, b.GeneralBefore)
	out.RollupDayBefore = latest(a.RollupDayBefore, b.RollupDayBefore)
	// A day boundary is an hour boundary too: the hour step never lags
	// the day step.
	out.HourBefore = latest(out.HourBefore, out.DayBefore)
	return out
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a.UTC()
	}
	return b.UTC()
}

// StartOfHour returns the start of the wall-clock hour of loc holding t
// (zones whose offset is not whole hours start their hours off the UTC
// hour).
func StartOfHour(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return l.Add(-time.Duration(l.Minute())*time.Minute - time.Duration(l.Second())*time.Second - time.Duration(l.Nanosecond())).UTC()
}

// StartOfDay returns the instant the day of loc holding t began.
func StartOfDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).UTC()
}

// IsHourStart reports whether t starts an hour of loc.
func IsHourStart(t time.Time, loc *time.Location) bool {
	return StartOfHour(t, loc).Equal(t)
}

// IsDayStart reports whether t starts a day of loc.
func IsDayStart(t time.Time, loc *time.Location) bool {
	return StartOfDay(t, loc).Equal(t)
}

// IsQuarterStart reports whether t starts a quarter of an hour in UTC,
// the grain of recent rollup rows (every zone's hours start on one).
func IsQuarterStart(t time.Time) bool {
	return t.Unix()%900 == 0 && t.Nanosecond() == 0
}
