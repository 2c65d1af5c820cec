// Package storetest is the suite every aggregator.Store must pass: DuckDB,
// ClickHouse and the in-memory oracle alike. Run checks hand-computed
// expectations for every metric formula, dimension, time bucket, filter
// operator, ordering and pagination path, atomic appends, Earliest and
// optional capabilities, and compares the store with memstore over many
// random queries on generated rows.
//
// What the suite holds a store to, beyond Store's comments:
//
//   - Append rejects the whole batch when any row fails sqlgen.CheckRow
//     (an unknown kind, a string that is not valid UTF-8), and keeps
//     nothing of a batch that fails for any other reason.
//   - Query selects site = Plan.Site exactly and ts in [From, To); a
//     breakdown leaves out rows whose dimension value is empty, a filter
//     does not; values match literally ("%" and "_" are no wildcards).
//   - Time buckets are the local wall time in Plan.Location, truncated;
//     weeks start on Monday; labels come from query.FormatBucket.
//   - Groups come in Plan.Order: a metric by its formula before rounding
//     (Σnum × scale / Σden, 0 when Σden is 0), a dimension by its bytes.
//   - A plan without dimensions yields exactly one group, also for an
//     unknown site or an empty range.
//
// GenerateRows, the realistic row generator the suite and the benchmarks
// use, lives here too.
package storetest

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// TextDumper is implemented by stores that can write every stored value as
// text (every column of every table, decoded), for the privacy canary test:
// a byte search of a compressed database file can miss a leaked value.
type TextDumper interface {
	DumpText(ctx context.Context, w io.Writer) error
}

// Deleter is implemented by stores that enforce retention by deleting a
// site's rows older than an instant; it returns how many rows it deleted.
type Deleter interface {
	DeleteBefore(ctx context.Context, site string, before time.Time) (int64, error)
}

// Opener returns a new, empty store for one test. The suite closes it.
type Opener func(t *testing.T) Store

// Store is a store under test: it answers plans (aggregator.Store) and
// loads rows the suite generates. Append stores rows atomically, all of
// them or none; it is the stores' bulk loader for tests and benchmarks,
// while served rows arrive through the write-ahead log (collector.Sink).
type Store interface {
	aggregator.Store
	Append(ctx context.Context, rows []event.Row) error
}

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	t.Run("Metrics", func(t *testing.T) { testMetrics(t, open) })
	t.Run("Dimensions", func(t *testing.T) { testDimensions(t, open) })
	t.Run("TimeBuckets", func(t *testing.T) { testTimeBuckets(t, open) })
	t.Run("Filters", func(t *testing.T) { testFilters(t, open) })
	t.Run("Props", func(t *testing.T) { testProps(t, open) })
	t.Run("Goals", func(t *testing.T) { testGoals(t, open) })
	t.Run("GoalCap", func(t *testing.T) { testGoalCap(t, open) })
	t.Run("Regex", func(t *testing.T) { testRegex(t, open) })
	t.Run("HostileValues", func(t *testing.T) { testHostileValues(t, open) })
	t.Run("Ordering", func(t *testing.T) { testOrdering(t, open) })
	t.Run("Ranges", func(t *testing.T) { testRanges(t, open) })
	t.Run("AtomicAppend", func(t *testing.T) { testAtomicAppend(t, open) })
	t.Run("ConcurrentAppendQuery", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("Earliest", func(t *testing.T) { testEarliest(t, open) })
	t.Run("DeleteBefore", func(t *testing.T) { testDeleteBefore(t, open) })
	t.Run("DumpText", func(t *testing.T) { testDumpText(t, open) })
	t.Run("Differential", func(t *testing.T) { testDifferential(t, open) })
	t.Run("Ageing", func(t *testing.T) { testAgeing(t, open) })
	t.Run("DifferentialAged", func(t *testing.T) { testDifferentialAged(t, open) })
}

// newStore opens a store holding rows and closes it after the test.
func newStore(t *testing.T, open Opener, rows ...event.Row) Store {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	if len(rows) > 0 {
		if err := s.Append(context.Background(), rows); err != nil {
			t.Fatalf("append: %v", err)
		}
	}
	return s
}

// now is the "current time" of every Build in the suite; the cases use
// custom date ranges, so it only matters for presets.
var now = time.Date(2024, 11, 15, 12, 0, 0, 0, time.UTC)

// loadLocation loads a time zone or fails the test.
func loadLocation(t testing.TB, name string) *time.Location {
	t.Helper()
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time zone %s: %v", name, err)
	}
	return loc
}

// build validates q and plans it in loc.
func build(t testing.TB, s Store, q query.Query, loc *time.Location) *query.Plan {
	t.Helper()
	earliest, err := s.Earliest(context.Background(), q.SiteID)
	if err != nil {
		t.Fatalf("earliest: %v", err)
	}
	p, err := query.Build(&q, now, loc, earliest)
	if err != nil {
		t.Fatalf("build %+v: %v", q, err)
	}
	return p
}

// render writes each group as "dim|dim: metric metric", metric values as
// the API computes them (rounded; "null" when undefined).
func render(p *query.Plan, res *query.Result) []string {
	out := make([]string, 0, len(res.Groups))
	for _, g := range res.Groups {
		var sb strings.Builder
		sb.WriteString(strings.Join(g.Dimensions, "|"))
		sb.WriteString(":")
		for _, f := range p.Formulas {
			v, ok := f.Value(g.Sums)
			sb.WriteString(" ")
			if !ok {
				sb.WriteString("null")
				continue
			}
			sb.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		}
		out = append(out, sb.String())
	}
	return out
}

// mustQuery runs a plan or fails the test.
func mustQuery(t testing.TB, s Store, p *query.Plan) *query.Result {
	t.Helper()
	res, err := s.Query(context.Background(), p)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	return res
}
