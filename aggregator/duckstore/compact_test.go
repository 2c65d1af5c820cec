package duckstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/internal/diskscan"
)

// scan searches the files under dir for needle.
func scan(t *testing.T, dir string, needle []byte) diskscan.Result {
	t.Helper()
	r, err := diskscan.Scan(needle, dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// diskFigure is the bytes of the files under dir and how often needle
// occurs in them.
func diskFigure(t *testing.T, dir string, needle []byte) string {
	r := scan(t, dir, needle)
	return fmt.Sprintf("%d bytes on disk, the canary %d times", r.Bytes, r.Hits)
}

// filesHolding names the files under dir whose bytes contain needle.
func filesHolding(t *testing.T, dir string, needle []byte) []string {
	return scan(t, dir, needle).Files
}

// canaryRows are a month of a site's page views whose paths carry a
// canary, interleaved with another site's rows (so that deleting them
// leaves row groups partly deleted, the hard case), and later rows that
// stay.
func canaryRows(canary string) []event.Row {
	var rows []event.Row
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 60000 {
		ts := start.Add(time.Duration(i) * 40 * time.Second).Truncate(time.Minute)
		site, path := "purged.example", fmt.Sprintf("/%s/%d", canary, i%500)
		if i%2 == 1 {
			site, path = "kept.example", fmt.Sprintf("/kept/%d", i%300)
		}
		rows = append(rows, event.Row{Site: site, TS: ts, Kind: event.KindPageview, Name: event.PageviewName,
			Hostname: site, Path: path, Counters: event.Counters{Pageviews: 1}})
	}
	later := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		rows = append(rows, event.Row{Site: "purged.example", TS: later.Add(time.Duration(i) * time.Minute), Kind: event.KindPageview,
			Name: event.PageviewName, Hostname: "purged.example", Path: fmt.Sprintf("/june/%d", i%40), Counters: event.Counters{Pageviews: 1}})
	}
	return rows
}

// TestCompactLeavesNoDeletedBytes deletes a canary month and compacts: no
// byte of the canary may remain in any file of the directory, while the
// rows that were kept answer as before and the store goes on working.
func TestCompactLeavesNoDeletedBytes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shukei.duckdb")
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: path, Threads: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	canary := []byte("purgecanary7d1e")
	if err := s.Append(ctx, canaryRows(string(canary))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	if len(filesHolding(t, dir, canary)) == 0 {
		t.Fatal("the canary is not in the database file: the scan proves nothing")
	}
	t.Logf("stored: %s", diskFigure(t, dir, canary))
	kept := count(t, s, "SELECT count(*) FROM events")
	n, err := s.DeleteBefore(ctx, "purged.example", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || n != 30000 {
		t.Fatalf("deleted %d rows (%v), want 30000", n, err)
	}
	kept -= n
	t.Logf("deleted and checkpointed, not compacted: %s", diskFigure(t, dir, canary))
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("compacted: %s", diskFigure(t, dir, canary))
	if got := filesHolding(t, dir, canary); len(got) > 0 {
		t.Errorf("after compaction the canary is still in %v", got)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != kept {
		t.Errorf("%d rows after compaction, want %d", n, kept)
	}
	if n := count(t, s, "SELECT count(*) FROM events e JOIN sites s ON e.site_id = s.id WHERE s.name = 'kept.example'"); n != 30000 {
		t.Errorf("kept site has %d rows, want 30000", n)
	}
	// The store goes on: appends, queries, another compaction, a reopen.
	if err := s.Append(ctx, genRows(10)); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != kept+10 {
		t.Errorf("%d rows after a second compaction, want %d", n, kept+10)
	}
	if _, err := os.Stat(s.compactDir()); !os.IsNotExist(err) {
		t.Errorf("the compaction directory is left behind: %v", err)
	}
}

// TestSuiteAfterCompaction runs the store suite on file stores that were
// compacted before use: the copy keeps the schema, constraints and
// bookkeeping tables the suite relies on.
func TestSuiteAfterCompaction(t *testing.T) {
	if testing.Short() {
		t.Skip("the suite again, on compacted files")
	}
	storetest.Run(t, func(t *testing.T) storetest.Store {
		s, err := Open(context.Background(), Config{Path: filepath.Join(t.TempDir(), "shukei.duckdb"), Threads: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Compact(context.Background()); err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestCompactWhileQuerying compacts while queries run: they wait for the
// swap at most, and never fail.
func TestCompactWhileQuerying(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "shukei.duckdb"), Threads: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows := genRows(2000)
	if err := s.Append(ctx, rows); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		for range 3 {
			if err := s.Compact(ctx); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return
		default:
		}
		if _, err := s.Earliest(ctx, rows[0].Site); err != nil {
			t.Fatalf("query during compaction: %v", err)
		}
		if err := s.Append(ctx, genRows(1)); err != nil {
			t.Fatalf("append during compaction: %v", err)
		}
	}
}

// TestCompactSortsRollups checks that the copy holds the rollup rows in
// (site_id, dim, ts) order, as a plain scan returns them, and that every
// query and Earliest answer as they did before.
func TestCompactSortsRollups(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), "shukei.duckdb"), Threads: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	rows := slices.Collect(storetest.GenerateRows(5, 20000, storetest.GenOptions{Start: start, Days: 12}))
	// In batches, as a collector appends them.
	for len(rows) > 0 {
		n := min(len(rows), 1500)
		if err := s.Append(ctx, rows[:n]); err != nil {
			t.Fatal(err)
		}
		rows = rows[n:]
	}
	if rollupsSorted(t, s) {
		t.Fatal("the rollup rows are sorted before compaction: the test proves nothing")
	}
	type answer struct {
		earliest time.Time
		groups   []query.Group
	}
	answers := func() []answer {
		var out []answer
		for _, name := range storetest.DefaultSites {
			earliest, err := s.Earliest(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range []query.Dimension{"", query.TimeDay, query.EventPage, query.Country, query.Source, query.Browser, query.EntryPage} {
				q := query.Query{SiteID: name, Metrics: []query.Metric{query.Visitors, query.Pageviews}, DateRange: query.DateRange{Preset: query.RangeAll}}
				if d == query.EntryPage {
					q.Metrics = []query.Metric{query.Visits}
				}
				if d != "" {
					q.Dimensions = []query.Dimension{d}
				}
				p, err := query.Build(&q, start.AddDate(0, 0, 13), time.UTC, earliest)
				if err != nil {
					t.Fatal(err)
				}
				res, err := s.Query(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, answer{earliest, res.Groups})
			}
		}
		return out
	}
	before := answers()
	if err := s.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if !rollupsSorted(t, s) {
		t.Error("after compaction the rollup rows are not in (site_id, dim, ts) order")
	}
	after := answers()
	for i := range before {
		b, a := before[i], after[i]
		if len(b.groups) == 0 || !b.earliest.Equal(a.earliest) || !slices.EqualFunc(a.groups, b.groups, func(x, y query.Group) bool {
			return slices.Equal(x.Dimensions, y.Dimensions) && slices.Equal(x.Sums, y.Sums)
		}) {
			t.Errorf("answer %d: before compaction %v %v, after %v %v", i, b.earliest, b.groups, a.earliest, a.groups)
		}
	}
}

// rollupsSorted tells whether a plain scan of the rollups table returns
// its rows in (site_id, dim, ts) order.
func rollupsSorted(t *testing.T, s *Store) bool {
	t.Helper()
	rows, err := s.db.Query("SELECT site_id, dim, epoch_us(ts) FROM rollups")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var prev [3]int64
	sorted, n := true, 0
	for rows.Next() {
		var k [3]int64
		if err := rows.Scan(&k[0], &k[1], &k[2]); err != nil {
			t.Fatal(err)
		}
		if n > 0 && slices.Compare(k[:], prev[:]) < 0 {
			sorted = false
		}
		prev, n = k, n+1
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no rollup rows")
	}
	return sorted
}
