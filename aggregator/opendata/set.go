package opendata

import (
	"context"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/site"
)

// Set is a site's current public reports: the daily totals of the last
// four complete weeks, the monthly totals of the last twelve complete
// months, and the breakdowns of the last complete block and of its last
// week. It is immutable.
//
// The 7-day breakdowns are the block's last week, not the latest week, so
// that a breakdown's 7 and 28 days end on the same date: blocks lie on a
// fixed grid (a sliding 28 days would subtract to single days,
// docs/publishing.md), so the two can only end together at a block's end.
type Set struct {
	Site     string
	TimeZone string
	// Week is the last complete week: the daily totals end with it.
	Week disclosure.Period
	// Block is the last complete block.
	Block disclosure.Period
	// NextWeek, NextBlock and NextMonth are when the next daily totals,
	// breakdowns and month are published.
	NextWeek, NextBlock, NextMonth time.Time
	// Rules are the site's rules now (those of each report are in it).
	Rules   disclosure.Rules
	Reports []*Report // catalogue order, without the realtime report
}

func (s *Set) withRules(r disclosure.Rules) *Set {
	c := *s
	c.Rules = r
	return &c
}

// Report returns the named report of the set.
func (s *Set) Report(name string) (*Report, bool) {
	for _, r := range s.Reports {
		if r.Name == name {
			return r, true
		}
	}
	return nil, false
}

// ListWeek is the week of the 7-day breakdowns: the block's last.
func (s *Set) ListWeek() disclosure.Period { return lastWeek(s.Block) }

func lastWeek(b disclosure.Period) disclosure.Period {
	return disclosure.Period{Kind: disclosure.Week, Start: b.End() - disclosure.Day(disclosure.Week)}
}

// dailyWeeks is how many weeks the daily report covers.
const dailyWeeks = 4

// build freezes what is due and assembles the set.
func (p *Publisher) build(ctx context.Context, st *site.Site, rules disclosure.Rules, week, block disclosure.Period) (*Set, error) {
	cutoff := disclosure.DayOf(retention.Cutoff(st, p.cfg.Now()), st.Location)
	// Periods beginning before a purge are not frozen again either.
	purged, err := p.archive.PurgedBefore(st.Domain)
	if err != nil {
		return nil, err
	}
	cutoff = max(cutoff, purged)
	recs := map[disclosure.Period]*record{}
	ensure := func(w disclosure.Period) error {
		if _, done := recs[w]; done {
			return nil
		}
		rec, err := p.ensureWeek(ctx, st, rules, w, cutoff)
		recs[w] = rec
		return err
	}
	daily := make([]disclosure.Period, dailyWeeks)
	for i := range daily {
		daily[dailyWeeks-1-i] = disclosure.Period{Kind: disclosure.Week, Start: week.Start - disclosure.Day(7*i)}
	}
	months := lastMonths(week, monthlyMonths)
	var monthWeeks []disclosure.Period
	for _, m := range months {
		monthWeeks = append(monthWeeks, m.weeks()...)
	}
	for _, w := range append(append(daily, block.Weeks()...), monthWeeks...) {
		if err := ensure(w); err != nil {
			return nil, err
		}
	}
	blockRec, err := p.ensureBlock(ctx, st, block, recs)
	if err != nil {
		return nil, err
	}
	set := &Set{Site: st.Domain, TimeZone: st.Location.String(), Week: week, Block: block,
		NextWeek:  disclosure.Period{Kind: disclosure.Week, Start: week.End()}.Complete(st.Location, p.cfg.Settle),
		NextBlock: disclosure.Period{Kind: disclosure.Block, Start: block.End()}.Complete(st.Location, p.cfg.Settle),
		NextMonth: monthComplete(monthOf(months[len(months)-1].last+1), st.Location, p.cfg.Settle)}
	dailyRecs := make([]*record, len(daily))
	for i, w := range daily {
		dailyRecs[i] = recs[w]
	}
	set.Reports = append(set.Reports, dailyReport(daily, dailyRecs, st),
		monthlyReport(months, recs, recs[lastWeekOf(months)], st))
	list := lastWeek(block)
	for i := range families {
		f := &families[i]
		if f.weekly {
			set.Reports = append(set.Reports, familyReport(f, list, recs[list], st))
		}
		set.Reports = append(set.Reports, familyReport(f, block, blockRec, st))
	}
	return set, nil
}

// ensureWeek returns a week's record, freezing it if needed; nil when the
// week starts before the retention cut-off (its rows may be gone).
func (p *Publisher) ensureWeek(ctx context.Context, st *site.Site, r disclosure.Rules, w disclosure.Period, cutoff disclosure.Day) (*record, error) {
	rec, ok, err := p.archive.load(st.Domain, w)
	if err != nil || ok {
		return rec, err
	}
	if w.Start < cutoff {
		return nil, nil
	}
	return p.freezeWeek(ctx, st, r, w)
}

// ensureBlock returns a block's record, freezing it if needed; nil when a
// week of it is unavailable.
func (p *Publisher) ensureBlock(ctx context.Context, st *site.Site, b disclosure.Period, recs map[disclosure.Period]*record) (*record, error) {
	rec, ok, err := p.archive.load(st.Domain, b)
	if err != nil || ok {
		return rec, err
	}
	var weeks []*record
	for _, w := range b.Weeks() {
		if recs[w] == nil {
			return nil, nil
		}
		weeks = append(weeks, recs[w])
	}
	return p.freezeBlock(ctx, st, b, weeks)
}

// Realtime returns the realtime report for a count of visitors active
// right now (ok false when no collector runs in this process).
func (s *Set) Realtime(count int, ok bool, now time.Time) *Report {
	r := &Report{
		Name: RealtimeReport, Site: s.Site, Measures: []string{"active_visitors"}, TimeZone: s.TimeZone,
		Rules: s.Rules, TakenAt: now.UTC().Truncate(time.Minute),
	}
	v := int64(count)
	switch {
	case s.Rules.Noisy():
		// Each visitor would count in hundreds of realtime values a day:
		// no share of a daily budget can cover them.
		r.Withheld = withheldNoise
	case !ok:
		r.Withheld = withheldUnavailable
	case s.Rules.Small(v):
		r.Withheld = withheldSmall
	default:
		// Two readings a minute apart differ by the visitors who came
		// or left in between. Rounded down to a multiple of k (or of the
		// rounding, when coarser), every difference is 0 or at least k.
		g := max(s.Rules.K, s.Rules.RoundTo)
		n := v / g * g
		r.Rows = []Row{{Counts: []*int64{&n}}}
	}
	return r
}
