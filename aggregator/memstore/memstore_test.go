package memstore

import (
	"context"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

func TestClosed(t *testing.T) {
	s := New()
	ctx := context.Background()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, []event.Row{{Site: "a", Kind: event.KindPageview}}); err == nil {
		t.Error("append after close succeeded")
	}
	p := &query.Plan{Site: "a", Location: time.UTC, Sums: []query.Sum{{Counter: query.CounterVisits}}}
	if _, err := s.Query(ctx, p); err == nil {
		t.Error("query after close succeeded")
	}
	if _, err := s.Earliest(ctx, "a"); err == nil {
		t.Error("earliest after close succeeded")
	}
}

func TestCheckRejectsMalformedPlans(t *testing.T) {
	ok := func() *query.Plan {
		return &query.Plan{Site: "a", Location: time.UTC, Sums: []query.Sum{{Counter: query.CounterVisits}},
			Formulas: []query.Formula{{Num: []int{0}}}}
	}
	for name, spoil := range map[string]func(*query.Plan){
		"no sums":           func(p *query.Plan) { p.Sums = nil },
		"unknown dimension": func(p *query.Plan) { p.Dimensions = []query.Dimension{"x"} },
		"time without zone": func(p *query.Plan) { p.Dimensions, p.Location = []query.Dimension{query.TimeDay}, nil },
		"counter":           func(p *query.Plan) { p.Sums[0].Counter = 0 },
		"kind":              func(p *query.Plan) { p.Sums[0].OnlyKind = 4 },
		"formula":           func(p *query.Plan) { p.Formulas[0].Num = []int{1} },
		"having":            func(p *query.Plan) { p.HavingPositive = []int{2} },
		"order":             func(p *query.Plan) { p.Order = []query.PlanOrder{{Metric: 3, Dimension: -1}} },
		"offset":            func(p *query.Plan) { p.Offset = -1 },
		"filter":            func(p *query.Plan) { p.Filter = &query.Filter{Op: query.OpNot} },
	} {
		p := ok()
		if _, err := New().Query(context.Background(), p); err != nil {
			t.Fatalf("good plan: %v", err)
		}
		spoil(p)
		if _, err := New().Query(context.Background(), p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
