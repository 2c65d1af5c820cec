package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/site"
)

// TestRolesOnOneClickHouse runs three in-process nodes on one ClickHouse
// database: a dashboard node, an ingest node and a jobs node. A site the
// dashboard node adds is counted by the ingest node within the sync
// interval; the ingest node serves no dashboard and opens no admin
// database; a second jobs node refuses to start, naming the holder; when
// the jobs node stops, another takes the lease.
func TestRolesOnOneClickHouse(t *testing.T) {
	if testing.Short() {
		t.Skip("runs against ClickHouse")
	}
	ch := newClickHouseTarget(t, false)
	node := func(roles string, extra ...string) *testServer {
		args := append([]string{"-roles", roles, "-site-sync-interval", "200ms", "-jobs-lease-ttl", "3s"}, ch.args...)
		return startTestServer(t, testOptions{args: append(args, extra...)})
	}
	dash := node("dashboard", "-node-name", "dash")
	ingest := node("ingest", "-node-name", "ingest")
	jobs := node("jobs", "-node-name", "jobs-1")

	if dash.inst.collector != nil || ingest.inst.dashboard != nil || jobs.inst.collector != nil || jobs.inst.dashboard != nil {
		t.Fatal("a node runs a role it was not given")
	}
	if status, _ := ingest.get(ingest.url + "/login"); status != http.StatusNotFound {
		t.Errorf("the ingest node serves the dashboard: %d", status)
	}
	if status, _ := dash.post("/api/event", "application/json", []byte(`{"n":"pageview","u":"https://x.example/","d":"x.example"}`), nil); status != http.StatusNotFound {
		t.Errorf("the dashboard node takes hits: %d", status)
	}

	// A site added on the dashboard node reaches the ingest node.
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	dash.inst.sites.Put(&site.Site{Domain: "added.example", Location: tokyo})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if s, ok := ingest.inst.sites.Lookup("added.example"); ok && s.Location.String() == "Asia/Tokyo" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the site added on the dashboard node did not reach the ingest node within 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	status, body := ingest.hit("203.0.113.9", goodUA, map[string]any{"n": "pageview", "u": "https://added.example/", "d": "added.example"}, nil)
	if status != http.StatusAccepted {
		t.Errorf("hit for the added site on the ingest node: %d %s", status, body)
	}
	ingest.flush()
	q := dash.query(`{"site_id":"added.example","metrics":["pageviews"],"date_range":"all"}`)
	if len(q.Results) != 1 || q.Results[0].Metrics[0] == nil || *q.Results[0].Metrics[0] != 1 {
		t.Errorf("the dashboard node counts %+v page views of the added site, want 1", q.Results)
	}

	// A second jobs node refuses, naming the holder.
	cfg := &serveConfig{}
	args := append([]string{"-data", t.TempDir(), "-roles", "jobs", "-node-name", "jobs-2", "-jobs-lease-ttl", "3s", "-listen", "127.0.0.1:0"}, ch.args...)
	if err := newServeFlagSet(cfg).Parse(args); err != nil {
		t.Fatal(err)
	}
	if inst, err := startServer(context.Background(), cfg, serverDeps{log: discardLogger(), stdout: &bytes.Buffer{}}); err == nil {
		_ = inst.stop(context.Background())
		t.Fatal("a second jobs node started")
	} else if !strings.Contains(err.Error(), "held by jobs-1") {
		t.Errorf("second jobs node: %v", err)
	}
	// When the jobs node stops, it gives the lease up: another takes it.
	jobs.stop()
	node("jobs", "-node-name", "jobs-2")
}
