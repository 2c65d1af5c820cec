package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

// TestKillNineDuringAgeing kills the real binary with SIGKILL at random
// moments of its ageing pass — inside a chunk's transaction, between
// chunks, while it records its promise — while clients send hits and ask
// day-by-day reports, then restarts it on the same data directory. Every
// report answered, during a pass or after, must equal the report from the
// rows as written (no row merged twice, none lost); the last pass
// completes, and a later one finds nothing left to merge; every hit that
// got a 202 is stored once.
func TestKillNineDuringAgeing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly")
	}
	data := t.TempDir()
	killDuringAgeing(t, ageingTarget{
		data: data, rows: 30000, rounds: max(3, killRounds(t)/2),
		write:  func(rows []event.Row) { writeRowsTo(t, duckStore(t, data), rows) },
		stored: func() map[string]int64 { return storedByPath(t, data) },
	})
}

// TestKillNineDuringAgeingClickHouse is TestKillNineDuringAgeing with the
// rows on one ClickHouse server and on two shards: the binary is killed
// while its pass claims, merges, commits or deletes (agejob.go), and the
// next one finishes or undoes the job cut short.
func TestKillNineDuringAgeingClickHouse(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly")
	}
	for _, cluster := range []bool{false, true} {
		name := map[bool]string{false: "single", true: "cluster"}[cluster]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newClickHouseTarget(t, cluster)
			killDuringAgeing(t, ageingTarget{
				data: t.TempDir(), args: c.args, rows: 8000, rounds: max(3, killRounds(t)/2),
				write: func(rows []event.Row) {
					st, err := chstore.Open(context.Background(), c.cfg, nil)
					if err != nil {
						t.Fatal(err)
					}
					writeRowsTo(t, st, rows)
				},
				stored: func() map[string]int64 { return storedByPathClickHouse(t, c.cfg.Addr, c.cfg.Database) },
			})
		})
	}
}

// ageingTarget is where the kill test keeps its rows: serve's store
// flags, how it writes the rows as a server that counted them would have,
// and how it reads the stored page views per path.
type ageingTarget struct {
	data   string
	args   []string
	rows   int
	rounds int
	write  func([]event.Row)
	stored func() map[string]int64
}

// killDuringAgeing kills the real binary with SIGKILL at random moments
// of its ageing passes while clients send hits and ask day-by-day
// reports, then restarts it on the same store. Every report answered,
// during a pass or after, must equal the report from the rows as written
// (no row merged twice, none lost); the last pass completes, and a later
// one finds nothing left to merge; every hit that got a 202 is stored
// once.
func killDuringAgeing(t *testing.T, tg ageingTarget) {
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 9))
	t.Logf("seed %d, %d kills", seed, tg.rounds)
	data := tg.data
	first := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -50)
	tg.write(slices.Collect(storetest.GenerateRows(11, tg.rows, storetest.GenOptions{Start: first, Days: 47, Sites: []string{"example.org"}})))
	last := first.AddDate(0, 0, 46).Format("2006-01-02")
	queries := ageingReports(first.Format("2006-01-02"), last)
	// One address for every start: a killed node that comes back on the
	// same host and -listen takes its jobs lease again at once (a store
	// shared by several nodes keeps the lease of a node that vanished
	// until it runs out).
	addr := freeAddr(t)
	serve := func(interval string) *binServer {
		return startBinaryAt(t, addr, data, append([]string{"-ageing-interval", interval}, tg.args...)...)
	}

	srv := serve("0")
	srv.waitReady()
	want := make([]string, len(queries))
	for i, q := range queries {
		want[i] = srv.report(q)
	}
	srv.stop()

	ledger := newLedger()
	answered, resumed := 0, 0
	var servers []*binServer
	for round := range tg.rounds {
		srv := serve("1h")
		servers = append(servers, srv)
		srv.waitReady()
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			ledger.load(srv.addr, fmt.Sprintf("/r%d", round), 4, stop)
			close(done)
		}()
		deadline := time.Now().Add(time.Duration(50+rng.IntN(2500)) * time.Millisecond)
		for i := 0; time.Now().Before(deadline); i++ {
			q := i % len(queries)
			if got, ok := srv.tryReport(queries[q]); ok {
				answered++
				if got != want[q] {
					t.Errorf("round %d, during ageing: %s\n got %s\nwant %s", round, queries[q], got, want[q])
				}
			}
		}
		srv.kill()
		close(stop)
		<-done
	}
	final := serve("1h")
	final.waitReady()
	waitFor(t, "the ageing pass to complete", func() bool {
		v, err := final.metric("shukei_ageing_last_success_timestamp_seconds")
		return err == nil && v > 0
	})
	// How many starts found a merge job cut short and finished it (the
	// ClickHouse store logs it; DuckDB's chunks need no such step).
	for _, s := range append(servers, final) {
		if strings.Contains(s.logs.String(), "cut short") {
			resumed++
		}
	}
	for i, q := range queries {
		if got := final.report(q); got != want[i] {
			t.Errorf("after ageing: %s\n got %s\nwant %s", q, got, want[i])
		}
	}
	final.stop()
	t.Logf("%d reports answered during ageing passes; %d starts finished a merge job cut short", answered, resumed)
	if answered == 0 {
		t.Error("no report was answered while the server aged rows")
	}

	args := append([]string{"-data", data, "-site", "example.org"}, tg.args...)
	out, err := exec.Command(mustBinary(t), append([]string{"age"}, args...)...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "merged 0 chunks") {
		t.Errorf("a pass after the last one merged again or failed: %v\n%s", err, out)
	}
	out, err = exec.Command(mustBinary(t), append([]string{"audit"}, args...)...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "day (generalised)") {
		t.Errorf("the audit shows no rows merged to days: %v\n%s", err, out)
	}
	// The load's paths only: the written rows have paths of their own.
	stored := tg.stored()
	for p := range stored {
		if !strings.HasPrefix(p, "/r") {
			delete(stored, p)
		}
	}
	res := ledger.tally(stored)
	t.Logf("hits during the kills: %v", res)
	res.check(t)
}

// appender is a store the kill test writes its rows into.
type appender interface {
	Append(ctx context.Context, rows []event.Row) error
	Close() error
}

func duckStore(t *testing.T, data string) appender {
	t.Helper()
	st, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(data, duckDBFile)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// writeRowsTo stores rows as a server that counted them would have, and
// closes the store.
func writeRowsTo(t *testing.T, st appender, rows []event.Row) {
	t.Helper()
	ctx := context.Background()
	for chunk := range slices.Chunk(rows, 2000) {
		if err := st.Append(ctx, chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// ageingReports are day-grain reports over the written days: what ageing
// must leave exact.
func ageingReports(from, to string) []string {
	rng := `"date_range":["` + from + `","` + to + `"]`
	q := func(metrics, dims string) string {
		return `{"site_id":"example.org",` + rng + `,"metrics":[` + metrics + `],"dimensions":[` + dims + `],"pagination":{"limit":1000}}`
	}
	all := `"visitors","visits","pageviews","bounce_rate","visit_duration","events"`
	return []string{
		q(all, `"time:day"`),
		q(all, ``),
		q(`"visitors","pageviews","time_on_page"`, `"event:page"`),
		q(`"visitors","visits"`, `"visit:entry_page","time:week"`),
		q(`"visitors"`, `"visit:country","visit:browser"`),
		q(`"visitors","events"`, `"event:name"`),
		q(`"visitors","bounce_rate"`, `"visit:source","time:day"`),
	}
}

// report runs a Stats API query and returns its results as JSON.
func (s *binServer) report(q string) string {
	s.t.Helper()
	got, ok := s.tryReport(q)
	if !ok {
		s.t.Fatalf("query failed: %s", q)
	}
	return got
}

// tryReport is report that reports failure (a killed server) as !ok.
func (s *binServer) tryReport(q string) (string, bool) {
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/api/v2/query", bytes.NewBufferString(q))
	req.Header.Set("Authorization", "Bearer reliability-test-token-0123456789")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", false
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		s.t.Errorf("query %s: %d %s", q, res.StatusCode, b)
		return "", false
	}
	var body struct {
		Results json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(b, &body); err != nil {
		s.t.Errorf("query %s: %v", q, err)
		return "", false
	}
	return string(body.Results), true
}

func mustBinary(t *testing.T) string {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}
