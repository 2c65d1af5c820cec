package chstore

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

func genRows(n int) []event.Row {
	return slices.Collect(storetest.GenerateRows(9, n, storetest.GenOptions{Days: 3}))
}

// count runs a one-number query on a store's shard.
func count(t *testing.T, s *Store, sh int, q string, args ...any) int64 {
	t.Helper()
	return chtest.Count(t, s.shards[sh].addr, s.cfg.Database, q, args...)
}

// pageviews sums the site's page views through the store.
func pageviews(t *testing.T, s *Store, site string) int64 {
	t.Helper()
	p, err := query.Build(&query.Query{SiteID: site, Metrics: []query.Metric{query.Pageviews},
		DateRange: query.DateRange{Preset: query.RangeAll}}, time.Now(), time.UTC, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Query(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return res.Groups[0].Sums[0]
}

// TestColumnsMatchSchema checks the INSERT's columns against sqlgen's list
// and the migrated table. The table's own order may differ (a migration
// adds columns at its end; every INSERT names its columns), not its set.
func TestColumnsMatchSchema(t *testing.T) {
	var names []string
	for _, c := range rowColumns {
		names = append(names, c.name)
	}
	if !slices.Equal(names, sqlgen.Columns) {
		t.Fatalf("append columns\n got %v\nwant %v", names, sqlgen.Columns)
	}
	s := openSingle(t)
	defer s.Close()
	got, err := s.columnNames(context.Background(), s.shards[0], eventsTable)
	if err != nil {
		t.Fatal(err)
	}
	// The store's own columns: the log position (wal.go) and the grain
	// and merge job of ageing (ageing.go).
	want := append(slices.Clone(sqlgen.Columns), "wal_log", "wal_up_to", "grain", "age")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("events columns\n got %v\nwant %v", got, want)
	}
}

// TestClusterSpreadsBatches checks that batches land on both shards, each
// batch whole on one, and that queries read them all.
func TestClusterSpreadsBatches(t *testing.T) {
	s := openCluster(t)
	defer s.Close()
	if len(s.shards) != 2 {
		t.Fatalf("%d shards, want 2", len(s.shards))
	}
	rows := genRows(100)
	for range 6 {
		if err := s.Append(context.Background(), rows); err != nil {
			t.Fatal(err)
		}
	}
	var total int64
	for i := range s.shards {
		n := count(t, s, i, "SELECT count() FROM events_local")
		if n == 0 || n%100 != 0 {
			t.Errorf("shard %d holds %d rows, want some whole batches of 100", i+1, n)
		}
		total += n
	}
	if total != 600 {
		t.Errorf("shards hold %d rows, want 600", total)
	}
	var want int64
	for _, r := range rows {
		if r.Site == rows[0].Site {
			want += int64(r.Pageviews)
		}
	}
	if got := pageviews(t, s, rows[0].Site); got != 6*want {
		t.Errorf("query through the Distributed table: %d page views, want %d", got, 6*want)
	}
}

// TestPickFollowsWeights checks the rotation over shards of weights 1, 0
// and 3, and the refusals of cluster descriptions the store cannot use.
func TestPickFollowsWeights(t *testing.T) {
	infos, err := shardsOf("c", "a:1", []clusterRow{
		{shard: 1, weight: 1, replica: 1, host: "h1", port: 9000},
		{shard: 2, weight: 0, replica: 1, host: "h2", port: 9000},
		{shard: 3, weight: 3, replica: 1, host: "h3", port: 9001},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{}
	for _, in := range infos {
		s.shards = append(s.shards, &shard{num: in.num, addr: in.addr})
		for range in.weight {
			s.writeTo = append(s.writeTo, len(s.shards)-1)
		}
	}
	got := map[string]int{}
	for range 400 {
		got[s.pick().addr]++
	}
	if got["h1:9000"] != 100 || got["h2:9000"] != 0 || got["h3:9001"] != 300 {
		t.Errorf("batches per shard %v, want 100, 0 and 300", got)
	}
	for name, rows := range map[string][]clusterRow{
		"unknown cluster": nil,
		"replicas":        {{shard: 1, weight: 1, replica: 1, host: "h", port: 1}, {shard: 1, weight: 1, replica: 2, host: "h2", port: 1}},
		"no host":         {{shard: 1, weight: 1, replica: 1, port: 1}},
	} {
		if _, err := shardsOf("c", "a:1", rows); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAppendRefusesWhatItCannotStore(t *testing.T) {
	s := openSingle(t)
	defer s.Close()
	ctx := context.Background()
	for _, ts := range []time.Time{time.Date(1969, 12, 31, 23, 59, 0, 0, time.UTC), time.Date(2106, 1, 1, 0, 0, 0, 0, time.UTC)} {
		rows := genRows(10)
		rows[5].TS = ts
		if err := s.Append(ctx, rows); err == nil || !strings.Contains(err.Error(), "row 5") {
			t.Errorf("ts %v: append = %v, want an error naming row 5", ts, err)
		}
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Append(canceled, genRows(10)); !errors.Is(err, context.Canceled) {
		t.Errorf("append with a cancelled context = %v, want context.Canceled", err)
	}
	if n := count(t, s, 0, "SELECT count() FROM events"); n != 0 {
		t.Errorf("%d rows stored by refused appends", n)
	}
	if _, err := s.Query(ctx, nil); err == nil {
		t.Errorf("a nil plan was answered")
	}
}

// TestUnreachable checks that a server that does not answer is an error
// naming its address.
func TestUnreachable(t *testing.T) {
	_, err := Open(context.Background(), Config{Addr: "127.0.0.1:1", DialTimeout: 500 * time.Millisecond}, nil)
	if err == nil || !strings.Contains(err.Error(), "connect to 127.0.0.1:1") {
		t.Fatalf("open = %v, want an error naming 127.0.0.1:1", err)
	}
}

func TestDumpTextCluster(t *testing.T) {
	s := openCluster(t)
	defer s.Close()
	rows := genRows(3)
	rows[0].City = "Zürich-canary"
	for range 2 {
		if err := s.Append(context.Background(), rows); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := s.DumpText(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	for _, sh := range s.shards {
		for _, want := range []string{"events_local@" + sh.addr + "\tsite=", "\tcity=Zürich-canary\t", "schema_migrations@" + sh.addr + "\tversion=1"} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("dump lacks %q:\n%s", want, buf.String())
			}
		}
	}
	if strings.Contains(buf.String(), "\nevents\t") {
		t.Errorf("the dump reads the Distributed table, which would repeat the shards' rows")
	}
}
