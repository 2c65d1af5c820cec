package collector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shukei-analytics/shukei/collector/wal"
	"github.com/shukei-analytics/shukei/event"
)

// checkingSink refuses rows a store would refuse (invalid UTF-8).
type checkingSink struct{ *memSink }

func (c checkingSink) AppendWAL(ctx context.Context, log string, after, upTo uint64, rows []event.Row) error {
	for i := range rows {
		for _, s := range rows[i].Strings() {
			if !utf8.ValidString(*s) {
				return errors.New("invalid UTF-8")
			}
		}
	}
	return c.memSink.AppendWAL(ctx, log, after, upTo, rows)
}

func wantStoredOnce(t *testing.T, sink *memSink, paths ...string) {
	t.Helper()
	got := sink.pageviews()
	for _, p := range paths {
		if got[p] != 1 {
			t.Errorf("%s stored %d times, want once", p, got[p])
		}
	}
	if len(got) != len(paths) {
		t.Errorf("%d paths stored, want %d", len(got), len(paths))
	}
}

func paths(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("/p/%d", from+i)
	}
	return out
}

func TestHitsAreStoredOnceAndMerged(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{}, sink)
	app := c.testApp()
	for _, p := range paths(0, 20) {
		postOK(t, app, "203.0.113.7", p)
	}
	for range 5 {
		postOK(t, app, "203.0.113.8", "/same")
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := sink.pageviews()
	if got["/same"] != 5 {
		t.Errorf("/same stored %d page views, want 5", got["/same"])
	}
	for _, p := range paths(0, 20) {
		if got[p] != 1 {
			t.Errorf("%s: %d page views", p, got[p])
		}
	}
	if applied, _ := c.applier.position(); applied != c.wal.DurableLSN() {
		t.Errorf("store position %d, log end %d", applied, c.wal.DurableLSN())
	}
	sink.mu.Lock()
	n := len(sink.rows)
	sink.mu.Unlock()
	// 25 page views and the corrections of visitor 7's previous pages;
	// the five views of /same by one visitor merge with their corrections.
	if n >= 25+19+4 {
		t.Errorf("%d rows stored: nothing merged", n)
	}
}

func TestStoreOutageKeepsHitsInTheLog(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{}, sink)
	app := c.testApp()
	postOK(t, app, "203.0.113.7", "/before")
	sink.set(func(s *memSink) { s.failing = errors.New("store down") })
	for _, p := range paths(0, 30) {
		postOK(t, app, "203.0.113.7", p) // accepted while the store is down
	}
	if err := c.Flush(context.Background()); err == nil {
		t.Fatal("flush into a failing store reported no error")
	}
	if err := c.Ready(context.Background()); err == nil {
		t.Error("ready while store writes fail")
	}
	// Hits after the failed batch was read must follow it.
	for _, p := range paths(30, 10) {
		postOK(t, app, "203.0.113.7", p)
	}
	sink.set(func(s *memSink) { s.failing = nil })
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.Ready(context.Background()); err != nil {
		t.Errorf("not ready after the store came back: %v", err)
	}
	wantStoredOnce(t, sink, append(paths(0, 40), "/before")...)
}

func TestLostCommitAnswerIsNotDuplicated(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{}, sink)
	app := c.testApp()
	for _, p := range paths(0, 10) {
		postOK(t, app, "203.0.113.7", p)
	}
	sink.set(func(s *memSink) { s.lostAnswers = 1 })
	if err := c.Flush(context.Background()); err == nil {
		t.Fatal("the lost answer was not reported")
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStoredOnce(t, sink, paths(0, 10)...)
}

// crash abandons a collector like a killed process: no drain, no flush;
// the log's files are closed so that another collector can open it.
func crash(t *testing.T, c *Collector) {
	t.Helper()
	c.stopping.Store(true)
	if c.cancel != nil {
		c.cancel()
		c.wg.Wait()
	}
	if err := c.wal.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReplayAfterCrashStoresOnce(t *testing.T) {
	sink := newMemSink()
	dir := t.TempDir()
	c := newTestCollector(t, Config{WAL: wal.Config{Dir: dir}}, sink)
	c.run(context.Background())
	app := c.testApp()
	for _, p := range paths(0, 10) {
		postOK(t, app, "203.0.113.7", p)
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths(10, 15) {
		postOK(t, app, "203.0.113.7", p)
	}
	crash(t, c)
	if n := len(sink.pageviews()); n != 10 {
		t.Fatalf("%d paths stored before the restart, want 10", n)
	}

	c2 := newTestCollector(t, Config{WAL: wal.Config{Dir: dir}}, sink)
	if err := c2.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStoredOnce(t, sink, paths(0, 25)...)
	// A second restart replays nothing.
	crash(t, c2)
	c3 := newTestCollector(t, Config{WAL: wal.Config{Dir: dir}}, sink)
	if err := c3.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStoredOnce(t, sink, paths(0, 25)...)
}

func TestBatchesAreBounded(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{BatchSize: 4}, sink)
	app := c.testApp()
	for i, p := range paths(0, 30) {
		postOK(t, app, fmt.Sprintf("203.0.%d.1", i), p) // one visitor each: one row per hit
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	batches := append([]int(nil), sink.batches...)
	sink.mu.Unlock()
	for _, n := range batches {
		if n > 4 {
			t.Errorf("a batch of %d rows; the limit is 4", n)
		}
	}
	if len(batches) < 8 {
		t.Errorf("%d batches for 30 rows of at most 4", len(batches))
	}
	wantStoredOnce(t, sink, paths(0, 30)...)
}

func TestFullLogRefusesWith503AndRecovers(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{WAL: wal.Config{MaxBytes: 256 << 10}}, sink)
	app := c.testApp()
	sink.set(func(s *memSink) { s.failing = errors.New("store down") })
	var accepted []string
	for i := 0; ; i++ {
		if i > 10_000 {
			t.Fatal("the log never filled up")
		}
		p := fmt.Sprintf("/long/%d/%s", i, strings.Repeat("section-", 25))
		res := post(t, app, fmt.Sprintf("198.51.%d.1", i%200), p)
		if res.StatusCode == http.StatusServiceUnavailable {
			if res.Header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			break
		}
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("hit %d: %d", i, res.StatusCode)
		}
		accepted = append(accepted, p)
	}
	if err := c.Ready(context.Background()); err == nil {
		t.Error("ready with a full log")
	}
	st := c.wal.Stats()
	if st.Bytes > st.MaxBytes {
		t.Errorf("log uses %d bytes, budget %d", st.Bytes, st.MaxBytes)
	}
	sink.set(func(s *memSink) { s.failing = nil })
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStoredOnce(t, sink, accepted...)
	postOK(t, app, "198.51.100.1", "/after")
	t.Logf("%d hits accepted into a 256 KiB log while the store was down", len(accepted))
}

func TestRefusalsCarryRetryAfter(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{ClientLimit: RateLimit{Rate: 1, Burst: 3}, SiteLimit: RateLimit{Rate: 1, Burst: 6}}, sink)
	app := c.testApp()
	for i := range 3 {
		postOK(t, app, "203.0.113.7", fmt.Sprintf("/a%d", i))
	}
	check := func(name string, res *http.Response, status int) {
		t.Helper()
		if res.StatusCode != status || res.Header.Get("Retry-After") == "" {
			t.Errorf("%s: %d Retry-After %q, want %d with Retry-After", name, res.StatusCode, res.Header.Get("Retry-After"), status)
		}
	}
	check("client over its limit", post(t, app, "203.0.113.99", "/a4"), http.StatusTooManyRequests)
	for i := range 3 {
		postOK(t, app, fmt.Sprintf("198.51.100.%d", i), fmt.Sprintf("/b%d", i))
	}
	check("site over its limit", post(t, app, "192.0.2.1", "/c"), http.StatusTooManyRequests)

	c.inflight.Store(int64(c.cfg.MaxInflight))
	check("too many hits in progress", post(t, app, "192.0.2.2", "/d"), http.StatusServiceUnavailable)
	c.inflight.Store(0)

	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	check("stopping", post(t, app, "192.0.2.3", "/e"), http.StatusServiceUnavailable)
	if err := c.Ready(context.Background()); err == nil {
		t.Error("ready while stopped")
	}
	// Only the accepted hits were stored, and Stop stored them.
	wantStoredOnce(t, sink, "/a0", "/a1", "/a2", "/b0", "/b1", "/b2")
}

func TestReadyEndpoint(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{}, sink)
	app := c.testApp()
	get := func() int {
		res, err := app.Test(httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode
	}
	if s := get(); s != http.StatusOK {
		t.Errorf("/readyz %d on a healthy collector", s)
	}
	sink.set(func(s *memSink) { s.failing = errors.New("down") })
	postOK(t, app, "203.0.113.7", "/x")
	_ = c.Flush(context.Background())
	if s := get(); s != http.StatusServiceUnavailable {
		t.Errorf("/readyz %d while the store fails", s)
	}
	sink.set(func(s *memSink) { s.failing = nil })
}

func TestStopDrainsTheLogAndDeletesSegments(t *testing.T) {
	sink := newMemSink()
	dir := t.TempDir()
	c := newTestCollector(t, Config{WAL: wal.Config{Dir: dir, MaxBytes: 1 << 20}}, sink)
	c.run(context.Background())
	app := c.testApp()
	var all []string
	for i := range 400 {
		p := fmt.Sprintf("/seg/%d/%s", i, strings.Repeat("chapter-", 40))
		postOK(t, app, fmt.Sprintf("198.51.%d.1", i%200), p)
		all = append(all, p)
	}
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStoredOnce(t, sink, all...)
	segs, _ := filepath.Glob(filepath.Join(dir, "*.wal"))
	if len(segs) != 1 {
		t.Errorf("%d segment files after everything was stored, want only the active one", len(segs))
	}
	if _, err := os.Stat(filepath.Join(dir, "LOCK")); err != nil {
		t.Error(err)
	}
}

// TestStoreAheadOfTheLog restores the log directory from an older copy:
// the store has applied positions the log no longer holds, and the hits
// accepted afterwards must not take those positions (they would be
// skipped as applied).
func TestStoreAheadOfTheLog(t *testing.T) {
	sink := newMemSink()
	dir := t.TempDir()
	old := filepath.Join(t.TempDir(), "copy")
	c := newTestCollector(t, Config{WAL: wal.Config{Dir: dir}}, sink)
	app := c.testApp()
	postOK(t, app, "203.0.113.7", "/early")
	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(old, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	c2 := newTestCollector(t, Config{WAL: wal.Config{Dir: dir}}, sink)
	app = c2.testApp()
	for _, p := range paths(0, 20) {
		postOK(t, app, "203.0.113.7", p)
	}
	if err := c2.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The old copy comes back; the store holds 21 records of its log.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(old, dir); err != nil {
		t.Fatal(err)
	}
	c3 := newTestCollector(t, Config{WAL: wal.Config{Dir: dir}}, sink)
	app = c3.testApp()
	for _, p := range paths(20, 5) {
		postOK(t, app, "203.0.113.7", p)
	}
	if err := c3.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantStoredOnce(t, sink, append(paths(0, 25), "/early")...)
}
