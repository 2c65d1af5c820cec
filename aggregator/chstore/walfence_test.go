package chstore

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestFenceWaitsForEarlierInserts runs a statement under the query id of
// an earlier attempt of a log (a slow query stands in for an insert whose
// rows are still on their way) and checks that the fence returns only
// once the server no longer runs it, and leaves other logs' queries alone.
func TestFenceWaitsForEarlierInserts(t *testing.T) {
	ctx := context.Background()
	s := openWALStore(t, false)
	const log, other = "00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100"
	if err := s.fenceEarlierInserts(ctx, log); err != nil {
		t.Fatalf("fence with nothing running: %v", err)
	}
	started := make(chan struct{})
	mine, others := make(chan error, 1), make(chan error, 1)
	for l, done := range map[string]chan error{log: mine, other: others} {
		go func() { done <- s.shards[0].conn.Exec(walInsertContext(ctx, l), "SELECT sleep(2)") }()
	}
	go func() {
		for range 100 {
			if s.running(t, log) > 0 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		close(started)
	}()
	<-started
	if s.running(t, log) == 0 {
		t.Fatal("the earlier attempt's query never showed in the process list")
	}
	if err := s.fenceEarlierInserts(ctx, log); err != nil {
		t.Fatal(err)
	}
	if n := s.running(t, log); n != 0 {
		t.Errorf("the fence returned while %d queries of the log still run", n)
	}
	<-mine // cancelled or finished; it must not hang
	if err := <-others; err != nil {
		t.Errorf("another log's query was disturbed: %v", err)
	}
}

// running counts the queries of the log's batches on the server.
func (s *Store) running(t *testing.T, log string) uint64 {
	t.Helper()
	var n uint64
	if err := s.shards[0].conn.QueryRow(context.Background(), fixed("AppendWAL_running"), likePrefix(walQueryPrefix(log))).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLikePrefix(t *testing.T) {
	for in, want := range map[string]string{
		"shukei-wal-ab-": "shukei-wal-ab-%",
		"a_b%c\\":        `a\_b\%c\\%`,
	} {
		if got := likePrefix(in); got != want {
			t.Errorf("likePrefix(%q) = %q, want %q", in, got, want)
		}
	}
	if !strings.HasPrefix(walQueryPrefix("x"), "shukei-wal-") {
		t.Error("query prefix")
	}
}
