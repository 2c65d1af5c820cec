package query

import (
	"slices"
	"testing"
	"time"
)

func TestCapped(t *testing.T) {
	for _, c := range []struct {
		sums  []int64
		bound int64
		want  []int64
	}{
		{[]int64{3}, 1, []int64{1}},        // one visitor, three pages of a wildcard goal
		{[]int64{2, 1}, 2, []int64{2, 0}},  // page and event goal visitors share the bound
		{[]int64{1, 2}, 2, []int64{1, 1}},  //
		{[]int64{1, 1}, 5, []int64{1, 1}},  // under the bound: unchanged
		{[]int64{4, 4}, 0, []int64{0, 0}},  //
		{[]int64{2, 3}, -1, []int64{0, 0}}, // a negative bound caps at 0
	} {
		if got := Capped(c.sums, c.bound); !slices.Equal(got, c.want) {
			t.Errorf("Capped(%v, %d) = %v, want %v", c.sums, c.bound, got, c.want)
		}
	}
}

// TestGoalCapPlan checks when a plan caps goal visitors per day.
func TestGoalCapPlan(t *testing.T) {
	now := time.Date(2026, 3, 15, 12, 30, 0, 0, time.UTC)
	goals := []Goal{{Name: "Visit /blog*", PagePath: "/blog*"}}
	build := func(q Query) *Plan {
		t.Helper()
		q.SiteID, q.Goals = "a.test", goals
		if q.Metrics == nil {
			q.Metrics = []Metric{Visitors}
		}
		p, err := Build(&q, now, time.UTC, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	goal := []Filter{{Op: OpIs, Dimension: EventGoal, Values: []string{"Visit /blog*"}}}
	p := build(Query{DateRange: DateRange{Preset: "30d"}, Filters: goal})
	if p.GoalCap == nil || p.GoalCap.Bound != (Sum{Counter: CounterVisitors}) || len(p.GoalCap.Sums) != 2 {
		t.Errorf("30d with a goal filter: cap %+v", p.GoalCap)
	}
	p = build(Query{DateRange: DateRange{Preset: "30d"}, Dimensions: []Dimension{EventPage}, Filters: goal})
	if p.GoalCap == nil || p.GoalCap.Bound != (Sum{Counter: CounterPageVisitors}) {
		t.Errorf("by page: cap %+v", p.GoalCap)
	}
	for name, q := range map[string]Query{
		"no goal": {DateRange: DateRange{Preset: "30d"}},
		"by hour": {DateRange: DateRange{Preset: "day"}, Dimensions: []Dimension{TimeHour}, Filters: goal},
		"24h":     {DateRange: DateRange{Preset: "24h"}, Filters: goal},
	} {
		if p := build(q); p.GoalCap != nil {
			t.Errorf("%s: cap %+v, want none", name, p.GoalCap)
		}
	}
}
