package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Differential test sizes.
const (
	diffRows    = 4000
	diffQueries = 600
)

// diffStart is the first day of the differential rows: their three weeks
// cross the spring DST change of Europe and North America.
var diffStart = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

// diffNow is the "current time" of the differential queries: the rows'
// last week, so presets like "7d" and "month" select some of them.
var diffNow = diffStart.AddDate(0, 0, 19).Add(13 * time.Hour)

// testDifferential generates rows over several sites and days, stores them
// in the store under test and in memstore, and compares the results of
// many random valid queries.
func testDifferential(t *testing.T, open Opener) {
	rows := differentialRows()
	s := newStore(t, open)
	oracle := memstore.New()
	ctx := context.Background()
	for chunk := range slices.Chunk(rows, 700) {
		if err := s.Append(ctx, chunk); err != nil {
			t.Fatalf("append: %v", err)
		}
		if err := oracle.Append(ctx, chunk); err != nil {
			t.Fatalf("oracle append: %v", err)
		}
	}
	gen := newQueryGen(rand.New(rand.NewPCG(7, 11)), rows)
	n := diffQueries
	if testing.Short() {
		n /= 5
	}
	nonEmpty, groups, props := 0, 0, 0
	for i := range n {
		q, loc := gen.query()
		if usesProp(&q) {
			props++
		}
		g, err := compareQuery(s, oracle, q, loc)
		if err != nil {
			t.Errorf("query %d: %v", i, err)
		}
		if g > 0 {
			nonEmpty++
		}
		groups += g
	}
	// Guard the test's own power: most queries must select something.
	if nonEmpty < n/2 {
		t.Errorf("only %d of %d queries returned groups with data", nonEmpty, n)
	}
	t.Logf("%d queries (%d on custom properties), %d with data, %d groups compared", n, props, nonEmpty, groups)
}

// differentialRows are generated rows, some with odd values (wildcards,
// quotes, mixed case, non-Latin scripts) so filters meet them.
func differentialRows() []event.Row {
	var rows []event.Row
	r := rand.New(rand.NewPCG(3, 5))
	odd := []string{"100%", "a_b", "O'Reilly", `say "hi"`, `back\slash`, "ÉCOLE", "école", "日本語", "Ünïcode"}
	for row := range GenerateRows(42, diffRows, GenOptions{Start: diffStart, Days: 21}) {
		if r.IntN(20) == 0 {
			row.UTMCampaign = odd[r.IntN(len(odd))]
		}
		if r.IntN(20) == 0 {
			row.Path += "/" + odd[r.IntN(len(odd))]
		}
		rows = append(rows, row)
	}
	return rows
}

// compareQuery plans q for both stores and compares their results. It
// returns how many groups held non-zero sums.
func compareQuery(s, oracle Store, q query.Query, loc *time.Location) (int, error) {
	ctx := context.Background()
	earliest, err := s.Earliest(ctx, q.SiteID)
	if err != nil {
		return 0, err
	}
	if e, _ := oracle.Earliest(ctx, q.SiteID); !e.Equal(earliest) {
		return 0, fmt.Errorf("earliest %v, oracle %v", earliest, e)
	}
	p, err := query.Build(&q, diffNow, loc, earliest)
	if err != nil {
		return 0, fmt.Errorf("build %s: %w", describe(q, loc), err)
	}
	got, err := s.Query(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", describe(q, loc), err)
	}
	want, err := oracle.Query(ctx, p)
	if err != nil {
		return 0, fmt.Errorf("%s: oracle: %w", describe(q, loc), err)
	}
	if err := sameResult(p, got, want); err != nil {
		return 0, fmt.Errorf("%s: %w", describe(q, loc), err)
	}
	n := 0
	for _, g := range want.Groups {
		if slices.ContainsFunc(g.Sums, func(v int64) bool { return v != 0 }) {
			n++
		}
	}
	return n, nil
}
