package opendata

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/disclosure/audit"
	"github.com/shukei-analytics/shukei/site"
)

// attacker knows every number the site ever served, as sums of atoms, and
// the identities the row model implies (a visitor-day has one country, so
// the countries of a day add up to its visitors), in one exact span per
// measure.
type attacker struct {
	t      *testing.T
	tr     *truth
	k      int64
	spans  map[string]*audit.Span
	cols   map[string]map[atom]int
	atoms  map[string][]atom // by column
	learnt int
}

func newAttacker(t *testing.T, tr *truth, k int64) *attacker {
	a := &attacker{t: t, tr: tr, k: k, spans: map[string]*audit.Span{}, cols: map[string]map[atom]int{}, atoms: map[string][]atom{}}
	for _, m := range []string{"visitors", "visits", "pageviews", "searches", "uses", "events"} {
		a.spans[m], a.cols[m] = audit.New(), map[atom]int{}
	}
	return a
}

func (a *attacker) col(measure string, at atom) int {
	c, ok := a.cols[measure][at]
	if !ok {
		c = len(a.cols[measure])
		a.cols[measure][at] = c
		a.atoms[measure] = append(a.atoms[measure], at)
	}
	return c
}

// identities adds, for every day, the tied breakdowns' sums.
func (a *attacker) identities() {
	for d := range a.tr.days {
		for _, f := range families {
			for i, tie := range f.tied {
				if tie < 0 {
					continue
				}
				m := f.measures[i]
				vec := audit.Vec{a.col(m, atom{totalsFamily, "", d}): -1}
				for key := range a.tr.keys(f.name, d) {
					vec[a.col(m, atom{f.name, key, d})] = 1
				}
				a.spans[m].Add(vec)
			}
		}
	}
}

// learn adds a published number, checking it first: it must be the true
// sum, and not small (an "(other)" or a total may be zero).
func (a *attacker) learn(measure string, vec audit.Vec, published int64, what string) {
	a.t.Helper()
	var truth int64
	for c, coef := range vec {
		truth += coef * a.tr.counts[measure][a.atoms[measure][c]]
	}
	if truth != published {
		a.t.Errorf("%s: published %d, true value %d", what, published, truth)
	}
	if published > 0 && published < a.k {
		a.t.Errorf("%s: published %d, below k = %d", what, published, a.k)
	}
	a.spans[measure].Add(vec)
	a.learnt++
}

// read adds every number of a served report.
func (a *attacker) read(s served) {
	listed := map[string]bool{}
	for _, r := range s.rows {
		listed[r.key] = !r.other
	}
	for _, r := range s.rows {
		from, to := s.rowDays(r)
		for m, v := range r.counts {
			if v == nil {
				continue
			}
			vec := audit.Vec{}
			for d := from; d <= to; d++ {
				if s.fam == totalsFamily {
					vec[a.col(m, atom{totalsFamily, "", d})] = 1
					continue
				}
				for key := range a.tr.keys(s.fam, d) {
					if (r.other && !listed[key]) || (!r.other && key == r.key) {
						vec[a.col(m, atom{s.fam, key, d})] = 1
					}
				}
			}
			a.learn(m, vec, *v, fmt.Sprintf("%s %s %q %s", s.name, s.start, r.key, m))
		}
	}
	for m, v := range s.totals {
		vec := audit.Vec{}
		for d := s.start; d <= s.last; d++ {
			vec[a.col(m, atom{totalsFamily, "", d})] = 1
		}
		a.learn(m, vec, v, fmt.Sprintf("%s %s total %s", s.name, s.start, m))
	}
}

// leaks lists every small count of one value over a window of days or a
// union of weeks, within a block, that the attacker can compute.
func (a *attacker) leaks() []string {
	var out []string
	fams := []string{totalsFamily}
	for _, f := range families {
		fams = append(fams, f.name)
	}
	for _, fam := range fams {
		for b, keys := range a.tr.universe[fam] {
			for key := range keys {
				for _, m := range familyMeasures(fam) {
					out = append(out, a.blockLeaks(m, fam, key, b)...)
				}
			}
		}
		// Months cut across weeks and blocks: every run of days within a
		// month, of every value seen in it.
		for _, mo := range a.tr.months() {
			keys := map[string]bool{}
			for b := disclosure.PeriodOf(disclosure.Block, mo.first); b.Start <= mo.last; b = (disclosure.Period{Kind: disclosure.Block, Start: b.End()}) {
				for key := range a.tr.universe[fam][b] {
					keys[key] = true
				}
			}
			for key := range keys {
				for _, m := range familyMeasures(fam) {
					out = append(out, a.runLeaks(m, fam, key, mo.first, mo.last)...)
				}
			}
		}
	}
	return out
}

// runLeaks lists the runs of days in [from, to] over which a value's
// small count is derivable.
func (a *attacker) runLeaks(m, fam, key string, from, to disclosure.Day) []string {
	n := int(to-from) + 1
	span := a.spans[m]
	keys := make([]string, n+1)
	sums := make([]int64, n+1)
	prefix := audit.Residue{}
	keys[0] = prefix.Key()
	for i := range n {
		at := atom{fam, key, from + disclosure.Day(i)}
		prefix = prefix.Plus(span.Residue(a.col(m, at)))
		keys[i+1] = prefix.Key()
		sums[i+1] = sums[i] + a.tr.counts[m][at]
	}
	var out []string
	for i := range n {
		for j := i + 1; j <= n; j++ {
			if v := sums[j] - sums[i]; v > 0 && v < a.k && keys[j] == keys[i] {
				out = append(out, fmt.Sprintf("%s %q %s days %s..%s = %d (within a month)", fam, key, m, from+disclosure.Day(i), from+disclosure.Day(j-1), v))
			}
		}
	}
	return out
}

func (a *attacker) blockLeaks(m, fam, key string, b disclosure.Period) []string {
	var out []string
	span := a.spans[m]
	prefix := make([]audit.Residue, 29)
	sums := make([]int64, 29)
	prefix[0] = audit.Residue{}
	for i := range 28 {
		at := atom{fam, key, b.Start + disclosure.Day(i)}
		prefix[i+1] = prefix[i].Plus(span.Residue(a.col(m, at)))
		sums[i+1] = sums[i] + a.tr.counts[m][at]
	}
	keys := make([]string, 29)
	for i := range prefix {
		keys[i] = prefix[i].Key()
	}
	small := func(v int64) bool { return v > 0 && v < a.k }
	for i := range 28 {
		for j := i + 1; j <= 28; j++ {
			if small(sums[j]-sums[i]) && keys[j] == keys[i] {
				out = append(out, fmt.Sprintf("%s %q %s days %s..%s = %d", fam, key, m, b.Start+disclosure.Day(i), b.Start+disclosure.Day(j-1), sums[j]-sums[i]))
			}
		}
	}
	for set := 1; set < 16; set++ {
		r, v := audit.Residue{}, int64(0)
		for w := range 4 {
			if set&(1<<w) != 0 {
				r = r.Plus(prefix[7*w+7].Minus(prefix[7*w]))
				v += sums[7*w+7] - sums[7*w]
			}
		}
		if small(v) && r.Zero() {
			out = append(out, fmt.Sprintf("%s %q %s weeks %04b of %s = %d", fam, key, m, set, b, v))
		}
	}
	return out
}

// serveDaily runs the publisher as a live server would be asked, every
// day, and returns every distinct report it served; a report served
// twice must be byte for byte the same.
func serveDaily(t *testing.T, p *Publisher, c *clock, domain string, from, to disclosure.Day, loc *time.Location) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for d := from; d <= to; d++ {
		c.t = d.Start(loc).Add(2 * time.Hour)
		set, err := p.Current(context.Background(), domain)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range set.Reports {
			key := r.Name + " " + r.Start.String()
			b := r.JSON()
			if old, ok := out[key]; ok && string(old) != string(b) {
				t.Fatalf("%s changed after publication:\n%s\nthen\n%s", key, old, b)
			}
			out[key] = b
		}
	}
	return out
}

// TestNoSuppressedCountCanBeDerived is the differencing property test:
// for generated sites with many small cells, it collects every report
// served over eleven weeks, expresses each published number as a sum of
// atomic cells (one value, one day), and checks with exact rational
// elimination that no count between 1 and k-1 of one value — a day, any
// window of days, any union of weeks within a block — lies in their span.
func TestNoSuppressedCountCanBeDerived(t *testing.T) {
	first := disclosure.PeriodOf(disclosure.Block, disclosure.DayFromDate(2026, 3, 1)).Start - 7
	const days = 77
	sites := []genSite{{"micro.example", 2}, {"tiny.example", 5}, {"small.example", 14}, {"mid.example", 45}}
	store, rows := genRows(t, propertySeed, tokyo, first, days, sites...)
	for _, gs := range sites {
		for _, k := range []int{10, 5} {
			t.Run(fmt.Sprintf("%s/k=%d", gs.domain, k), func(t *testing.T) {
				t.Parallel()
				c := &clock{}
				st := publicSite(gs.domain, tokyo, site.Publishing{MinCellSize: k})
				p := newPublisher(t, store, t.TempDir(), c, st)
				reports := serveDaily(t, p, c, gs.domain, first+7, first+days+1, tokyo)
				a := newAttacker(t, truthOf(rows, gs.domain, tokyo), int64(k))
				a.identities()
				names := make([]string, 0, len(reports))
				for name := range reports {
					names = append(names, name)
				}
				slices.Sort(names)
				for _, name := range names {
					a.read(parseServed(t, reports[name]))
				}
				leaks := a.leaks()
				for i, l := range leaks {
					if i == 20 {
						t.Errorf("… and %d more", len(leaks)-20)
						break
					}
					t.Errorf("derivable: %s", l)
				}
				t.Logf("%d reports, %d published numbers, rank of visitors %d", len(reports), a.learnt, a.spans["visitors"].Rank())
			})
		}
	}
}

// propertySeed can be changed to explore other generated data.
var propertySeed uint64 = 2
