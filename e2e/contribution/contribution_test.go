package contribution

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/event"
)

// replay sends every adversary's hits through one tracker in time order
// (so they interact: a flood evicts others), sweeping expired state every
// simulated hour as the collector does, and returns each one's rows.
func replay(t *testing.T, cfg visitor.Config, advs []*adversary) map[*adversary][]event.Row {
	t.Helper()
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	tr := visitor.New(cfg)
	type sent struct {
		a *adversary
		h *visitor.Hit
	}
	var all []sent
	for _, a := range advs {
		for _, h := range a.hits {
			all = append(all, sent{a, h})
		}
	}
	slices.SortStableFunc(all, func(x, y sent) int { return x.h.Time.Compare(y.h.Time) })
	rows := map[*adversary][]event.Row{}
	var swept time.Time
	for _, s := range all {
		if s.h.Time.Sub(swept) >= time.Hour {
			tr.Sweep(s.h.Time)
			swept = s.h.Time
		}
		var err error
		rows[s.a], err = tr.Track(s.h, s.a.ip, s.a.ua, rows[s.a])
		if err != nil && !errors.Is(err, visitor.ErrNoSession) {
			t.Fatal(err)
		}
	}
	if tr.Evicted() == 0 {
		t.Error("the flood evicted no one: the evictee tests nothing")
	}
	return rows
}

// measure is the largest contribution seen for one release.
type measure struct {
	release opendata.Release
	l1      int64  // largest sum over a release's cells of one visitor-day
	cell    int64  // largest single cell of one visitor-day
	who     string // the adversary and day that reached l1
}

// contributions reads each adversary's rows back through the publisher's
// queries, one store per adversary, and records the largest per-day
// contributions to each release. public chooses the public counters (what
// is published) or the dashboard's (what an unbounded publisher reads).
func contributions(t *testing.T, rows map[*adversary][]event.Row, public bool) []measure {
	t.Helper()
	ctx := context.Background()
	out := make([]measure, 0, len(opendata.Releases()))
	for _, rel := range opendata.Releases() {
		out = append(out, measure{release: rel})
	}
	from := start.AddDate(0, 0, -1).Format(time.DateOnly)
	to := start.AddDate(0, 0, 5).Format(time.DateOnly)
	for a, rs := range rows {
		if a.unmeasured {
			continue
		}
		st := memstore.New()
		if err := st.Append(ctx, rs); err != nil {
			t.Fatal(err)
		}
		for _, s := range sites {
			for i := range out {
				m := &out[i]
				q := m.release.Query(s.Domain, from, to)
				q.Public = public
				p, err := query.Build(&q, start.AddDate(0, 0, 10), s.Location, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				res, err := st.Query(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				perDay := map[string]int64{}
				for _, g := range res.Groups {
					v, _ := p.Formulas[0].Value(g.Sums)
					n := int64(v)
					if n < 0 {
						t.Errorf("%s %s %v: negative count %d", a.name, m.release.Name, g.Dimensions, n)
						n = -n
					}
					perDay[g.Dimensions[0]] += n
					m.cell = max(m.cell, n)
				}
				for day, n := range perDay {
					if n > m.l1 {
						m.l1, m.who = n, fmt.Sprintf("%s on %s %s", a.name, s.Domain, day)
					}
				}
			}
		}
	}
	return out
}

// adversaries is the population of one run: the named strategies, a flood
// that evicts the evictee, and random people.
func adversaries(seed uint64, randoms int) []*adversary {
	advs := []*adversary{crawler(1, 1000), crawler(2, 11), sourceHopper(3), nightOwl(4), eventer(5), evictee(6)}
	advs = append(advs, flood(1000, 400, start.Add(9*time.Hour))...)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range randoms {
		advs = append(advs, random(100+i, r))
	}
	return advs
}

// TestContributionIsBounded is the accounting of the noise, as a property
// test: whatever adversarial visitors do (any number of pages, sources,
// sessions, events, midnight crossings, being evicted), every visitor-day
// adds at most the release's sensitivity to it, and at most 1 to any cell.
// Run with -v for the table of measured worst cases.
func TestContributionIsBounded(t *testing.T) {
	seeds, randoms := []uint64{1, 2, 3}, 60
	if testing.Short() {
		seeds, randoms = seeds[:1], 20
	}
	worst := map[string]measure{}
	for _, seed := range seeds {
		// A small tracker, so that the flood evicts; seen sets of the
		// default size and a small one.
		for _, cfg := range []visitor.Config{{MaxVisitors: 256}, {MaxVisitors: 256, MaxSeen: 16}} {
			rows := replay(t, cfg, adversaries(seed, randoms))
			for _, m := range contributions(t, rows, true) {
				if m.l1 > m.release.Sensitivity {
					t.Errorf("seed %d: %s: a visitor-day contributed %d (%s), sensitivity %d", seed, m.release.Name, m.l1, m.who, m.release.Sensitivity)
				}
				if m.cell > 1 {
					t.Errorf("seed %d: %s: a visitor-day contributed %d to one cell", seed, m.release.Name, m.cell)
				}
				if w, ok := worst[m.release.Name]; !ok || m.l1 > w.l1 {
					worst[m.release.Name] = m
				}
			}
		}
	}
	// The adversaries must reach the bounds, or the test proves little.
	for _, rel := range opendata.Releases() {
		if w := worst[rel.Name]; w.l1 != rel.Sensitivity {
			t.Errorf("%s: the adversaries reached %d, not the bound %d", rel.Name, w.l1, rel.Sensitivity)
		}
	}
	// The same adversaries against the dashboard's unbounded counters
	// (what a publisher without the public counters would read).
	rows := replay(t, visitor.Config{MaxVisitors: 256}, adversaries(seeds[0], randoms))
	unbounded := contributions(t, rows, false)
	var sb strings.Builder
	sb.WriteString("release | sensitivity | worst public (bounded) | worst dashboard counters (unbounded)\n")
	for i, rel := range opendata.Releases() {
		w := worst[rel.Name]
		fmt.Fprintf(&sb, "%s | %d | %d, cell ≤ %d (%s) | %d, cell ≤ %d (%s)\n", rel.Name, rel.Sensitivity,
			w.l1, w.cell, w.who, unbounded[i].l1, unbounded[i].cell, unbounded[i].who)
	}
	t.Log("\n" + sb.String())
}
