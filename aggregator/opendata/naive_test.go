package opendata

import (
	"slices"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
)

// naiveReports publishes the same catalogue from the truth with a
// plausible but naive rule — every report on its own hides values below k
// and keeps "(other)" at k or more — without the residual rule for days
// or the block audit. The attacker must find leaks in it, or the property
// test above could not fail.
func naiveReports(tr *truth, k int64, first disclosure.Day, days int) []served {
	r := disclosure.Rules{K: k, RoundTo: 1}
	var out []served
	for w := disclosure.PeriodOf(disclosure.Week, first); w.End() <= first+disclosure.Day(days); w = (disclosure.Period{Kind: disclosure.Week, Start: w.End()}) {
		daily := served{name: DailyReport, fam: totalsFamily, start: w.Start, last: w.Last()}
		for d := w.Start; d < w.End(); d++ {
			row := servedRow{key: d.String(), counts: map[string]*int64{}}
			for _, m := range totalsMeasures {
				if v := tr.sum(m, totalsFamily, "", d, d); !r.Small(v) {
					row.counts[m] = &v
				}
			}
			daily.rows = append(daily.rows, row)
		}
		out = append(out, daily)
		out = append(out, naiveBreakdowns(tr, r, w, weekSuffix)...)
		if b := disclosure.PeriodOf(disclosure.Block, w.Start); b.Last() == w.Last() {
			out = append(out, naiveBreakdowns(tr, r, b, blockSuffix)...)
		}
	}
	return out
}

func naiveBreakdowns(tr *truth, r disclosure.Rules, p disclosure.Period, suffix string) []served {
	var out []served
	for _, f := range families {
		var keys []string
		for key := range tr.keys(f.name, p.Start) {
			keys = append(keys, key)
		}
		slices.Sort(keys)
		cells := make([]disclosure.Cell, len(keys))
		for i, key := range keys {
			cells[i] = disclosure.Cell{Key: key, Counts: make([]int64, len(f.measures))}
			for j, m := range f.measures {
				cells[i].Counts[j] = tr.sum(m, f.name, key, p.Start, p.Last())
			}
		}
		b := r.Split(cells, disclosure.SplitOptions{Eligible: func(i int) bool { return f.check(keys[i]) }})
		if b.Withheld {
			continue
		}
		s := served{name: f.name + suffix, fam: f.name, start: p.Start, last: p.Last()}
		for i, c := range cells {
			if b.Shown[i] {
				s.rows = append(s.rows, servedRow{key: c.Key, counts: countMap(f.measures, c.Counts)})
			}
		}
		s.rows = append(s.rows, servedRow{other: true, counts: countMap(f.measures, b.Other)})
		out = append(out, s)
	}
	return out
}

func countMap(measures []string, counts []int64) map[string]*int64 {
	out := map[string]*int64{}
	for i, m := range measures {
		v := counts[i]
		out[m] = &v
	}
	return out
}

func TestAuditFindsLeaksOfNaiveSuppression(t *testing.T) {
	first := disclosure.PeriodOf(disclosure.Block, disclosure.DayFromDate(2026, 3, 1)).Start - 7
	const days = 77
	_, rows := genRows(t, 7, tokyo, first, days, genSite{"small.example", 14})
	tr := truthOf(rows, "small.example", tokyo)
	a := newAttacker(t, tr, 10)
	a.identities()
	for _, s := range naiveReports(tr, 10, first, days) {
		a.read(s)
	}
	leaks := a.leaks()
	if len(leaks) == 0 {
		t.Fatal("the attacker found nothing in naively suppressed reports")
	}
	t.Logf("%d leaks, e.g. %s", len(leaks), leaks[0])
}
