package storetest

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// pageviews sums the site's page views over all time.
func pageviews(t testing.TB, s Store, site string) int64 {
	t.Helper()
	n, err := sumPageviews(s, site)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	return n
}

func sumPageviews(s Store, site string) (int64, error) {
	p := &query.Plan{
		Site: site, Location: time.UTC,
		From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC),
		Sums: []query.Sum{{Counter: query.CounterPageviews}}, Metrics: m(query.Pageviews),
		Formulas: []query.Formula{{Num: []int{0}}},
	}
	res, err := s.Query(context.Background(), p)
	if err != nil {
		return 0, err
	}
	return res.Groups[0].Sums[0], nil
}

// testAtomicAppend appends batches with one bad row each (invalid UTF-8,
// an unknown kind) at the start, middle or end of batches larger than an
// appender's internal chunk: nothing of a failed batch may be stored.
func testAtomicAppend(t *testing.T, open Opener) {
	s := newStore(t, open)
	ctx := context.Background()
	good := views("atomic.test", "2024-05-06T10:00:00Z")[0]
	for _, n := range []int{1, 10, 5000} {
		for _, at := range []int{0, n / 2, n - 1} {
			for name, spoil := range map[string]func(*event.Row){
				"invalid UTF-8": func(r *event.Row) { r.Path = "/bad\xff\xfe" },
				"unknown kind":  func(r *event.Row) { r.Kind = 0 },
			} {
				batch := make([]event.Row, n)
				for i := range batch {
					batch[i] = good
				}
				spoil(&batch[at])
				if err := s.Append(ctx, batch); err == nil {
					t.Errorf("%s in row %d of %d: append succeeded", name, at, n)
				}
				if got := pageviews(t, s, "atomic.test"); got != 0 {
					t.Fatalf("%s in row %d of %d: %d page views stored, want none", name, at, n, got)
				}
			}
		}
	}
	if err := s.Append(ctx, []event.Row{good, good}); err != nil {
		t.Fatalf("good batch after failures: %v", err)
	}
	if got := pageviews(t, s, "atomic.test"); got != 2 {
		t.Errorf("after a good batch: %d page views, want 2", got)
	}
	if err := s.Append(ctx, nil); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}

// testConcurrent appends batches while querying: every query sees whole
// batches only (run with -race).
func testConcurrent(t *testing.T, open Opener) {
	s := newStore(t, open)
	ctx := context.Background()
	const batches, size = 20, 250
	batch := make([]event.Row, size)
	for i := range batch {
		batch[i] = views("c.test", "2024-05-06T10:00:00Z")[0]
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	for range 2 {
		wg.Go(func() {
			for {
				n, err := sumPageviews(s, "c.test")
				if err != nil || n%size != 0 {
					t.Errorf("query saw %d page views (%v), want whole batches of %d", n, err, size)
					return
				}
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	for range batches {
		if err := s.Append(ctx, batch); err != nil {
			t.Errorf("append: %v", err)
		}
	}
	close(done)
	wg.Wait()
	if n := pageviews(t, s, "c.test"); n != batches*size {
		t.Errorf("%d page views, want %d", n, batches*size)
	}
}

// testEarliest checks the oldest ts per site, zero for a site without rows.
func testEarliest(t *testing.T, open Opener) {
	s := newStore(t, open, append(fixtureRows(), timeRows()...)...)
	ctx := context.Background()
	for site, want := range map[string]string{
		fixtureSite: "2024-05-06T10:00:00Z",
		"dst.test":  "2024-03-30T22:59:00Z",
		"week.test": "2024-03-31T00:15:00Z",
		"none.test": "",
	} {
		got, err := s.Earliest(ctx, site)
		if err != nil {
			t.Fatalf("earliest %s: %v", site, err)
		}
		if want == "" {
			if !got.IsZero() {
				t.Errorf("earliest %s = %v, want zero", site, got)
			}
			continue
		}
		w, _ := time.Parse(time.RFC3339, want)
		if !got.Equal(w) || got.Location() != time.UTC {
			t.Errorf("earliest %s = %v, want %v in UTC", site, got, w)
		}
	}
}

// testDeleteBefore checks retention on stores that implement Deleter.
func testDeleteBefore(t *testing.T, open Opener) {
	s := newStore(t, open, append(fixtureRows(), timeRows()...)...)
	d, ok := s.(Deleter)
	if !ok {
		t.Skip("store does not implement storetest.Deleter")
	}
	ctx := context.Background()
	cut := time.Date(2024, 10, 27, 0, 30, 0, 0, time.UTC)
	n, err := d.DeleteBefore(ctx, "dst.test", cut)
	if err != nil {
		t.Fatalf("delete before: %v", err)
	}
	if n != 8 {
		t.Errorf("deleted %d rows, want 8", n)
	}
	if got := pageviews(t, s, "dst.test"); got != 4 {
		t.Errorf("%d page views left, want 4", got)
	}
	if e, _ := s.Earliest(ctx, "dst.test"); !e.Equal(cut) {
		t.Errorf("earliest after delete = %v, want %v (a row at the cut stays)", e, cut)
	}
	if got := pageviews(t, s, "week.test"); got != 7 {
		t.Errorf("another site lost rows: %d page views, want 7", got)
	}
	if n, err := d.DeleteBefore(ctx, "dst.test", cut); err != nil || n != 0 {
		t.Errorf("second delete = %d, %v; want 0, nil", n, err)
	}
}

// testDumpText checks that a TextDumper writes every stored string value.
func testDumpText(t *testing.T, open Opener) {
	rows := fixtureRows()
	s := newStore(t, open, rows...)
	d, ok := s.(TextDumper)
	if !ok {
		t.Skip("store does not implement storetest.TextDumper")
	}
	var buf bytes.Buffer
	if err := d.DumpText(context.Background(), &buf); err != nil {
		t.Fatalf("dump text: %v", err)
	}
	for _, r := range rows {
		for _, v := range stringColumns(&r) {
			if v != "" && !bytes.Contains(buf.Bytes(), []byte(v)) {
				t.Errorf("dump lacks stored value %q", v)
			}
		}
	}
	if !bytes.Contains(buf.Bytes(), []byte("2024-05-06 12:00:00")) {
		t.Errorf("dump lacks a stored timestamp")
	}
}

// stringColumns lists a row's string values.
func stringColumns(r *event.Row) []string {
	var out []string
	for _, s := range r.Strings() {
		out = append(out, *s)
	}
	return out
}
