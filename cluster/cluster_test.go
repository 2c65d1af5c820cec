package cluster

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/shukei-analytics/shukei/site"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// memStore is an in-memory SiteStore and LeaseStore.
type memStore struct {
	mu     sync.Mutex
	recs   map[string]SiteRecord
	lease  Lease
	failed bool // every call fails (an unreachable store)
	now    func() time.Time
}

func newMemStore() *memStore { return &memStore{recs: map[string]SiteRecord{}, now: time.Now} }

var errDown = errors.New("store down")

func (m *memStore) SiteRecords(context.Context) ([]SiteRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failed {
		return nil, errDown
	}
	var out []SiteRecord
	for _, r := range m.recs {
		out = append(out, r)
	}
	return out, nil
}

func (m *memStore) PutSiteRecords(_ context.Context, recs []SiteRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failed {
		return errDown
	}
	for _, r := range recs {
		if r.Version > m.recs[r.Domain].Version {
			m.recs[r.Domain] = r
		}
	}
	return nil
}

func (m *memStore) TakeLease(_ context.Context, name, holder string, ttl time.Duration) (Lease, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failed {
		return Lease{}, errDown
	}
	if m.lease.Holder != "" && m.lease.Holder != holder && m.lease.Until.After(m.now()) {
		return m.lease, ErrHeld
	}
	m.lease = Lease{Name: name, Holder: holder, Until: m.now().Add(ttl)}
	return m.lease, nil
}

func (m *memStore) ReleaseLease(_ context.Context, _, holder string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lease.Holder == holder {
		m.lease.Until = m.now()
	}
	return nil
}

func (m *memStore) set(fn func(m *memStore)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fn(m)
}

func tokyo(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestSitesReachFollowers: a site added, changed and removed in the
// publisher's registry reaches a follower's within a bounded delay; a
// follower's own flag site the store does not know stays.
func TestSitesReachFollowers(t *testing.T) {
	store := newMemStore()
	dash := site.NewRegistry(&site.Site{Domain: "a.example", Location: time.UTC})
	ingest := site.NewRegistry(&site.Site{Domain: "local.example", Location: time.UTC})
	pub := NewSitePublisher(store, dash, 20*time.Millisecond, nil)
	fol := NewSiteFollower(store, ingest, 20*time.Millisecond, nil)
	ctx := context.Background()
	if err := pub.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer pub.Stop(ctx)
	if err := fol.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer fol.Stop(ctx)
	if _, ok := ingest.Lookup("a.example"); !ok {
		t.Fatal("the follower's first sync did not bring the stored site")
	}
	dash.Put(&site.Site{Domain: "b.example", Location: tokyo(t), RespectGPC: true, AllowedHostnames: []string{"b.example"}})
	waitUntil(t, "the added site to reach the follower", func() bool {
		s, ok := ingest.Lookup("b.example")
		return ok && s.RespectGPC && s.Location.String() == "Asia/Tokyo"
	})
	dash.Put(&site.Site{Domain: "b.example", Location: tokyo(t), RespectGPC: false})
	waitUntil(t, "the changed setting to reach the follower", func() bool {
		s, _ := ingest.Lookup("b.example")
		return !s.RespectGPC
	})
	dash.Remove("b.example")
	waitUntil(t, "the removal to reach the follower", func() bool {
		_, ok := ingest.Lookup("b.example")
		return !ok
	})
	if _, ok := ingest.Lookup("local.example"); !ok {
		t.Error("the follower's own flag site was dropped")
	}
}

func TestFollowerNeedsTheStoreAtStart(t *testing.T) {
	store := newMemStore()
	store.failed = true
	if err := NewSiteFollower(store, site.NewRegistry(), time.Second, nil).Start(context.Background()); err == nil {
		t.Error("a follower started without reading the store")
	}
}

// TestKeeper: a second keeper is refused with the holder's name; the
// holder's stop frees the lease; a holder that cannot renew gives the
// lease and its work up before the lease runs out.
func TestKeeper(t *testing.T) {
	store := newMemStore()
	ctx := context.Background()
	lost := make(chan struct{}, 1)
	a := NewKeeper(store, KeeperConfig{Name: "jobs", Holder: "node-a", TTL: 300 * time.Millisecond, Lost: func() { lost <- struct{}{} }}, nil)
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	lostB := make(chan struct{})
	b := NewKeeper(store, KeeperConfig{Name: "jobs", Holder: "node-b", TTL: 300 * time.Millisecond, Lost: func() { close(lostB) }}, nil)
	err := b.Start(ctx)
	if err == nil || !strings.Contains(err.Error(), "held by node-a") || !strings.Contains(err.Error(), "-roles") {
		t.Fatalf("second keeper: %v", err)
	}
	time.Sleep(400 * time.Millisecond) // longer than the TTL: renewals keep it
	if err := b.Start(ctx); err == nil {
		t.Fatal("the lease was not renewed")
	}
	if err := a.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(ctx); err != nil {
		t.Fatalf("after the holder stopped: %v", err)
	}
	store.set(func(m *memStore) { m.failed = true })
	select {
	case <-lost:
		t.Fatal("a lost the lease it no longer holds")
	default:
	}
	select {
	case <-lostB:
	case <-time.After(2 * time.Second):
		t.Fatal("a keeper that cannot renew did not give its work up")
	}
	store.set(func(m *memStore) { m.failed = false })
	_ = b.Stop(ctx)
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
