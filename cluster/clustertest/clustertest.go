// Package clustertest is the suite every store must pass for package
// cluster: the site records and the lease, including a race of nodes for
// a free lease that exactly one may win.
package clustertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/cluster"
)

// Store is what the suite needs.
type Store interface {
	cluster.SiteStore
	cluster.LeaseStore
}

// Run runs the suite; open returns a fresh, empty store for each test.
func Run(t *testing.T, open func(t *testing.T) Store) {
	t.Run("site records", func(t *testing.T) { testSiteRecords(t, open(t)) })
	t.Run("lease", func(t *testing.T) { testLease(t, open(t)) })
	t.Run("lease race", func(t *testing.T) { testLeaseRace(t, open(t)) })
}

func testSiteRecords(t *testing.T, s Store) {
	ctx := context.Background()
	if recs, err := s.SiteRecords(ctx); err != nil || len(recs) != 0 {
		t.Fatalf("empty store: %v %v", recs, err)
	}
	put := func(recs ...cluster.SiteRecord) {
		t.Helper()
		if err := s.PutSiteRecords(ctx, recs); err != nil {
			t.Fatal(err)
		}
	}
	put(cluster.SiteRecord{Domain: "a.example", Config: []byte(`{"v":1}`), Version: 10},
		cluster.SiteRecord{Domain: "b.example", Config: []byte(`{"v":1}`), Version: 10})
	put(cluster.SiteRecord{Domain: "a.example", Config: []byte(`{"v":2}`), Version: 20})
	put(cluster.SiteRecord{Domain: "a.example", Config: []byte(`{"v":0}`), Version: 5}) // older: ignored
	put(cluster.SiteRecord{Domain: "b.example", Removed: true, Version: 30})
	recs, err := s.SiteRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]cluster.SiteRecord{}
	for _, r := range recs {
		got[r.Domain] = r
	}
	if a := got["a.example"]; len(got) != 2 || string(a.Config) != `{"v":2}` || a.Removed || a.Version != 20 {
		t.Errorf("a.example: %+v", got)
	}
	if b := got["b.example"]; !b.Removed || b.Version != 30 {
		t.Errorf("b.example: %+v", b)
	}
}

func testLease(t *testing.T, s Store) {
	ctx := context.Background()
	// Longer than a ClickHouse claim waits for rival claims (2 s).
	const ttl = 6 * time.Second
	a, err := s.TakeLease(ctx, "jobs", "node-a", ttl)
	if err != nil || a.Holder != "node-a" || time.Until(a.Until) < time.Second {
		t.Fatalf("take a free lease: %+v %v", a, err)
	}
	b, err := s.TakeLease(ctx, "jobs", "node-b", ttl)
	if !errors.Is(err, cluster.ErrHeld) || b.Holder != "node-a" {
		t.Fatalf("take a held lease: %+v %v, want held by node-a", b, err)
	}
	if other, err := s.TakeLease(ctx, "other", "node-b", ttl); err != nil || other.Holder != "node-b" {
		t.Errorf("another lease: %+v %v", other, err)
	}
	renewed, err := s.TakeLease(ctx, "jobs", "node-a", ttl)
	if err != nil || renewed.Holder != "node-a" {
		t.Fatalf("renew: %+v %v", renewed, err)
	}
	if err := s.ReleaseLease(ctx, "jobs", "node-b"); err != nil { // not its lease: nothing happens
		t.Fatal(err)
	}
	if _, err := s.TakeLease(ctx, "jobs", "node-b", ttl); !errors.Is(err, cluster.ErrHeld) {
		t.Fatalf("a release by a node that does not hold the lease freed it: %v", err)
	}
	if err := s.ReleaseLease(ctx, "jobs", "node-a"); err != nil {
		t.Fatal(err)
	}
	waitFree(t, s, "node-b", ttl)
	// node-b dies without releasing: the lease runs out, and node-a takes it.
	if _, err := s.TakeLease(ctx, "jobs", "node-a", ttl); !errors.Is(err, cluster.ErrHeld) {
		t.Fatalf("node-b's lease taken while it runs: %v", err)
	}
	waitFree(t, s, "node-a", ttl)
}

// waitFree takes the lease for holder, waiting at most a time to live
// and two seconds (the store's clock counts whole seconds).
func waitFree(t *testing.T, s Store, holder string, ttl time.Duration) {
	t.Helper()
	deadline := time.Now().Add(ttl + 4*time.Second)
	for {
		l, err := s.TakeLease(context.Background(), "jobs", holder, ttl)
		if err == nil && l.Holder == holder {
			return
		}
		if !errors.Is(err, cluster.ErrHeld) || time.Now().After(deadline) {
			t.Fatalf("%s could not take the lease: %+v %v", holder, l, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// testLeaseRace: eight nodes reach for a free lease at once; exactly one
// holds it, and every other is told that one holds it. (A store may also
// refuse a claim it could not make safely — an error — but never grant
// two.)
func testLeaseRace(t *testing.T, s Store) {
	const nodes = 8
	var wg sync.WaitGroup
	type result struct {
		l   cluster.Lease
		err error
	}
	results := make([]result, nodes)
	unsure := 0
	for i := range nodes {
		wg.Go(func() {
			l, err := s.TakeLease(context.Background(), "race", fmt.Sprintf("node-%d", i), 10*time.Second)
			results[i] = result{l, err}
		})
	}
	wg.Wait()
	winners := map[string]bool{}
	for i, r := range results {
		switch {
		case r.err == nil:
			winners[r.l.Holder] = true
			if r.l.Holder != fmt.Sprintf("node-%d", i) {
				t.Errorf("node-%d told it holds a lease of %s", i, r.l.Holder)
			}
		case errors.Is(r.err, cluster.ErrHeld):
			winners[r.l.Holder] = winners[r.l.Holder] || false
		default:
			t.Logf("node-%d: %v", i, r.err)
			unsure++
		}
	}
	var held []string
	for h, won := range winners {
		if won {
			held = append(held, h)
		}
	}
	if len(held) > 1 || len(held) == 0 && unsure == 0 || unsure == nodes {
		t.Fatalf("%d nodes hold the lease: %v (results %+v)", len(held), held, results)
	}
	for i, r := range results {
		if unsure == 0 && r.err != nil && r.l.Holder != held[0] {
			t.Errorf("node-%d was told %q holds the lease, not %q", i, r.l.Holder, held[0])
		}
	}
}
