package opendata

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// freezeBlock decides a complete block from its four frozen weeks: its
// counts are the sums of theirs, so the block and the weeks form one
// consistent system that the suppression audits as a whole.
func (p *Publisher) freezeBlock(ctx context.Context, st *site.Site, b disclosure.Period, weeks []*record) (*record, error) {
	rec := &record{
		Version: recordVersion, Site: st.Domain, Kind: "block", Start: b.Start.String(),
		TimeZone: st.Location.String(), Rules: weeks[0].Rules, FrozenAt: p.cfg.Now().UTC(),
		Reports: map[string]reportRecord{},
	}
	r, err := weeks[0].Rules.rules()
	if err != nil {
		return nil, err
	}
	same := !slices.ContainsFunc(weeks, func(w *record) bool { return w.Rules != weeks[0].Rules })
	switch {
	case !same:
		withholdAll(rec, withheldRules)
	default:
		if r.Noisy() {
			if err := p.drawBlockNoise(rec, weeks, r); err != nil {
				return nil, err
			}
		}
		publishBlock(rec, weeks, r)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := p.archive.save(st.Domain, b, rec); err != nil {
		return nil, err
	}
	p.metrics.frozen.WithLabelValues("block").Inc()
	return rec, nil
}

// withholdAll publishes nothing of a period.
func withholdAll(rec *record, why string) {
	rec.Totals = totalsRecord{Withheld: why}
	for i := range families {
		rec.Reports[families[i].name] = reportRecord{Withheld: why}
	}
}

// drawBlockNoise draws noise for the weeks in which a value of the block
// was absent, so that its 28-day count is a sum of four noisy weeks like
// every other value's.
func (p *Publisher) drawBlockNoise(rec *record, weeks []*record, r disclosure.Rules) error {
	rec.BlockNoise = map[string]map[string][]int64{}
	for i := range families {
		f := &families[i]
		if !f.noisy {
			continue
		}
		m := map[string][]int64{}
		for _, key := range blockKeys(weeks, f) {
			draws := make([]int64, len(weeks))
			for w, wr := range weeks {
				if _, ok := wr.CellNoise[f.name][key]; ok {
					continue
				}
				z, err := p.noise.Laplace(scale(r, f.sensitivity), rec.noiseID(f.name, key, strconv.Itoa(w))...)
				if err != nil {
					return fmt.Errorf("opendata: noise: %w", err)
				}
				draws[w] = z
			}
			m[key] = draws
		}
		rec.BlockNoise[f.name] = m
	}
	return nil
}

// blockKeys lists the values of f seen in any week, sorted.
func blockKeys(weeks []*record, f *family) []string {
	seen := map[string]bool{}
	var keys []string
	for _, w := range weeks {
		for _, c := range w.Cells[f.name] {
			if !seen[c.Key] {
				seen[c.Key] = true
				keys = append(keys, c.Key)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// publishBlock decides a block's total and 28-day reports.
func publishBlock(rec *record, weeks []*record, r disclosure.Rules) {
	parent, residual := make([]int64, 0), []int64(nil)
	for _, w := range weeks {
		t := sumCounts(dayValues(w, r))
		parent = addTo(parent, t)
		if w.Totals.Withheld != "" {
			residual = addTo(residual, t)
		}
	}
	// The weeks whose totals were withheld add up to the block's total
	// minus the published weeks: that must not be small either. The
	// block's visitors must be k people (disclosure/people.go).
	if r.AnySmall(parent) || r.AnySmall(residual) || r.FewPeople(blockDayVisitors(weeks), 1) {
		rec.Totals = totalsRecord{Withheld: withheldSmall}
	} else {
		rec.Totals = totalsRecord{Total: roundAll(r, parent)}
	}
	for i := range families {
		f := &families[i]
		if !f.published(r.Noisy()) {
			continue
		}
		if f.isTied() && rec.Totals.Withheld != "" {
			rec.Reports[f.name] = reportRecord{Withheld: withheldTotal}
			continue
		}
		cells := blockCells(rec, weeks, f, r)
		flat := make([]disclosure.Cell, len(cells))
		for j, c := range cells {
			flat[j] = disclosure.Cell{Key: c.Key, Counts: c.Counts()}
		}
		opts := disclosure.SplitOptions{Eligible: func(j int) bool { return blockEligible(f, weeks, r, cells[j].Key) }}
		if r.Noisy() {
			opts.Threshold, opts.NoOther = keyThreshold(r, f, len(weeks)), true
		} else {
			opts.PerDay, opts.NoOther = f.perDay(), !f.hasOther()
		}
		b := r.SplitBlock(cells, opts)
		rec.Reports[f.name] = report(r, flat, b, otherOf(r, f, flat, b, parent[0]))
	}
}

// blockEligible: a value may be named, and a search term or a file was
// used on at least k days of the block.
func blockEligible(f *family, weeks []*record, r disclosure.Rules, key string) bool {
	if !f.check(key) {
		return false
	}
	if !f.termLike {
		return true
	}
	var days int64
	for _, w := range weeks {
		days += w.daysOf(f, key)
	}
	return days >= r.K
}

// blockCells builds each value's weekly counts (exact, or noisy visitors)
// and whether each week's report showed it.
func blockCells(rec *record, weeks []*record, f *family, r disclosure.Rules) []disclosure.BlockCell {
	keys := blockKeys(weeks, f)
	index := make(map[string]int, len(keys))
	cells := make([]disclosure.BlockCell, len(keys))
	measures := len(f.metrics)
	if r.Noisy() {
		measures = 1
	}
	for i, k := range keys {
		index[k] = i
		cells[i] = disclosure.BlockCell{Key: k, Weeks: make([][]int64, len(weeks)), ShownWeekly: make([]bool, len(weeks))}
		for w := range weeks {
			cells[i].Weeks[w] = make([]int64, measures)
			if r.Noisy() {
				cells[i].Weeks[w][0] = rec.BlockNoise[f.name][k][w]
			}
		}
	}
	if !r.Noisy() {
		for i := range cells {
			cells[i].Days = make([]int64, 0, 7*len(weeks))
		}
	}
	for w, wr := range weeks {
		shown := wr.Reports[f.name].shownKeys()
		present := make([]bool, len(cells))
		for _, c := range weekCellValues(wr, f, r) {
			i := index[c.Key]
			copy(cells[i].Weeks[w], c.Counts)
			cells[i].ShownWeekly[w] = shown[c.Key]
			present[i] = true
			cells[i].Days = appendDays(cells[i].Days, c.Days)
		}
		for i := range cells {
			if !present[i] {
				// Absent that week: no visitor on any of its days.
				cells[i].Days = appendDays(cells[i].Days, make([]int64, 7))
			}
		}
	}
	return cells
}

// appendDays extends a block's per-day counts by a week's; a week without
// them (a record frozen before they were kept) makes them unknown.
func appendDays(dst, week []int64) []int64 {
	if dst == nil || week == nil {
		return nil
	}
	return append(dst, week...)
}

// blockDayVisitors is the block's visitors day by day.
func blockDayVisitors(weeks []*record) []int64 {
	var out []int64
	for _, w := range weeks {
		out = append(out, dayVisitors(w.Days)...)
	}
	return out
}

func addTo(dst, src []int64) []int64 {
	if len(dst) == 0 {
		dst = make([]int64, len(src))
	}
	for i, v := range src {
		dst[i] += v
	}
	return dst
}
