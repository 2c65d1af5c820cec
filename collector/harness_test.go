package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/goleak"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

// TestMain fails the package's tests when a goroutine outlives them.
// Two of fasthttp's are not leaks: the one it starts once per process to
// cache the Date header, and a stopped server's idle-worker cleaner, which
// ends after its 10 s sleep.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.updateServerDate.func1"),
		goleak.IgnoreAnyFunction("github.com/valyala/fasthttp.(*workerPool).Start.func2"))
}

// memSink is the in-memory Sink: rows and positions per log, with the
// exactly-once rules of Sink.AppendWAL, and switches to fail.
type memSink struct {
	mu      sync.Mutex
	applied map[string]uint64
	rows    []event.Row
	batches []int // rows per stored batch
	// failing makes appends fail; lostAnswers makes the next n appends
	// commit and then report an error, like a connection lost after the
	// commit.
	failing     error
	lostAnswers int
}

func newMemSink() *memSink { return &memSink{applied: map[string]uint64{}} }

func (s *memSink) AppendWAL(_ context.Context, log string, after, upTo uint64, rows []event.Row) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing != nil {
		return s.failing
	}
	have := s.applied[log]
	switch {
	case upTo <= after:
		return errors.New("empty range")
	case have >= upTo:
		return nil
	case have > after:
		return fmt.Errorf("overlap: have %d, batch (%d, %d]", have, after, upTo)
	}
	s.rows = append(s.rows, rows...)
	s.batches = append(s.batches, len(rows))
	s.applied[log] = upTo
	if s.lostAnswers > 0 {
		s.lostAnswers--
		return errors.New("connection lost after commit")
	}
	return nil
}

func (s *memSink) WALApplied(_ context.Context, log string) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing != nil {
		return 0, s.failing
	}
	return s.applied[log], nil
}

// Ping fails while appends fail, as a store that is down would.
func (s *memSink) Ping(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failing
}

func (s *memSink) set(fn func(s *memSink)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}

// pageviews sums the stored page views by path.
func (s *memSink) pageviews() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, r := range s.rows {
		if r.Pageviews != 0 {
			out[r.Path] += int(r.Pageviews)
		}
	}
	return out
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newTestCollector builds a collector for example.org on sink, with the
// log in a temporary directory unless cfg names one, and stops it at the
// end of the test.
func newTestCollector(t testing.TB, cfg Config, sink Sink) *Collector {
	t.Helper()
	if cfg.WAL.Dir == "" {
		cfg.WAL.Dir = t.TempDir()
	}
	if cfg.TrustedProxies == nil {
		// app.Test's connections come from 0.0.0.0: trust it to forward
		// the client address each test names.
		cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC) }
	}
	sites := site.NewRegistry(&site.Site{Domain: "example.org", Location: time.UTC})
	c, err := New(cfg, sites, sink, prometheus.NewRegistry(), discard())
	if err != nil {
		t.Fatal(err)
	}
	// Opened, not started: a test runs the background work (c.run) when
	// it wants the applier and the sweeps, and flushes by hand otherwise.
	if err := c.open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !c.stopping.Load() {
			_ = c.Stop(context.Background())
		}
	})
	return c
}

func (c *Collector) testApp() *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	if err := route.Mount(app, c.Routes()); err != nil {
		panic(err)
	}
	return app
}

// localProxies trusts the loopback test clients to forward addresses.
var localProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

const testUA = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"

// post sends a page view of path from ip and returns the response.
func post(t *testing.T, app *fiber.App, ip, path string) *http.Response {
	t.Helper()
	body := fmt.Sprintf(`{"n":"pageview","u":"https://example.org%s","d":"example.org"}`, path)
	req := httptest.NewRequest(http.MethodPost, "/api/event", strings.NewReader(body))
	req.Header.Set("X-Forwarded-For", ip)
	req.Header.Set("User-Agent", testUA)
	res, err := app.Test(req, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// postOK posts and fails the test unless the hit was accepted.
func postOK(t *testing.T, app *fiber.App, ip, path string) {
	t.Helper()
	if res := post(t, app, ip, path); res.StatusCode != http.StatusAccepted {
		t.Fatalf("hit %s from %s: %d", path, ip, res.StatusCode)
	}
}
