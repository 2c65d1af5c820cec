package collector

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/event"
)

// flakySink stores batches and fails while failing is set.
type flakySink struct {
	mu      sync.Mutex
	failing bool
	batches [][]event.Row
	rows    []int // Path carries a sequence number in these tests
}

func (s *flakySink) Append(_ context.Context, rows []event.Row) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing {
		return errors.New("store down")
	}
	s.batches = append(s.batches, append([]event.Row(nil), rows...))
	for _, r := range rows {
		n, _ := strconv.Atoi(r.Path)
		s.rows = append(s.rows, n)
	}
	return nil
}

func newTestQueue(sink Sink, batch, max int) *queue {
	cfg := &Config{BatchSize: batch, MaxQueueRows: max, FlushInterval: time.Hour}
	m := newMetrics(prometheus.NewRegistry(), func() float64 { return 0 }, func() float64 { return 0 })
	return newQueue(sink, slog.New(slog.NewTextHandler(io.Discard, nil)), m, cfg)
}

func seq(from, n int) []event.Row {
	rows := make([]event.Row, n)
	for i := range rows {
		rows[i].Path = strconv.Itoa(from + i)
		rows[i].Pageviews = 1
	}
	return rows
}

func TestQueueKeepsOrderAndRetriesFailures(t *testing.T) {
	sink := &flakySink{}
	q := newTestQueue(sink, 4, 100)
	q.add(seq(0, 6))
	sink.failing = true
	if err := q.flush(context.Background()); err == nil {
		t.Fatal("flush into a failing store reported no error")
	}
	if q.len() != 6 {
		t.Fatalf("after a failed flush %d rows queued, want 6", q.len())
	}
	q.add(seq(6, 5))
	sink.failing = false
	if err := q.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if q.len() != 0 {
		t.Errorf("%d rows left", q.len())
	}
	for i, v := range sink.rows {
		if v != i {
			t.Fatalf("row %d is %d: order lost (%v)", i, v, sink.rows)
		}
	}
	if len(sink.rows) != 11 {
		t.Errorf("stored %d rows, want 11", len(sink.rows))
	}
	for _, b := range sink.batches {
		if len(b) > 4 {
			t.Errorf("batch of %d rows, the limit is 4", len(b))
		}
	}
}

func TestQueueRoomIsBounded(t *testing.T) {
	sink := &flakySink{failing: true}
	q := newTestQueue(sink, 4, 10)
	for i := 0; q.hasRoom(); i++ {
		q.add(seq(i, 1))
	}
	if q.len() != 10 {
		t.Errorf("queue holds %d rows when full, want 10", q.len())
	}
	_ = q.flush(context.Background())
	if q.hasRoom() {
		t.Error("a failed flush made room without storing anything")
	}
}

func TestQueueDrainRetriesUntilStored(t *testing.T) {
	sink := &flakySink{failing: true}
	q := newTestQueue(sink, 3, 100)
	q.add(seq(0, 7))
	go func() {
		time.Sleep(300 * time.Millisecond)
		sink.mu.Lock()
		sink.failing = false
		sink.mu.Unlock()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := q.drain(ctx); err != nil {
		t.Fatal(err)
	}
	if len(sink.rows) != 7 {
		t.Errorf("stored %d rows, want 7", len(sink.rows))
	}
}

func TestQueueConcurrentAddAndFlush(t *testing.T) {
	sink := &flakySink{}
	q := newTestQueue(sink, 16, 1_000_000)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				q.add(seq(w*1000+i, 1))
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				_ = q.flush(context.Background())
			}
		}
	}()
	wg.Wait()
	close(stop)
	_ = q.flush(context.Background())
	if len(sink.rows) != 4000 || q.len() != 0 {
		t.Errorf("stored %d of 4000 rows, %d left", len(sink.rows), q.len())
	}
}

func TestQueueMergesRowsWithTheSameKey(t *testing.T) {
	sink := &flakySink{}
	q := newTestQueue(sink, 100, 1000)
	ts := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	view := event.Row{Site: "e.org", TS: ts, Kind: event.KindPageview, Name: "pageview", Path: "/a", Browser: "Firefox",
		Counters: event.Counters{Pageviews: 1, Exits: 1, Visitors: 1, PageVisitors: 1}}
	fix := event.Row{Site: "e.org", TS: ts, Kind: event.KindCorrection, Name: "pageview", Path: "/a", Browser: "Firefox",
		Counters: event.Counters{Exits: -1, TimeOnPage: 30, TimedViews: 1}}
	other := view
	other.Path = "/b"
	later := view
	later.TS = ts.Add(time.Minute)
	signup := event.Row{Site: "e.org", TS: ts, Kind: event.KindEvent, Name: "Signup", Path: "/a", Browser: "Firefox", Counters: event.Counters{Events: 1}}
	q.add([]event.Row{fix, view, view})
	q.add([]event.Row{other, later, signup, signup})
	if err := q.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := sink.batches[0]
	if len(got) != 4 {
		t.Fatalf("%d rows after merging, want 4: %+v", len(got), got)
	}
	merged := got[0]
	want := event.Counters{Pageviews: 2, Exits: 1, Visitors: 2, PageVisitors: 2, TimeOnPage: 30, TimedViews: 1}
	if merged.Kind != event.KindPageview || merged.Counters != want {
		t.Errorf("merged row kind %v counters %+v, want pageview %+v", merged.Kind, merged.Counters, want)
	}
	if got[3].Events != 2 || got[3].Kind != event.KindEvent {
		t.Errorf("events merged into %+v", got[3])
	}
	// After a flush nothing merges into rows already stored.
	q.add([]event.Row{view})
	_ = q.flush(context.Background())
	if n := len(sink.batches[1]); n != 1 {
		t.Errorf("second batch has %d rows", n)
	}
}
