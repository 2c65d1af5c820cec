package cluster

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/site"
)

// SiteSync carries the sites' configuration through the store. On the
// node that runs the dashboard (where sites are added and their settings
// saved) it publishes: every interval it writes the sites that changed in
// its registry, and marks removed the ones that left it. On every other
// node it follows: every interval it reads the records into its registry,
// so a site added or changed in the dashboard is counted everywhere within
// two intervals (plus a query). A follower keeps its own -site flag sites
// the store does not know; the store's record of a site wins over the
// flags', since it is the dashboard's view with the saved settings.
type SiteSync struct {
	store    SiteStore
	sites    *site.Registry
	publish  bool
	interval time.Duration
	log      *slog.Logger
	now      func() time.Time

	mu   sync.Mutex
	last map[string][]byte // domain → config as last written or applied

	cancel context.CancelFunc
	done   chan struct{}
}

// DefaultSyncInterval is how often sites are published and followed.
const DefaultSyncInterval = 2 * time.Second

// NewSitePublisher returns the dashboard node's side.
func NewSitePublisher(store SiteStore, sites *site.Registry, interval time.Duration, log *slog.Logger) *SiteSync {
	return newSync(store, sites, true, interval, log)
}

// NewSiteFollower returns the side of a node without the dashboard.
func NewSiteFollower(store SiteStore, sites *site.Registry, interval time.Duration, log *slog.Logger) *SiteSync {
	return newSync(store, sites, false, interval, log)
}

func newSync(store SiteStore, sites *site.Registry, publish bool, interval time.Duration, log *slog.Logger) *SiteSync {
	if interval <= 0 {
		interval = DefaultSyncInterval
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &SiteSync{store: store, sites: sites, publish: publish, interval: interval, log: log, now: time.Now, last: map[string][]byte{}}
}

// Start syncs once, so a follower counts the stored sites from its first
// hit, then every interval until Stop. A follower that cannot read the
// store at start fails: it would refuse every hit for the stored sites.
func (s *SiteSync) Start(ctx context.Context) error {
	if err := s.Once(ctx); err != nil {
		return err
	}
	ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		t := time.NewTicker(s.interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := s.Once(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("site configuration: sync with the store failed; retrying", "err", err)
			}
		}
	}()
	return nil
}

// Stop ends the loop; a publisher writes its last changes first.
func (s *SiteSync) Stop(ctx context.Context) error {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	select {
	case <-s.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if s.publish {
		return s.Once(ctx)
	}
	return nil
}

// Once publishes or follows once.
func (s *SiteSync) Once(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.publish {
		return s.publishOnce(ctx)
	}
	return s.followOnce(ctx)
}

func (s *SiteSync) publishOnce(ctx context.Context) error {
	version := s.now().UnixNano()
	var changed []SiteRecord
	seen := map[string]bool{}
	for _, st := range s.sites.All() {
		b, err := site.Encode(st)
		if err != nil {
			return err
		}
		seen[st.Domain] = true
		if bytes.Equal(s.last[st.Domain], b) {
			continue
		}
		changed = append(changed, SiteRecord{Domain: st.Domain, Config: b, Version: version})
	}
	for d := range s.last {
		if !seen[d] {
			changed = append(changed, SiteRecord{Domain: d, Removed: true, Version: version})
		}
	}
	if len(changed) == 0 {
		return nil
	}
	if err := s.store.PutSiteRecords(ctx, changed); err != nil {
		return err
	}
	for _, r := range changed {
		if r.Removed {
			delete(s.last, r.Domain)
		} else {
			s.last[r.Domain] = r.Config
		}
	}
	return nil
}

func (s *SiteSync) followOnce(ctx context.Context) error {
	recs, err := s.store.SiteRecords(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range recs {
		switch {
		case r.Removed:
			if _, applied := s.last[r.Domain]; applied {
				s.sites.Remove(r.Domain)
				delete(s.last, r.Domain)
			}
		case !bytes.Equal(s.last[r.Domain], r.Config):
			st, err := site.Decode(r.Config)
			if err != nil {
				errs = append(errs, err) // keep what the node had
				continue
			}
			s.sites.Put(st)
			s.last[r.Domain] = r.Config
		}
	}
	return errors.Join(errs...)
}
