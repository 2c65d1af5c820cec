package chstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/chstore/chtest"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/internal/diskscan"
)

// filesHolding names the files under the dirs whose bytes contain needle.
func filesHolding(t *testing.T, dirs []string, needle []byte) []string {
	t.Helper()
	r, err := diskscan.Scan(needle, dirs...)
	if err != nil {
		t.Fatal(err)
	}
	return r.Files
}

// figure says how many bytes the dirs hold and how often needle is there.
func figure(t *testing.T, dirs []string, needle string) string {
	t.Helper()
	r, err := diskscan.Scan([]byte(needle), dirs...)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d bytes on disk, the canary %d times", r.Bytes, r.Hits)
}

// TestPurgeLeavesNoBytes deletes a canary month, partly in a month that
// keeps other rows (a mutation) and wholly in another (a dropped
// partition), and compacts: the canary may be in no file of the
// database's directories on any shard, while the other rows stay.
func TestPurgeLeavesNoBytes(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t, cluster)
			cfg.OldPartsLifetime = time.Second
			s := openStore(t, cfg)
			defer s.Close()
			ctx := context.Background()
			canary := fmt.Sprintf("chpurgecanary%d", time.Now().UnixNano()%1e6)
			var rows []event.Row
			for i := range 400 {
				ts := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 3 * time.Hour)
				r := view("purged.test", ts)
				r.Path = "/" + canary + "/" + fmt.Sprint(i%7)
				rows = append(rows, r, view("kept.test", ts))
			}
			for _, batch := range [][]event.Row{rows[:len(rows)/2], rows[len(rows)/2:]} {
				if err := s.Append(ctx, batch); err != nil {
					t.Fatal(err)
				}
			}
			var dirs []string
			for _, sh := range s.shards {
				dirs = append(dirs, chtest.DatabaseDirs(t, sh.addr, cfg.Database)...)
			}
			if len(filesHolding(t, dirs, []byte(canary))) == 0 {
				t.Fatal("the canary is in no file of the database: the scan proves nothing")
			}
			t.Logf("stored: %s", figure(t, dirs, canary))
			n, err := s.DeleteBefore(ctx, "purged.test", time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
			if err != nil || n != 400 {
				t.Fatalf("deleted %d rows (%v), want 400", n, err)
			}
			t.Logf("deleted, not compacted: %s", figure(t, dirs, canary))
			if err := s.Compact(ctx); err != nil {
				t.Fatal(err)
			}
			t.Logf("compacted: %s", figure(t, dirs, canary))
			if got := filesHolding(t, dirs, []byte(canary)); len(got) > 0 {
				t.Errorf("after the purge the canary is still in %v", got)
			}
			if got := pageviews(t, s, "kept.test"); got != 400 {
				t.Errorf("kept site has %d page views, want 400", got)
			}
		})
	}
}
