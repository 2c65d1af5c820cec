package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/internal/loggen"
)

// clickHouseTarget is a test database on the single server or the
// two-shard cluster: the serve flags selecting it and where its files are.
type clickHouseTarget struct {
	args   []string
	cfg    chstore.Config
	shards []string
	logs   []string
}

func newClickHouseTarget(t *testing.T, cluster bool) clickHouseTarget {
	t.Helper()
	var c clickHouseTarget
	if cluster {
		addr, name := chtest.Cluster(t)
		c.shards = chtest.Shards(t, addr, name)
		c.cfg = chstore.Config{Addr: addr, Cluster: name}
	} else {
		c.cfg.Addr = chtest.Single(t)
		c.shards = []string{c.cfg.Addr}
	}
	c.cfg.Database = chtest.Database(t, c.shards...)
	c.args = []string{"-store", "clickhouse://" + c.cfg.Addr + "/" + c.cfg.Database}
	if cluster {
		c.args = append(c.args, "-clickhouse-cluster", c.cfg.Cluster)
	}
	c.logs = chtest.LogDirs(cluster)
	return c
}

// TestCanaryClickHouse is TestCanaryPublished with the rows in ClickHouse,
// on one server and on two shards: it also searches every decoded column
// of every table on every shard, the database's files on each server and
// the servers' logs.
func TestCanaryClickHouse(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			target := newClickHouseTarget(t, cluster)
			args := append([]string{"-site", "canary.example", "-geoip", writeSimGeo(t)}, target.args...)
			srv := startTestServer(t, testOptions{args: append(append(args, publishArgs...), canaryPropArgs...), start: seedStart})
			canaries := sendCanaries(t, srv)
			served := fetchPublished(t, srv)
			sources := stopAndCollect(t, srv)
			for name, b := range served {
				sources[name] = b
			}
			sources["decoded columns (ClickHouse)"] = dumpClickHouse(t, target.cfg)
			for _, addr := range target.shards {
				for _, dir := range chtest.DatabaseDirs(t, addr, target.cfg.Database) {
					readFiles(t, sources, "ClickHouse file ", dir)
				}
			}
			for _, dir := range target.logs {
				readFiles(t, sources, "ClickHouse log ", dir)
			}
			if n := countPrefix(sources, "ClickHouse file "); n == 0 {
				t.Errorf("no file of the ClickHouse database was read")
			}
			scanCanaries(t, sources, canaries)
		})
	}
}

// TestGroundTruthClickHouse is the ground-truth scenario (TestGroundTruth)
// with the rows in ClickHouse: on one server, and on two shards where the
// queries read the Distributed table.
func TestGroundTruthClickHouse(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			groundTruth(t, newClickHouseTarget(t, cluster).args...)
		})
	}
}

// TestImportGroundTruthClickHouse imports the ground-truth log into
// ClickHouse, on one server and on two shards, twice (counted once).
func TestImportGroundTruthClickHouse(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			importGroundTruth(t, loggen.Combined, newClickHouseTarget(t, cluster).args...)
		})
	}
}

func countPrefix(m map[string][]byte, prefix string) int {
	n := 0
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

// dumpClickHouse decodes every column of every table of the test database.
func dumpClickHouse(t *testing.T, cfg chstore.Config) []byte {
	t.Helper()
	st, err := chstore.Open(context.Background(), cfg, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var buf bytes.Buffer
	if err := st.DumpText(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestClickHouseOutage stops the ClickHouse server in the middle of a
// stream of hits and starts it again: ingest answers 202 throughout, the
// failed appends are counted and logged, and once the server is back
// every accepted hit is stored exactly once.
func TestClickHouseOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("stops and starts a ClickHouse server")
	}
	ch := chtest.Private(t)
	srv := startTestServer(t, testOptions{args: []string{"-site", "outage.example",
		"-store", "clickhouse://" + ch.Addr + "/shukei", "-flush-interval", "20ms"}})
	accepted := 0
	send := func(n int) {
		for range n {
			i := accepted
			ip := fmt.Sprintf("10.%d.%d.7", i/250, i%250)
			page := "https://outage.example/p/" + strconv.Itoa(i%17)
			if status, body := srv.hit(ip, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
				map[string]any{"n": "pageview", "u": page, "d": "outage.example"}, nil); status != 202 {
				t.Fatalf("hit %d: %d %s", i, status, body)
			}
			accepted++
			time.Sleep(time.Millisecond)
		}
	}
	send(150)
	ch.Stop()
	send(150)
	waitFor(t, "a failed append to be counted", func() bool { return flushErrors(t, srv) > 0 })
	if !strings.Contains(srv.logs.String(), "store append failed") {
		t.Errorf("the failed append was not logged")
	}
	send(50)
	ch.Start()
	send(150)
	waitFor(t, "every accepted hit to be stored", func() bool { return srv.inst.collector.Flush(context.Background()) == nil })
	got := srv.query(`{"site_id":"outage.example","metrics":["pageviews","visitors"],"date_range":"all"}`).Results[0].Metrics
	if *got[0] != float64(accepted) || *got[1] != float64(accepted) {
		t.Errorf("stored %v page views by %v visitors, want each of the %d accepted hits exactly once", *got[0], *got[1], accepted)
	}
}

var flushErrorsRE = regexp.MustCompile(`(?m)^shukei_flush_errors_total (\d+)`)

func flushErrors(t *testing.T, srv *testServer) int {
	m := flushErrorsRE.FindStringSubmatch(srv.metrics())
	if m == nil {
		t.Fatal("/metrics has no shukei_flush_errors_total")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// waitFor polls cond for up to a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestClickHouseUnreachable checks that a server that does not answer at
// start is an error naming its address, and that bad store flags are
// refused with a message (without echoing a password).
func TestClickHouseUnreachable(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-store", "clickhouse://127.0.0.1:1/shukei?dial_timeout=500ms"}, "connect to 127.0.0.1:1"},
		{[]string{"-store", "clickhouse://127.0.0.1:1/bad-name"}, `database "bad-name"`},
		{[]string{"-store", "clickhose://user:s3cret@127.0.0.1/x"}, "unknown store"},
		{[]string{"-store", "clickhouse://127.0.0.1/x?colour=red"}, `unknown parameter "colour"`},
		{[]string{"-clickhouse-cluster", "c2"}, "needs -store clickhouse"},
		{[]string{"-store", "clickhouse://127.0.0.1:1/x", "-clickhouse-cluster", "c-2"}, `cluster "c-2"`},
	} {
		cfg := &serveConfig{}
		fs := newServeFlagSet(cfg)
		if err := fs.Parse(append([]string{"-data", t.TempDir(), "-site", "x.example"}, tc.args...)); err != nil {
			t.Fatal(err)
		}
		_, err := startServer(context.Background(), cfg, serverDeps{log: discardLogger(), stdout: &bytes.Buffer{}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: start = %v, want an error containing %q", tc.args, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%v: the error shows the password: %v", tc.args, err)
		}
	}
}
