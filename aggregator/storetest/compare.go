package storetest

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/query"
)

// sameResult compares a store's result with the oracle's: the same groups
// in the same order. Groups whose order keys tie within floating-point
// error (a ratio computed by another database) may come in either order,
// so those runs are compared as sets.
func sameResult(p *query.Plan, got, want *query.Result) error {
	if got.TotalGroups != want.TotalGroups {
		return fmt.Errorf("total groups %d, oracle %d", got.TotalGroups, want.TotalGroups)
	}
	if len(got.Groups) != len(want.Groups) {
		return fmt.Errorf("%d groups, oracle %d:\n got %s\nwant %s", len(got.Groups), len(want.Groups), groupsText(got), groupsText(want))
	}
	for i := 0; i < len(want.Groups); {
		j := i + 1
		for j < len(want.Groups) && nearTie(p, want.Groups[i], want.Groups[j]) {
			j++
		}
		g, w := slices.Clone(got.Groups[i:j]), slices.Clone(want.Groups[i:j])
		sortByKey(g)
		sortByKey(w)
		for k := range w {
			if key(g[k]) != key(w[k]) {
				return fmt.Errorf("group %d differs:\n got %s\nwant %s", i+k, groupsText(got), groupsText(want))
			}
		}
		i = j
	}
	return nil
}

// nearTie reports whether a and b may come in either order: the first
// order key on which they differ is a ratio, and only within a relative
// 1e-9 (the dimension tie-breakers decide only exact ties).
func nearTie(p *query.Plan, a, b query.Group) bool {
	for _, o := range p.Order {
		if o.Metric < 0 {
			if a.Dimensions[o.Dimension] != b.Dimensions[o.Dimension] {
				return false
			}
			continue
		}
		f := p.Formulas[o.Metric]
		x, y := memstore.MetricKey(f, a.Sums), memstore.MetricKey(f, b.Sums)
		switch {
		case x == y:
			continue
		case len(f.Den) == 0:
			return false // counts are exact
		}
		return math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y))
	}
	return true
}

func key(g query.Group) string {
	return fmt.Sprintf("%q %v", g.Dimensions, g.Sums)
}

func sortByKey(gs []query.Group) {
	slices.SortFunc(gs, func(a, b query.Group) int { return strings.Compare(key(a), key(b)) })
}

func groupsText(r *query.Result) string {
	var sb strings.Builder
	for i, g := range r.Groups {
		if i == 8 {
			fmt.Fprintf(&sb, "… (%d more)", len(r.Groups)-i)
			break
		}
		sb.WriteString(key(g) + "; ")
	}
	return sb.String()
}

// describe shows a query as its JSON, for failure messages.
func describe(q query.Query, loc *time.Location) string {
	b, _ := json.Marshal(q)
	return string(b) + " in " + loc.String()
}
