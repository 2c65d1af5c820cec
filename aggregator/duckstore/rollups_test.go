package duckstore

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
)

// TestBulkLoadBuildsRollups loads rows without rollup rows, reopens the
// store, and checks that the rollup rows built then answer every
// single-dimension breakdown as the rows do.
func TestBulkLoadBuildsRollups(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bulk.duckdb")
	s, err := Open(ctx, Config{Path: path, BulkLoad: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	rows := slices.Collect(storetest.GenerateRows(4, 3000, storetest.GenOptions{Start: start, Days: 10}))
	if err := s.Append(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM rollups"); n != 0 {
		t.Fatalf("a bulk load wrote %d rollup rows", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	withRollups, err := Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer withRollups.Close()
	if n := count(t, withRollups, "SELECT count(*) FROM rollups"); n == 0 {
		t.Fatal("no rollup rows were built")
	}
	for _, d := range []query.Dimension{"", query.EventPage, query.Country, query.Source, query.EventName, query.ExitPage} {
		q := query.Query{SiteID: storetest.DefaultSites[0], Metrics: []query.Metric{query.Visitors}, DateRange: query.DateRange{From: "2024-05-01", To: "2024-05-10"}}
		if d == query.ExitPage {
			q.Metrics = []query.Metric{query.Visits}
		}
		if d != "" {
			q.Dimensions = []query.Dimension{d, query.TimeDay}
		}
		p, err := query.Build(&q, start, time.UTC, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		checkRollupsAnswerAsRows(t, withRollups, p, string(d))
	}
}

// TestRollupColumns checks the rollups table against the columns the store
// writes.
func TestRollupColumns(t *testing.T) {
	s := openMemory(t)
	defer s.Close()
	got, err := s.strings(context.Background(), fixed("DumpText_columns"), "rollups")
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(rollupColumns)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("rollups columns\n got %v\nwant %v", got, want)
	}
}

// TestRollupsOfAnEarlierVersionAreRebuilt opens a store whose rollup rows
// were built for fewer dimensions (before the goal and property rollup
// rows) and checks that they are derived again, and that goal and
// property plans read from them answer as the rows do.
func TestRollupsOfAnEarlierVersionAreRebuilt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	s, err := Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	rows := slices.Collect(storetest.GenerateRows(5, 3000, storetest.GenOptions{Start: start, Days: 10}))
	if err := s.Append(ctx, rows); err != nil {
		t.Fatal(err)
	}
	// What a store of the earlier version holds.
	for _, q := range []string{"DELETE FROM rollups WHERE dim >= 23", "UPDATE rollups_built SET dims = 23"} {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := count(t, s, "SELECT count(*) FROM rollups WHERE dim >= 23"); n == 0 {
		t.Fatal("the goal rollup rows were not built")
	}
	goals := []query.Goal{{Name: "Signup", EventName: "Signup"}, {Name: "Blog", PagePath: "/blog/*"}, {Name: "Docs", PagePath: "/docs/*"}}
	for _, q := range []query.Query{
		{Metrics: []query.Metric{query.Visitors, query.Events}, Dimensions: []query.Dimension{query.EventGoal}},
		{Metrics: []query.Metric{query.Visitors}, Dimensions: []query.Dimension{query.EventGoal, query.TimeDay}},
		{Metrics: []query.Metric{query.Visitors, query.Events}, Filters: []query.Filter{{Op: query.OpIs, Dimension: query.EventGoal, Values: []string{"Blog"}}}},
		{Metrics: []query.Metric{query.Visitors, query.Events}, Dimensions: []query.Dimension{query.PropDimension("plan")}},
		{Metrics: []query.Metric{query.Visitors, query.Events}, Dimensions: []query.Dimension{query.PropDimension("url"), query.TimeDay},
			Filters: []query.Filter{{Op: query.OpIs, Dimension: query.EventName, Values: []string{"File Download"}}}},
	} {
		q.SiteID, q.DateRange, q.Goals = storetest.DefaultSites[0], query.DateRange{From: "2024-05-01", To: "2024-05-10"}, goals
		p, err := query.Build(&q, start, time.UTC, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if src := ageing.Source(p, ageing.State{}, true); !src.Goals && (src.Rollup == nil || *src.Rollup != rollup.Props) {
			t.Fatalf("%v: not read from the goal or property rollup rows", q.Dimensions)
		}
		checkRollupsAnswerAsRows(t, s, p, fmt.Sprint(q.Dimensions))
	}
}

// checkRollupsAnswerAsRows checks that p has groups and that the store
// answers it from the rollup rows as it does from the rows.
func checkRollupsAnswerAsRows(t *testing.T, s *Store, p *query.Plan, name string) {
	t.Helper()
	ctx := context.Background()
	got, err := s.Query(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	s.rollups = false
	want, err := s.Query(ctx, p)
	s.rollups = true
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Groups) == 0 || !slices.EqualFunc(got.Groups, want.Groups, func(a, b query.Group) bool {
		return slices.Equal(a.Dimensions, b.Dimensions) && slices.Equal(a.Sums, b.Sums)
	}) {
		t.Errorf("%s: rollups %v, rows %v", name, got.Groups, want.Groups)
	}
}
