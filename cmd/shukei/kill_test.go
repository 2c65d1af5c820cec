package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// killRounds is how many times TestKillNineLosesNothing kills the server:
// SHUKEI_KILL_ROUNDS when set, else 5 in CI (CI=true) and 20 otherwise.
func killRounds(t *testing.T) int {
	if v := os.Getenv("SHUKEI_KILL_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			t.Fatalf("SHUKEI_KILL_ROUNDS=%q: want 1..200", v)
		}
		return n
	}
	if os.Getenv("CI") == "true" {
		return 5
	}
	return 20
}

// TestKillNineLosesNothing runs the real binary under load from
// concurrent clients and kills it with SIGKILL at random moments — while
// hits are being logged, while batches are being stored, during the
// replay at start — then restarts it on the same data directory. At the
// end a last run replays what is left and stops gracefully: every hit
// that got a 202 is stored exactly once, no hit answered otherwise is
// stored, and the log's applied segments are gone.
//
// A kill of the process leaves the kernel's page cache intact, so this
// tests the process's own bookkeeping (group commit, segment rotation,
// the store's atomic batch and position, replay), not a power cut.
func TestKillNineLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it repeatedly")
	}
	rounds := killRounds(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, %d kills", seed, rounds)
	rng := rand.New(rand.NewPCG(seed, 7))
	data := t.TempDir()
	ledger := newLedger()
	// Small segments (256 KiB), so that kills also land around segment
	// rotation and deletion; a mix of flush intervals, so that some kills
	// land inside store appends and some leave a long log to replay.
	flushes := []string{"20ms", "100ms", "1s"}
	duringReplay := 0
	for round := range rounds {
		srv := startBinary(t, data, "-wal-max-bytes", "16MiB", "-flush-interval", flushes[round%len(flushes)])
		if round%4 == 3 {
			// Kill while the log is opened and replayed, before serving.
			time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
			srv.kill()
			duringReplay++
			continue
		}
		srv.waitReady()
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			ledger.load(srv.addr, fmt.Sprintf("/r%d", round), 8, stop)
			close(done)
		}()
		time.Sleep(time.Duration(100+rng.IntN(1100)) * time.Millisecond)
		srv.kill()
		close(stop)
		<-done
	}
	final := startBinary(t, data)
	final.waitReady()
	final.stop()

	res := ledger.tally(storedByPath(t, data))
	t.Logf("kill -9 ×%d (%d during start-up replay): %v; statuses %v", rounds, duringReplay, res, ledger.statuses)
	if res.acknowledged == 0 {
		t.Fatal("no hit was acknowledged: the load did not run")
	}
	res.check(t)
	if n := ledger.noRetryAfter.Load(); n != 0 {
		t.Errorf("%d refusals without Retry-After", n)
	}
	segs, _ := filepath.Glob(filepath.Join(data, "wal", "*.wal"))
	if len(segs) > 1 {
		t.Errorf("%d log segments left after everything was stored, want only the active one", len(segs))
	}
	if strings.Contains(final.logs.String(), "panic") {
		t.Errorf("a run panicked:\n%s", final.logs.String())
	}
}
