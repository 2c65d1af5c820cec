package logimport

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/collector/accesslog"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/internal/loggen"
	"github.com/shukei-analytics/shukei/site"
)

// memSink keeps what the importer stores, with the store's rules for
// positions (collector.Sink).
type memSink struct {
	mu      sync.Mutex
	pos     map[string]uint64
	rows    []event.Row
	appends int
	// after is called after each append (tests interrupt with it).
	after func()
}

func newMemSink() *memSink { return &memSink{pos: map[string]uint64{}} }

func (s *memSink) AppendWAL(_ context.Context, log string, after, upTo uint64, rows []event.Row) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch have := s.pos[log]; {
	case upTo <= after:
		return fmt.Errorf("empty range")
	case have >= upTo:
		return nil
	case have > after:
		return fmt.Errorf("overlap: %s at %d, batch (%d, %d]", log, have, after, upTo)
	}
	s.pos[log] = upTo
	s.rows = append(s.rows, rows...)
	s.appends++
	if s.after != nil {
		s.after()
	}
	return nil
}

func (s *memSink) WALApplied(_ context.Context, log string) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pos[log], nil
}

// totals sums the stored counters.
func (s *memSink) totals() event.Counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	var c event.Counters
	for _, r := range s.rows {
		c.Pageviews += r.Pageviews
		c.Visits += r.Visits
		c.Visitors += r.Visitors
		c.Bounces += r.Bounces
		c.Duration += r.Duration
	}
	return c
}

var tokyo, _ = time.LoadLocation("Asia/Tokyo")

func testLog(visitors int) *loggen.Log {
	return loggen.Generate(loggen.Config{Seed: 3, Site: "example.org", Start: time.Date(2026, 3, 9, 0, 0, 0, 0, tokyo),
		Days: 3, Visitors: visitors, SharedPrefixes: true, Noise: 1, MalformedEvery: 50})
}

// want computes the totals the log's truth gives.
func want(lg *loggen.Log) event.Counters {
	var c event.Counters
	c.Pageviews = int32(len(lg.Hits))
	c.Visits = int32(len(lg.Sessions))
	days := map[string]bool{}
	for _, h := range lg.Hits {
		days[h.At.In(tokyo).Format(time.DateOnly)+lg.Visitors[h.Visitor].IP+lg.Visitors[h.Visitor].UA] = true
	}
	c.Visitors = int32(len(days))
	for _, s := range lg.Sessions {
		if len(s.Hits) == 1 {
			c.Bounces++
		}
		c.Duration += int32(s.Hits[len(s.Hits)-1].At.Sub(s.Hits[0].At) / time.Second)
	}
	return c
}

func newImporter(t testing.TB, sink *memSink, mod func(*Config)) *Importer {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Site = &site.Site{Domain: "example.org", Location: tokyo, RetentionMonths: 120}
	cfg.Format = accesslog.Format(nil)
	if mod != nil {
		mod(&cfg)
	}
	im, err := New(cfg, sink, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { im.Close() })
	return im
}

// TestMergeServers: two servers behind a load balancer log the same visits
// into two files, each line into one of them. Merged by time, the visits
// are whole again.
func TestMergeServers(t *testing.T) {
	lg := testLog(60)
	dir := t.TempDir()
	var a, b []loggen.Line
	for i, l := range lg.Lines {
		if i%2 == 0 {
			a = append(a, l)
		} else {
			b = append(b, l)
		}
	}
	files := []string{filepath.Join(dir, "web1.log"), filepath.Join(dir, "web2.log.gz")}
	for i, part := range [][]loggen.Line{a, b} {
		if err := loggen.WriteFile(files[i], part, loggen.Combined, time.FixedZone("", (i*2-1)*3600)); err != nil {
			t.Fatal(err)
		}
	}
	sink := newMemSink()
	sum, err := newImporter(t, sink, nil).Run(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	if got, w := sink.totals(), want(lg); got != w {
		t.Errorf("stored %+v\nwant   %+v", got, w)
	}
	if sum.Late != 0 || sum.Counted != int64(len(lg.Hits)) || sum.Dropped[string(ReasonMalformed)] != int64(lg.Malformed()) {
		t.Errorf("summary: late %d, counted %d (want %d), malformed %d (want %d)", sum.Late, sum.Counted, len(lg.Hits), sum.Dropped[string(ReasonMalformed)], lg.Malformed())
	}
}

// TestInterruptedImport stops an import after some of its store steps and
// runs it again: every page view is stored exactly once.
func TestInterruptedImport(t *testing.T) {
	lg := testLog(80)
	path := filepath.Join(t.TempDir(), "access.log")
	if err := loggen.WriteFile(path, lg.Lines, loggen.Combined, tokyo); err != nil {
		t.Fatal(err)
	}
	sink := newMemSink()
	ctx, cancel := context.WithCancel(context.Background())
	sink.after = func() {
		if sink.appends == 3 {
			cancel()
		}
	}
	small := func(c *Config) { c.CommitRows = 40 }
	sum, err := newImporter(t, sink, small).Run(ctx, []string{path})
	if err == nil || sum.Counted == int64(len(lg.Hits)) {
		t.Fatalf("the import was not interrupted: err %v, counted %d", err, sum.Counted)
	}
	first := sink.totals().Pageviews
	if first == 0 || int(first) >= len(lg.Hits) {
		t.Fatalf("%d page views stored by the interrupted run", first)
	}
	sink.after = nil
	sum, err = newImporter(t, sink, small).Run(context.Background(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	if got := sink.totals().Pageviews; int(got) != len(lg.Hits) {
		t.Errorf("page views stored over both runs %d (first %d, then %d), want %d", got, first, sum.Counted, len(lg.Hits))
	}
}

// TestExactPosition: the position stored for a file never lies past a
// request not yet processed, nor before one processed.
func TestExactPosition(t *testing.T) {
	f := &fileState{in: &input{}}
	items := make([]*item, 4)
	for i := range items {
		items[i] = &item{start: int64(i * 10), end: int64(i*10 + 10), no: int64(i + 1), e: accesslog.Entry{Time: time.Unix(int64(100-i), 0)}}
	}
	f.receive(items)
	check := func(want int64, ok bool) {
		t.Helper()
		got, gotOK := f.exactPosition()
		if gotOK != ok || ok && got != want {
			t.Fatalf("position %d %v, want %d %v", got, gotOK, want, ok)
		}
	}
	check(0, true)
	f.markDone(items[2]) // processed out of file order: no exact position
	check(0, false)
	f.markDone(items[0])
	check(10, false)
	f.markDone(items[1])
	check(30, true)
	f.markDone(items[3])
	check(40, true)
}

func (s *memSink) Ping(context.Context) error { return nil }
