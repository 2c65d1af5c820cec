package collector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // the driver, to read the stored rows back

	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

// faultySink makes a real store unreachable while down is set: every call
// fails as a lost connection would.
type faultySink struct {
	Sink
	down  atomic.Bool
	fails atomic.Int64
}

var errOutage = errors.New("injected outage: store unreachable")

func (f *faultySink) AppendWAL(ctx context.Context, log string, after, upTo uint64, rows []event.Row) error {
	if f.down.Load() {
		f.fails.Add(1)
		return errOutage
	}
	return f.Sink.AppendWAL(ctx, log, after, upTo, rows)
}

func (f *faultySink) WALApplied(ctx context.Context, log string) (uint64, error) {
	if f.down.Load() {
		return 0, errOutage
	}
	return f.Sink.WALApplied(ctx, log)
}

// loadResult is what a load run saw.
type loadResult struct {
	attempts, acknowledged, refused atomic.Int64
	mu                              sync.Mutex
	acked                           []string
	statuses                        map[int]int
}

// drive posts unique page views from workers concurrent clients until stop
// is closed, recording every path answered 202.
func drive(t *testing.T, url string, workers int, stop <-chan struct{}, res *loadResult) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := fmt.Sprintf("/w%d/n%d", w, i)
				body := fmt.Sprintf(`{"n":"pageview","u":"https://example.org%s","d":"example.org"}`, path)
				req, _ := http.NewRequest(http.MethodPost, url+"/api/event", strings.NewReader(body))
				req.Header.Set("User-Agent", testUA)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.%d.1", w))
				res.attempts.Add(1)
				resp, err := client.Do(req)
				if err != nil {
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				res.mu.Lock()
				res.statuses[resp.StatusCode]++
				if resp.StatusCode == http.StatusAccepted {
					res.acked = append(res.acked, path)
				}
				res.mu.Unlock()
				if resp.StatusCode == http.StatusAccepted {
					res.acknowledged.Add(1)
				} else {
					res.refused.Add(1)
				}
			}
		})
	}
	wg.Wait()
}

// storedByPath reads Σ pageviews by path from a closed DuckDB file.
func storedByPath(t *testing.T, path string) map[string]int64 {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT path, SUM(pageviews) FROM events GROUP BY path HAVING SUM(pageviews) <> 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	return storetest.CountByPath(t, rows)
}

// TestDuckDBOutageLosesNothing makes the DuckDB store fail for a while
// under concurrent load over loopback: every hit is answered 202 during
// the outage (the log is far from its budget), and afterwards every
// acknowledged hit is stored exactly once.
func TestDuckDBOutageLosesNothing(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "shukei.duckdb")
	store, err := duckstore.Open(context.Background(), duckstore.Config{Path: dbPath, Threads: 2}, discard())
	if err != nil {
		t.Fatal(err)
	}
	sink := &faultySink{Sink: store}
	c := newTestCollector(t, Config{FlushInterval: 50 * time.Millisecond, TrustedProxies: localProxies}, sink)
	c.run(context.Background())
	url := serveLoopback(t, c)

	res := &loadResult{statuses: map[int]int{}}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { drive(t, url, 8, stop, res); close(done) }()
	phase := func(d time.Duration) int64 {
		before := res.acknowledged.Load()
		time.Sleep(d)
		return res.acknowledged.Load() - before
	}
	healthy := phase(300 * time.Millisecond)
	sink.down.Store(true)
	during := phase(1500 * time.Millisecond)
	sink.down.Store(false)
	after := phase(300 * time.Millisecond)
	close(stop)
	<-done

	if err := c.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	if sink.fails.Load() == 0 || during == 0 {
		t.Fatalf("the outage was not exercised: %d failed appends, %d hits during it", sink.fails.Load(), during)
	}
	if res.refused.Load() != 0 {
		t.Errorf("hits refused while the log had room: %v", res.statuses)
	}
	stored := storedByPath(t, dbPath)
	lost, dup := 0, 0
	for _, p := range res.acked {
		switch n := stored[p]; {
		case n == 0:
			lost++
		case n > 1:
			dup++
		}
	}
	if lost != 0 || dup != 0 || int64(len(stored)) != res.acknowledged.Load() {
		t.Errorf("lost %d, duplicated %d, %d paths stored for %d acknowledged", lost, dup, len(stored), res.acknowledged.Load())
	}
	t.Logf("attempts %d, acknowledged %d (%d before, %d during, %d after the outage), stored %d, lost %d, duplicated %d",
		res.attempts.Load(), res.acknowledged.Load(), healthy, during, after, len(stored), lost, dup)
}

// serveLoopback serves the collector's routes on a loopback port until
// the test ends.
func serveLoopback(t *testing.T, c *Collector) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	app := c.testApp()
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}
