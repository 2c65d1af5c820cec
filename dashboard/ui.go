package dashboard

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/dashboard/i18n"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
)

// ui is the dashboard's state shared by the handlers.
type ui struct {
	cfg       Config
	log       *slog.Logger
	store     *admin.Store
	sites     *site.Registry
	flagSites map[string]bool
	// fixedZones are the flag sites whose time zone the flag gave.
	fixedZones map[string]bool
	now        func() time.Time

	hasher *auth.Hasher
	// Sign-in throttling (throttle.go; limiters keep only keyed hashes, in
	// memory); re-entered passwords of signed-in users and second-factor
	// codes have their own per-user limits.
	throttle *throttle
	reverify *auth.Limiter
	bySecond *auth.Limiter
	// shareTries limits wrong passwords per shared link and network.
	shareTries *auth.Limiter
	ips        *ipaddr.Resolver

	catalogs map[string]*i18n.Catalog
	pages    *pages
	assets   *assets
	setup    *setupState
	refused  map[string][]string
	metrics  *metrics

	scrubCounts ScrubCounter // nil without a collector in this process
	drops       DropReporter // nil without a collector in this process
	fetch       *http.Client // the installation check's
	audits      Auditor      // nil without a store in this process

	// goalsMu serialises goal changes: each is a read-modify-write of a
	// site in the registry.
	goalsMu sync.Mutex
}

func newUI(ctx context.Context, s *Server) (*ui, error) {
	ips := s.deps.Resolver
	if ips == nil {
		var err error
		if ips, err = ipaddr.NewResolver(ipaddr.Config{}); err != nil {
			return nil, fmt.Errorf("dashboard: %w", err)
		}
	}
	cats, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	as, err := loadAssets()
	if err != nil {
		return nil, err
	}
	u := &ui{
		cfg: s.cfg, log: s.log, store: s.admin, sites: s.deps.Sites, now: s.cfg.Now,
		flagSites: map[string]bool{}, fixedZones: map[string]bool{},
		hasher:     auth.NewHasher(s.cfg.Password, 2, hashQueue, hashWait),
		throttle:   newThrottle(s.cfg.Now),
		reverify:   auth.NewLimiter(reverifyBurst, limitWindow, limitKeys, s.cfg.Now),
		bySecond:   auth.NewLimiter(secondFactorBurst, limitWindow, limitKeys, s.cfg.Now),
		shareTries: auth.NewLimiter(shareTries, limitWindow, limitKeys, s.cfg.Now),
		ips:        ips, catalogs: cats, assets: as, scrubCounts: s.deps.ScrubCounts, audits: s.deps.Audits,
		refused: refusedMetrics(),
		metrics: newMetrics(s.deps.Registerer),
	}
	for _, d := range s.deps.FlagSites {
		u.flagSites[d] = true
	}
	u.drops, u.fetch = s.deps.Drops, s.deps.VerifyClient
	if u.fetch == nil {
		u.fetch = verifyClient()
	}
	for _, d := range s.deps.FixedZones {
		u.fixedZones[d] = true
	}
	if u.pages, err = loadPages(cats, as); err != nil {
		return nil, err
	}
	if u.setup, err = newSetupState(ctx, s.admin); err != nil {
		return nil, err
	}
	return u, nil
}

// sweep drops expired sessions and drained rate-limit counters every
// interval until ctx ends.
func (u *ui) sweep(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := u.now()
		if _, err := u.store.DeleteExpiredSessions(ctx, now.Add(-u.cfg.SessionIdle), now.Add(-u.cfg.SessionMax)); err != nil && ctx.Err() == nil {
			u.log.Warn("dashboard: sweep sessions", "err", err)
		}
		u.throttle.sweep()
		u.reverify.Sweep()
		u.bySecond.Sweep()
	}
}
