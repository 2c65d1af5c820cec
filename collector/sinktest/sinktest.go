// Package sinktest is the shared test suite of collector.Sink: every store
// that the collector feeds from its write-ahead log must pass it, so that
// replaying the log stores each record exactly once on every backend.
package sinktest

import (
	"context"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/event"
)

// Target is a collector.Sink under test and a way to read back what it stored.
type Target struct {
	Sink collector.Sink
	// Pageviews returns the sum of pageviews of the site's stored rows.
	Pageviews func(t *testing.T, site string) int64
}

// Run runs the suite; open returns a fresh, empty store for each test.
func Run(t *testing.T, open func(t *testing.T) Target) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, tg Target)
	}{
		{"position", testPosition},
		{"retry is a no-op", testRetry},
		{"overlap is refused", testOverlap},
		{"empty batch advances", testEmptyBatch},
		{"logs are independent", testIndependentLogs},
		{"gap is accepted", testGap},
		{"bad range", testBadRange},
		{"bad row stores nothing", testBadRow},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
}

// views returns n page view rows of site, one per path.
func views(site string, n int) []event.Row {
	ts := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	rows := make([]event.Row, n)
	for i := range rows {
		rows[i] = event.Row{Site: site, TS: ts, Kind: event.KindPageview, Name: event.PageviewName,
			Hostname: site, Path: "/p" + string(rune('a'+i%26)), Counters: event.Counters{Pageviews: 1, Exits: 1}}
	}
	return rows
}

const logA, logB = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"

func mustAppend(t *testing.T, s collector.Sink, log string, after, upTo uint64, rows []event.Row) {
	t.Helper()
	if err := s.AppendWAL(context.Background(), log, after, upTo, rows); err != nil {
		t.Fatalf("append (%d, %d]: %v", after, upTo, err)
	}
}

func wantApplied(t *testing.T, s collector.Sink, log string, want uint64) {
	t.Helper()
	got, err := s.WALApplied(context.Background(), log)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("log applied up to %d, want %d", got, want)
	}
}

func wantViews(t *testing.T, tg Target, site string, want int64) {
	t.Helper()
	if got := tg.Pageviews(t, site); got != want {
		t.Errorf("%s: %d page views stored, want %d", site, got, want)
	}
}

func testPosition(t *testing.T, tg Target) {
	wantApplied(t, tg.Sink, logA, 0)
	mustAppend(t, tg.Sink, logA, 0, 5, views("pos.test", 5))
	wantApplied(t, tg.Sink, logA, 5)
	mustAppend(t, tg.Sink, logA, 5, 7, views("pos.test", 2))
	wantApplied(t, tg.Sink, logA, 7)
	wantViews(t, tg, "pos.test", 7)
}

func testRetry(t *testing.T, tg Target) {
	mustAppend(t, tg.Sink, logA, 0, 5, views("retry.test", 5))
	mustAppend(t, tg.Sink, logA, 0, 5, views("retry.test", 5))
	mustAppend(t, tg.Sink, logA, 2, 4, views("retry.test", 3))
	wantApplied(t, tg.Sink, logA, 5)
	wantViews(t, tg, "retry.test", 5)
}

func testOverlap(t *testing.T, tg Target) {
	mustAppend(t, tg.Sink, logA, 0, 5, views("overlap.test", 5))
	if err := tg.Sink.AppendWAL(context.Background(), logA, 3, 8, views("overlap.test", 5)); err == nil {
		t.Error("a batch overlapping the stored position was accepted")
	}
	wantApplied(t, tg.Sink, logA, 5)
	wantViews(t, tg, "overlap.test", 5)
}

func testEmptyBatch(t *testing.T, tg Target) {
	mustAppend(t, tg.Sink, logA, 0, 3, nil)
	wantApplied(t, tg.Sink, logA, 3)
	mustAppend(t, tg.Sink, logA, 3, 4, views("empty.test", 1))
	wantViews(t, tg, "empty.test", 1)
}

func testIndependentLogs(t *testing.T, tg Target) {
	mustAppend(t, tg.Sink, logA, 0, 10, views("two.test", 3))
	wantApplied(t, tg.Sink, logB, 0)
	mustAppend(t, tg.Sink, logB, 0, 2, views("two.test", 2))
	wantApplied(t, tg.Sink, logA, 10)
	wantApplied(t, tg.Sink, logB, 2)
	wantViews(t, tg, "two.test", 5)
}

func testGap(t *testing.T, tg Target) {
	mustAppend(t, tg.Sink, logA, 0, 5, views("gap.test", 1))
	mustAppend(t, tg.Sink, logA, 20, 25, views("gap.test", 1))
	wantApplied(t, tg.Sink, logA, 25)
	wantViews(t, tg, "gap.test", 2)
}

func testBadRange(t *testing.T, tg Target) {
	if err := tg.Sink.AppendWAL(context.Background(), logA, 5, 5, views("range.test", 1)); err == nil {
		t.Error("an empty range was accepted")
	}
	wantApplied(t, tg.Sink, logA, 0)
}

func testBadRow(t *testing.T, tg Target) {
	rows := views("badrow.test", 3)
	rows[2].Path = "/\xff"
	if err := tg.Sink.AppendWAL(context.Background(), logA, 0, 3, rows); err == nil {
		t.Error("a batch with an invalid row was accepted")
	}
	wantApplied(t, tg.Sink, logA, 0)
	wantViews(t, tg, "badrow.test", 0)
}
