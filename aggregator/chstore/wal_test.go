package chstore

import (
	"context"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/collector/sinktest"
	"github.com/shukei-analytics/shukei/event"
)

// openWALStore opens a store on a fresh database of the single test
// server or of the two-shard cluster.
func openWALStore(t *testing.T, cluster bool) *Store {
	t.Helper()
	var cfg Config
	if cluster {
		addr, name := chtest.Cluster(t)
		cfg = Config{Addr: addr, Cluster: name, Database: chtest.Database(t, chtest.Shards(t, addr, name)...)}
	} else {
		addr := chtest.Single(t)
		cfg = Config{Addr: addr, Database: chtest.Database(t, addr)}
	}
	s, err := Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func storedViews(t *testing.T, s *Store, site string) int64 {
	t.Helper()
	var n int64
	if err := s.conn.QueryRow(context.Background(), "SELECT toInt64(sum(pageviews)) FROM events WHERE site = ?", site).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWALSink(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			sinktest.Run(t, func(t *testing.T) sinktest.Target {
				s := openWALStore(t, cluster)
				return sinktest.Target{Sink: s, Pageviews: func(t *testing.T, site string) int64 { return storedViews(t, s, site) }}
			})
		})
	}
}

func walRows(site string, n int) []event.Row {
	ts := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	rows := make([]event.Row, n)
	for i := range rows {
		rows[i] = event.Row{Site: site, TS: ts, Kind: event.KindPageview, Name: event.PageviewName,
			Path: "/" + string(rune('a'+i)), Counters: event.Counters{Pageviews: 1}}
	}
	return rows
}

// TestWALUnfinishedBatch leaves rows of a batch without its position, as
// a crash between the two writes does, then appends again from another
// process (a store that has not completed a batch of the log): the same
// batch found whole is kept, a batch cut at another position is deleted
// before the new one is stored. Either way each row is stored once.
func TestWALUnfinishedBatch(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			ctx := context.Background()
			s := openWALStore(t, cluster)
			const log = "00112233445566778899aabbccddeeff"
			if err := s.ensureWALColumns(ctx); err != nil {
				t.Fatal(err)
			}
			// The crashed attempt: batch (0, 10] inserted, no position.
			if err := s.insertWAL(ctx, s.pick(), log, 10, walRows("same.test", 4)); err != nil {
				t.Fatal(err)
			}
			if err := s.AppendWAL(ctx, log, 0, 10, walRows("same.test", 4)); err != nil {
				t.Fatal(err)
			}
			if n := storedViews(t, s, "same.test"); n != 4 {
				t.Errorf("the whole earlier batch: %d page views stored, want 4", n)
			}
			// Another crashed attempt, cut at 15, then a restart reading
			// further: the batch is (10, 20].
			s.wal.dirty(log)
			if err := s.insertWAL(ctx, s.pick(), log, 15, walRows("cut.test", 3)); err != nil {
				t.Fatal(err)
			}
			if err := s.AppendWAL(ctx, log, 10, 20, walRows("cut.test", 5)); err != nil {
				t.Fatal(err)
			}
			if n := storedViews(t, s, "cut.test"); n != 5 {
				t.Errorf("after an earlier attempt cut elsewhere: %d page views stored, want 5", n)
			}
			if got, _ := s.WALApplied(ctx, log); got != 20 {
				t.Errorf("position %d, want 20", got)
			}
			if err := s.Ping(ctx); err != nil {
				t.Error(err)
			}
		})
	}
}
