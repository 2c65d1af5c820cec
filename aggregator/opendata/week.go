package opendata

import (
	"context"
	"fmt"
	"strconv"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// freezeWeek computes a complete week, draws its noise, decides what is
// published and writes the record, in that order: nothing of it is
// served before it is on disk.
func (p *Publisher) freezeWeek(ctx context.Context, st *site.Site, r disclosure.Rules, w disclosure.Period) (*record, error) {
	f := fetcher{q: p.deps.Store, site: st}
	cells, err := f.week(ctx, w)
	if err != nil {
		return nil, err
	}
	rec := &record{
		Version: recordVersion, Site: st.Domain, Kind: "week", Start: w.Start.String(),
		TimeZone: st.Location.String(), Rules: recordRules(r), FrozenAt: p.cfg.Now().UTC(),
		Days: cells.days, Cells: map[string][]cellRecord{}, TermDays: cells.termDays,
	}
	for name, days := range cells.useDays {
		if len(days) > 0 {
			if rec.UseDays == nil {
				rec.UseDays = map[string]map[string]int64{}
			}
			rec.UseDays[name] = days
		}
	}
	for name, cs := range cells.cells {
		rec.Cells[name] = fromCells(cs)
	}
	if r.Noisy() {
		if err := p.drawWeekNoise(rec, r); err != nil {
			return nil, err
		}
	}
	publishWeek(rec, r)
	if err := p.archive.save(st.Domain, w, rec); err != nil {
		return nil, err
	}
	p.metrics.frozen.WithLabelValues("week").Inc()
	return rec, nil
}

// drawWeekNoise draws one noise value per day and per value of each
// noisy breakdown: the only noise this week's counts ever get.
func (p *Publisher) drawWeekNoise(rec *record, r disclosure.Rules) error {
	rec.DayNoise = make([]int64, len(rec.Days))
	for i := range rec.DayNoise {
		z, err := p.noise.Laplace(scale(r, 1), rec.noiseID(DailyReport, strconv.Itoa(i))...)
		if err != nil {
			return fmt.Errorf("opendata: noise: %w", err)
		}
		rec.DayNoise[i] = z
	}
	rec.CellNoise = map[string]map[string]int64{}
	for i := range families {
		f := &families[i]
		if !f.noisy {
			continue
		}
		m := map[string]int64{}
		for _, c := range rec.Cells[f.name] {
			z, err := p.noise.Laplace(scale(r, f.sensitivity), rec.noiseID(f.name, c.Key)...)
			if err != nil {
				return fmt.Errorf("opendata: noise: %w", err)
			}
			m[c.Key] = z
		}
		rec.CellNoise[f.name] = m
	}
	return nil
}

// publishWeek decides a week's totals, days and 7-day reports.
func publishWeek(rec *record, r disclosure.Rules) {
	days := dayValues(rec, r)
	parent := sumCounts(days)
	shown := r.Parts(parent, days)
	if !r.Noisy() {
		// A month's total reveals what a week's hidden days add up to on
		// each side of the month boundary (month.go).
		shown = r.PartsIn(parent, days, monthSides(rec))
	}
	if r.FewPeople(dayVisitors(rec.Days), 1) {
		// The week's visitors are fewer than k people.
		shown = nil
	}
	rec.Reports = map[string]reportRecord{}
	if shown == nil {
		rec.Totals = totalsRecord{Withheld: withheldSmall}
	} else {
		rec.Totals = totalsRecord{Total: roundAll(r, parent), Days: make([][]int64, len(days))}
		for i, d := range days {
			if shown[i] {
				rec.Totals.Days[i] = roundAll(r, d)
			}
		}
	}
	for i := range families {
		f := &families[i]
		if !f.weekly || !f.published(r.Noisy()) {
			continue
		}
		if f.isTied() && shown == nil {
			rec.Reports[f.name] = reportRecord{Withheld: withheldTotal}
			continue
		}
		cells := weekCellValues(rec, f, r)
		opts := disclosure.SplitOptions{Eligible: func(i int) bool { return f.check(cells[i].Key) }}
		if r.Noisy() {
			opts.Threshold, opts.NoOther = keyThreshold(r, f, 1), true
		} else {
			opts.PerDay, opts.NoOther = f.perDay(), !f.hasOther()
		}
		b := r.Split(cells, opts)
		rec.Reports[f.name] = report(r, cells, b, otherOf(r, f, cells, b, parent[0]))
	}
}
