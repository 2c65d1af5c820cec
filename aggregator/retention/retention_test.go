package retention

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

var tokyo = func() *time.Location {
	l, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		panic(err)
	}
	return l
}()

// store is what the test needs of a store.
type store interface {
	Deleter
	Append(ctx context.Context, rows []event.Row) error
	Earliest(ctx context.Context, site string) (time.Time, error)
	Close() error
}

// The clock of the tests, and each site's cut-off under it.
var (
	now = time.Date(2026, 5, 20, 9, 30, 0, 0, tokyo)
	// Default retention of 14 months: 2025-03-20 00:00 in Tokyo.
	cutDefault = time.Date(2025, 3, 20, 0, 0, 0, 0, tokyo)
	// Three months: 2026-02-20 00:00 in Tokyo.
	cutShort = time.Date(2026, 2, 20, 0, 0, 0, 0, tokyo)
)

func sites() *site.Registry {
	return site.NewRegistry(
		&site.Site{Domain: "long.example", Location: tokyo},
		&site.Site{Domain: "short.example", Location: tokyo, RetentionMonths: 3},
	)
}

// rows are page views every 13 hours over 18 months, plus one on each
// side of each cut-off by a minute; it returns how many rows of each
// site lie before its cut-off.
func rows() ([]event.Row, map[string]int64) {
	view := func(domain string, ts time.Time) event.Row {
		return event.Row{Site: domain, TS: ts.UTC().Truncate(time.Minute), Kind: event.KindPageview,
			Name: event.PageviewName, Path: "/private/path", Counters: event.Counters{Pageviews: 1, Visitors: 1}}
	}
	expired := map[string]int64{}
	var out []event.Row
	add := func(domain string, cut, ts time.Time) {
		out = append(out, view(domain, ts))
		if ts.Before(cut) {
			expired[domain]++
		}
	}
	for ts := now.AddDate(0, -18, 0); ts.Before(now); ts = ts.Add(13 * time.Hour) {
		add("long.example", cutDefault, ts)
		add("short.example", cutShort, ts)
	}
	for domain, cut := range map[string]time.Time{"long.example": cutDefault, "short.example": cutShort} {
		add(domain, cut, cut.Add(-time.Minute))
		add(domain, cut, cut)
	}
	return out, expired
}

func TestCutoff(t *testing.T) {
	reg := sites()
	for domain, want := range map[string]time.Time{"long.example": cutDefault, "short.example": cutShort} {
		st, _ := reg.Lookup(domain)
		if got := Cutoff(st, now); !got.Equal(want) {
			t.Errorf("%s: cut-off %v, want %v", domain, got, want)
		}
	}
	short, _ := reg.Lookup("short.example")
	for at, want := range map[time.Time]time.Time{
		time.Date(2026, 5, 31, 23, 0, 0, 0, tokyo): time.Date(2026, 2, 28, 0, 0, 0, 0, tokyo),
		time.Date(2028, 5, 31, 1, 0, 0, 0, tokyo):  time.Date(2028, 2, 29, 0, 0, 0, 0, tokyo),
		time.Date(2026, 3, 1, 0, 30, 0, 0, tokyo):  time.Date(2025, 12, 1, 0, 0, 0, 0, tokyo),
		// 15:30 UTC on 2026-04-30 is already May 1st in Tokyo.
		time.Date(2026, 4, 30, 15, 30, 0, 0, time.UTC): time.Date(2026, 2, 1, 0, 0, 0, 0, tokyo),
	} {
		if got := Cutoff(short, at); !got.Equal(want) {
			t.Errorf("three months before %v: %v, want %v", at, got, want)
		}
	}
}

// prunes records what the archive was asked to prune.
type prunes map[string]disclosure.Day

func (p prunes) DeleteBefore(site string, before disclosure.Day) (int, error) {
	p[site] = before
	return 1, nil
}

func (p prunes) Sites() ([]string, error) { return nil, nil }

func (p prunes) RemoveSite(string) error { return errors.New("no site to remove") }

// testJob runs the job once over a store holding rows(): exactly the
// rows before each site's cut-off go, the log says how many and nothing
// else, and a second pass deletes nothing.
func testJob(t *testing.T, s store) {
	ctx := context.Background()
	all, expired := rows()
	if err := s.Append(ctx, all); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	archive := prunes{}
	job, err := New(Config{Now: func() time.Time { return now }}, Deps{Store: s, Sites: sites(), Archive: archive,
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	for domain, cut := range map[string]time.Time{"long.example": cutDefault, "short.example": cutShort} {
		first, err := s.Earliest(ctx, domain)
		if err != nil {
			t.Fatal(err)
		}
		if !first.Equal(cut) {
			t.Errorf("%s: oldest row %v, want the one at the cut-off %v", domain, first, cut)
		}
		if !strings.Contains(logs.String(), "site="+domain) || !strings.Contains(logs.String(), "rows="+strconv.FormatInt(expired[domain], 10)) {
			t.Errorf("%s: log does not say %d rows were deleted:\n%s", domain, expired[domain], logs.String())
		}
		if archive[domain] != disclosure.DayOf(cut, tokyo) {
			t.Errorf("%s: archive pruned before %v", domain, archive[domain])
		}
	}
	if strings.Contains(logs.String(), "/private/path") {
		t.Error("the log names row content")
	}
	logs.Reset()
	if err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "rows=") && !strings.Contains(logs.String(), "rows=0") {
		t.Errorf("a second pass deleted rows:\n%s", logs.String())
	}
}

func TestJobMemstore(t *testing.T) { testJob(t, memstore.New()) }

func TestJobDuckDB(t *testing.T) {
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(t.TempDir(), "r.duckdb"), Threads: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testJob(t, s)
}

func TestJobClickHouse(t *testing.T) {
	addr := chtest.Single(t)
	s, err := chstore.Open(context.Background(), chstore.Config{Addr: addr, Database: chtest.Database(t, addr), OldPartsLifetime: time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testJob(t, s)
}

func TestJobRunsAndStops(t *testing.T) {
	s := memstore.New()
	all, _ := rows()
	if err := s.Append(context.Background(), all); err != nil {
		t.Fatal(err)
	}
	job, err := New(Config{Interval: time.Second, Now: func() time.Time { return now }}, Deps{Store: s, Sites: sites()})
	if err != nil {
		t.Fatal(err)
	}
	job.Run(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for {
		first, _ := s.Earliest(context.Background(), "short.example")
		if first.Equal(cutShort) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduled job did not delete expired rows")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := job.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	if _, err := New(Config{Interval: time.Millisecond}, Deps{Store: memstore.New(), Sites: sites()}); err == nil {
		t.Error("a 1ms interval was accepted")
	}
	if _, err := New(Config{}, Deps{Sites: sites()}); err == nil {
		t.Error("no store was accepted")
	}
}

// compactCounter is an in-memory store that counts compactions and can
// make them fail.
type compactCounter struct {
	*memstore.Store
	calls int
	fail  bool
}

func (c *compactCounter) Compact(context.Context) error {
	c.calls++
	if c.fail {
		return errors.New("disk full")
	}
	return nil
}

// TestJobCompactsAfterDeleting checks that a pass that deleted rows
// compacts the store once, a pass that deleted nothing does not, and a
// failed compaction is tried again on the next pass.
func TestJobCompactsAfterDeleting(t *testing.T) {
	s := &compactCounter{Store: memstore.New(), fail: true}
	all, _ := rows()
	if err := s.Append(context.Background(), all); err != nil {
		t.Fatal(err)
	}
	job, err := New(Config{Now: func() time.Time { return now }}, Deps{Store: s, Sites: sites()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := job.Once(ctx); err == nil || s.calls != 1 {
		t.Fatalf("first pass: err %v, %d compactions; want the failure of 1", err, s.calls)
	}
	s.fail = false
	if err := job.Once(ctx); err != nil || s.calls != 2 {
		t.Fatalf("second pass (nothing to delete, compaction pending): err %v, %d compactions; want 2", err, s.calls)
	}
	if err := job.Once(ctx); err != nil || s.calls != 2 {
		t.Fatalf("third pass (nothing to do): err %v, %d compactions; want still 2", err, s.calls)
	}
}

// TestJobExpiresRemovedSites: rows of a site no longer configured are kept
// on the first pass that misses it (the registry may still be loading)
// and then deleted like a site's with the default retention, in UTC.
func TestJobExpiresRemovedSites(t *testing.T) {
	testRemoved(t, memstore.New())
}

func TestJobExpiresRemovedSitesDuckDB(t *testing.T) {
	s, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(t.TempDir(), "r.duckdb"), Threads: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	testRemoved(t, s)
}

func testRemoved(t *testing.T, s store) {
	ctx := context.Background()
	all, _ := rows()
	for ts := now.AddDate(0, -18, 0); ts.Before(now); ts = ts.Add(13 * time.Hour) {
		all = append(all, event.Row{Site: "gone.example", TS: ts.UTC().Truncate(time.Minute), Kind: event.KindPageview,
			Name: event.PageviewName, Path: "/", Counters: event.Counters{Pageviews: 1}})
	}
	if err := s.Append(ctx, all); err != nil {
		t.Fatal(err)
	}
	job, err := New(Config{Now: func() time.Time { return now }}, Deps{Store: s, Sites: sites()})
	if err != nil {
		t.Fatal(err)
	}
	first, _ := s.Earliest(ctx, "gone.example")
	if err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Earliest(ctx, "gone.example"); !got.Equal(first) {
		t.Fatalf("a site missing once lost rows: oldest %v, was %v", got, first)
	}
	if err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	cut := Cutoff(&site.Site{Domain: "gone.example", Location: time.UTC}, now)
	got, _ := s.Earliest(ctx, "gone.example")
	if got.Before(cut) || got.IsZero() {
		t.Errorf("removed site's oldest row %v, want at or after the default cut-off %v", got, cut)
	}
}
