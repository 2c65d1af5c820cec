package memstore

import (
	"fmt"
	"slices"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// matcher tells whether a row is selected.
type matcher func(*event.Row) bool

// compile turns a filter tree into a matcher. A nil filter selects every
// row. Values are compared literally: "%" and "_" are ordinary characters.
func compile(f *query.Filter, goals []query.Goal, depth int) (matcher, error) {
	if f == nil {
		return func(*event.Row) bool { return true }, nil
	}
	if depth > 32 {
		return nil, fmt.Errorf("memstore: filter nests too deep")
	}
	switch f.Op {
	case query.OpAnd, query.OpOr, query.OpNot:
		return compileTree(f, goals, depth)
	case query.OpIs, query.OpIsNot, query.OpContains, query.OpContainsNot, query.OpMatches, query.OpMatchesNot:
		return compileLeaf(f, goals)
	}
	return nil, fmt.Errorf("memstore: unknown filter operator %q", f.Op)
}

func compileTree(f *query.Filter, goals []query.Goal, depth int) (matcher, error) {
	if len(f.Clauses) == 0 || (f.Op == query.OpNot && len(f.Clauses) != 1) {
		return nil, fmt.Errorf("memstore: %q with %d clauses", f.Op, len(f.Clauses))
	}
	subs := make([]matcher, len(f.Clauses))
	for i := range f.Clauses {
		m, err := compile(&f.Clauses[i], goals, depth+1)
		if err != nil {
			return nil, err
		}
		subs[i] = m
	}
	switch f.Op {
	case query.OpNot:
		return func(r *event.Row) bool { return !subs[0](r) }, nil
	case query.OpOr:
		return func(r *event.Row) bool {
			return slices.ContainsFunc(subs, func(m matcher) bool { return m(r) })
		}, nil
	}
	return func(r *event.Row) bool {
		return !slices.ContainsFunc(subs, func(m matcher) bool { return !m(r) })
	}, nil
}

func compileLeaf(f *query.Filter, goals []query.Goal) (matcher, error) {
	d := f.Dimension
	if d == query.EventGoal {
		sel, err := query.GoalsFor(f, goals)
		if err != nil {
			return nil, fmt.Errorf("memstore: %w", err)
		}
		completes := goalMatchers(sel)
		return func(r *event.Row) bool {
			return slices.ContainsFunc(completes, func(m goalMatch) bool { return m(r.Kind, r.Name, r.Path) })
		}, nil
	}
	if !known(d) || d.IsTime() || d == query.ExitPage {
		return nil, fmt.Errorf("memstore: cannot filter by %q", d)
	}
	if len(f.Values) == 0 {
		return nil, fmt.Errorf("memstore: filter on %q has no values", d)
	}
	test, err := query.ValueTest(f)
	if err != nil {
		return nil, fmt.Errorf("memstore: %w", err)
	}
	return func(r *event.Row) bool { return test(Value(d, r)) }, nil
}

type goalMatch = func(kind event.Kind, name, path string) bool

func goalMatchers(goals []query.Goal) []goalMatch {
	out := make([]goalMatch, len(goals))
	for i, g := range goals {
		out[i] = g.Matcher()
	}
	return out
}
