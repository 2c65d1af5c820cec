package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
)

// TestRunSmall runs the whole benchmark on a few thousand rows against the
// test servers, so that it keeps working: every store loads the rows and
// every dashboard query returns the same groups on all of them.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("loads rows into every store")
	}
	single := chtest.Single(t)
	cluster, name := chtest.Cluster(t)
	o := options{rows: 5000, runs: 1, insertRows: 2000, batches: []int{1000, 2000}, dir: t.TempDir(),
		single: single, cluster: cluster, clusterName: name, keep: true, altOrder: "site, toStartOfHour(ts), path", altStrings: true}
	var out bytes.Buffer
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"stores: duckdb, ch-single, ch-2-shards", "Bulk load of 5000 rows", "all/event_names", "all, sum of p50", "ch-alt", "String for LowCardinality", "bytes/row"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	// A second run finds the rows loaded; then they are dropped.
	o.keep, o.batches, o.altOrder, o.altStrings = false, nil, "", false
	out.Reset()
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "already loaded in every store") {
		t.Errorf("the second run loaded the rows again:\n%s", out.String())
	}
}

func TestParseBatches(t *testing.T) {
	if b, err := parseBatches("1000, 10000"); err != nil || len(b) != 2 || b[1] != 10000 {
		t.Errorf("parse = %v, %v", b, err)
	}
	if b, err := parseBatches("none"); err != nil || len(b) != 0 {
		t.Errorf("parse none = %v, %v", b, err)
	}
	for _, bad := range []string{"", "0", "-5", "x", "1,,2", "99999999999"} {
		if _, err := parseBatches(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
	if err := (options{rows: 0, runs: 1, insertRows: 1}).check(); err == nil {
		t.Errorf("0 rows accepted")
	}
}

// TestRunAgeSmall runs -age on a few hundred rows in DuckDB: the rows are
// aged, fewer after than before, and the queries agree before and after
// (measureQueries checks every store's groups; here both phases run on the
// same store, answered from the rows and then from the rollup rows).
func TestRunAgeSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and ages rows")
	}
	o := options{rows: 400, runs: 1, insertRows: 1, dir: t.TempDir(), age: true}
	var out bytes.Buffer
	if err := run(context.Background(), o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"== before ageing", "== ageing pass", "== after ageing", "bytes/hit", "share unique", "all, sum of p50"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
