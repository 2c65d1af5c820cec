package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// tcase is one targeted check: a Stats API query and the hand-computed
// groups, rendered by render.
type tcase struct {
	name string
	q    query.Query
	// loc is the site's time zone; "" is UTC.
	loc  string
	want []string
	// total is checked when q.Include.TotalRows is set.
	total int64
	// tweak adjusts the plan after Build (e.g. exact instants).
	tweak func(*query.Plan)
}

// runCases runs cases on s. Each query takes its site and date range from
// base unless it sets its own.
func runCases(t *testing.T, s Store, base query.Query, cases []tcase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := c.q
			if q.SiteID == "" {
				q.SiteID = base.SiteID
			}
			if q.DateRange == (query.DateRange{}) {
				q.DateRange = base.DateRange
			}
			p := build(t, s, q, loadLocation(t, c.loc))
			if c.tweak != nil {
				c.tweak(p)
			}
			res := mustQuery(t, s, p)
			got := render(p, res)
			if !slices.Equal(got, c.want) {
				t.Errorf("groups:\n got %s\nwant %s", strings.Join(got, " ; "), strings.Join(c.want, " ; "))
			}
			if q.Include.TotalRows && res.TotalGroups != c.total {
				t.Errorf("total groups = %d, want %d", res.TotalGroups, c.total)
			}
		})
	}
}

// m lists metrics.
func m(ms ...query.Metric) []query.Metric { return ms }

// dims lists dimensions.
func dims(ds ...query.Dimension) []query.Dimension { return ds }

// is, isNot, contains and containsNot build filter leaves.
func is(d query.Dimension, v ...string) query.Filter {
	return query.Filter{Op: query.OpIs, Dimension: d, Values: v}
}

func isNot(d query.Dimension, v ...string) query.Filter {
	return query.Filter{Op: query.OpIsNot, Dimension: d, Values: v}
}

func contains(d query.Dimension, v ...string) query.Filter {
	return query.Filter{Op: query.OpContains, Dimension: d, Values: v}
}

func containsNot(d query.Dimension, v ...string) query.Filter {
	return query.Filter{Op: query.OpContainsNot, Dimension: d, Values: v}
}

// ci makes a leaf case-insensitive.
func ci(f query.Filter) query.Filter {
	f.CaseInsensitive = true
	return f
}

func and(fs ...query.Filter) query.Filter { return query.Filter{Op: query.OpAnd, Clauses: fs} }
func or(fs ...query.Filter) query.Filter  { return query.Filter{Op: query.OpOr, Clauses: fs} }
func not(f query.Filter) query.Filter {
	return query.Filter{Op: query.OpNot, Clauses: []query.Filter{f}}
}

// filters lists top-level filters (combined with AND).
func filters(fs ...query.Filter) []query.Filter { return fs }

// order builds an order_by entry.
func order(by string, desc bool) query.Order { return query.Order{By: by, Desc: desc} }

// dates is a custom date range, inclusive.
func dates(from, to string) query.DateRange { return query.DateRange{From: from, To: to} }
