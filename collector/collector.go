// Package collector is Shukei's ingest role: the Plausible-compatible event
// endpoint and the no-script pixel, the privacy pipeline that turns a raw
// hit into identifier-free rows, the in-memory visitor state, and the
// write-ahead log that makes every accepted hit durable before it is
// answered and feeds the store from there.
package collector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/collector/geo"
	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/collector/wal"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
)

// Config configures the collector. Start from DefaultConfig (the flags of
// shukei serve take their defaults from it); EnsureDefaults fills the
// fields left zero whose zero value means nothing.
type Config struct {
	// Resolver is the server's one client-address resolver and
	// trusted-proxy policy, shared with the dashboard. When nil, the
	// collector builds one from TrustedProxies, ClientHeader and the
	// truncation lengths.
	Resolver       *ipaddr.Resolver
	TrustedProxies []netip.Prefix
	ClientHeader   ipaddr.Header // default X-Forwarded-For
	IPv4Bits       int           // default 24
	IPv6Bits       int           // default 48
	GeoIPPath      string
	GeoIPCity      bool
	SpamListPath   string
	// SearchParams are the query parameters holding site-search terms;
	// empty means urlscrub's (q, s, search, query, keyword).
	SearchParams []string
	// PropValuesPerDay caps the distinct values of each kept custom
	// property per site-day (default DefaultPropValuesPerDay); rarer
	// values past it are folded into "(other)".
	PropValuesPerDay int
	Visitor          visitor.Config
	FlushInterval    time.Duration // default 1s
	BatchSize        int           // default 10,000 rows

	// WAL is the write-ahead log (its Dir is required); above its disk
	// budget hits get 503.
	WAL wal.Config
	// MaxInflight bounds the hits being processed at once (default 1024);
	// above it hits get 503.
	MaxInflight int
	// ClientLimit limits hits per truncated client address (default 50/s,
	// bursts of 500), SiteLimit per site (default none); a zero limit is
	// no limit. Above them hits get 429.
	ClientLimit RateLimit
	SiteLimit   RateLimit

	// Now is the clock; tests inject one.
	Now func() time.Time
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		IPv4Bits: 24, IPv6Bits: 48,
		PropValuesPerDay: DefaultPropValuesPerDay,
		Visitor:          visitor.DefaultConfig(),
		FlushInterval:    time.Second, BatchSize: 10_000,
		WAL:         wal.DefaultConfig(),
		MaxInflight: 1024,
		ClientLimit: RateLimit{Rate: 50, Burst: 500},
	}
}

// EnsureDefaults fills the fields left zero that have a default. The
// rate limits and the log's sync wait are left alone: zero is a setting
// of their own (no limit, no wait).
func (c *Config) EnsureDefaults() {
	d := DefaultConfig()
	if c.IPv4Bits == 0 {
		c.IPv4Bits = d.IPv4Bits
	}
	if c.IPv6Bits == 0 {
		c.IPv6Bits = d.IPv6Bits
	}
	if c.FlushInterval == 0 {
		c.FlushInterval = d.FlushInterval
	}
	if c.BatchSize == 0 {
		c.BatchSize = d.BatchSize
	}
	if c.MaxInflight == 0 {
		c.MaxInflight = d.MaxInflight
	}
	if c.PropValuesPerDay == 0 {
		c.PropValuesPerDay = d.PropValuesPerDay
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Visitor.EnsureDefaults()
	c.WAL.EnsureDefaults()
}

// Validate checks the values.
func (c *Config) Validate() error {
	switch {
	case c.FlushInterval < 10*time.Millisecond || c.FlushInterval > time.Minute:
		return fmt.Errorf("collector: flush interval %v outside 10ms..1m", c.FlushInterval)
	case c.BatchSize < 1:
		return fmt.Errorf("collector: batch size must be positive")
	case c.WAL.Dir == "":
		return fmt.Errorf("collector: no write-ahead log directory")
	case c.MaxInflight < 1:
		return fmt.Errorf("collector: max in-flight hits must be positive")
	case c.PropValuesPerDay < 1 || c.PropValuesPerDay > 10_000:
		return fmt.Errorf("collector: values kept per property and day must be between 1 and 10000")
	}
	if err := c.ClientLimit.validate("client"); err != nil {
		return err
	}
	if err := c.SiteLimit.validate("site"); err != nil {
		return err
	}
	if err := c.WAL.Validate(); err != nil {
		return fmt.Errorf("collector: %w", err)
	}
	return c.Visitor.Validate()
}

// Collector is the ingest role.
type Collector struct {
	cfg      Config
	log      *slog.Logger
	pipeline *Pipeline
	tracker  *visitor.Tracker
	wal      *wal.WAL
	applier  *applier
	limits   *limiter
	sink     Sink
	metrics  *metrics
	// drops remembers the last deliberate drops per site (RecentDrops).
	drops recentDrops
	// closeGeo releases the GeoIP database, if any.
	closeGeo func() error

	inflight atomic.Int64
	stopping atomic.Bool

	reg    prometheus.Registerer
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds a collector writing to sink through the write-ahead log in
// cfg.WAL.Dir. It reads the spam list but holds no resource: Start opens
// the log and the GeoIP database.
func New(cfg Config, sites *site.Registry, sink Sink, reg prometheus.Registerer, log *slog.Logger) (*Collector, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	tracker := visitor.New(cfg.Visitor)
	c := &Collector{cfg: cfg, log: log, tracker: tracker, sink: sink, reg: reg, limits: newLimiter(cfg.ClientLimit, cfg.SiteLimit),
		closeGeo: func() error { return nil }}
	noGeo := c.cfg
	noGeo.GeoIPPath = "" // opened by Start
	p, _, err := NewPipeline(&noGeo, sites, tracker)
	if err != nil {
		return nil, err
	}
	p.Limits, p.rules.log = c.limits, log
	c.pipeline = p
	return c, nil
}

// Start opens the GeoIP database and the write-ahead log (whose lock keeps
// a second process off it), reads the store's position for the log, and
// starts the background work. ctx bounds the start only; the work runs
// until Stop. A failed Start releases what it opened.
func (c *Collector) Start(ctx context.Context) error {
	if err := c.open(); err != nil {
		return err
	}
	c.run(context.WithoutCancel(ctx))
	return nil
}

// open opens the GeoIP database and the log.
func (c *Collector) open() error {
	if c.cfg.GeoIPPath != "" {
		g, err := geo.Open(c.cfg.GeoIPPath, c.cfg.GeoIPCity)
		if err != nil {
			return fmt.Errorf("collector: %w", err)
		}
		c.pipeline.Geo, c.closeGeo = g, g.Close
		// Said at start, so an operator sees that locations will come
		// from this file (and not from the browser's time zone).
		dbType, built := g.Describe()
		c.log.Info("GeoIP database loaded", "path", c.cfg.GeoIPPath, "type", dbType, "built", built.Format(time.DateOnly), "cities", c.cfg.GeoIPCity)
		if c.cfg.GeoIPCity && !g.HasCities() {
			c.log.Warn("-geoip-city is set but the GeoIP database has no cities: only countries and regions will be counted", "type", dbType)
		}
	}
	if err := c.openWAL(c.reg); err != nil {
		return errors.Join(err, c.closeGeo())
	}
	return nil
}

// openWAL opens the log, registers the metrics and reads the store's
// position for the log (retried by the applier when the store is down).
func (c *Collector) openWAL(reg prometheus.Registerer) error {
	w, err := wal.Open(c.cfg.WAL, reg, c.log)
	if err != nil {
		return fmt.Errorf("collector: %w", err)
	}
	c.wal = w
	c.metrics = newMetrics(reg, c)
	c.applier = newApplier(w, c.sink, c.log, c.metrics, &c.cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.applier.step(ctx); err != nil {
		c.log.Warn("the store is not reachable yet; hits are kept in the write-ahead log", "err", err)
	}
	return nil
}

// useragentCacheSize bounds the classification cache (keyed by a salted
// hash of the UA, never the UA itself).
const useragentCacheSize = 16384

// run starts the background work: applying the log to the store, the
// sweep of expired visitor state and salts, and of idle rate-limit
// entries. It returns at once; Stop ends it.
func (c *Collector) run(ctx context.Context) {
	ctx, c.cancel = context.WithCancel(ctx)
	c.wg.Add(3)
	go func() {
		defer c.wg.Done()
		c.applier.run(ctx)
	}()
	go func() {
		defer c.wg.Done()
		c.tracker.Run(ctx, time.Minute, c.cfg.Now)
	}()
	go func() {
		defer c.wg.Done()
		tick := time.NewTicker(limiterSweepEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				c.limits.sweep()
			}
		}
	}()
}

// limiterSweepEvery is how often idle rate-limit entries are dropped.
const limiterSweepEvery = 5 * time.Second

// Stop refuses new hits, makes every accepted hit durable in the log, and
// stores as much of the log as ctx allows (keeping a moment for closing
// the store); the rest stays in the log and is stored on the next start,
// so nothing accepted is lost either way. Call it after the HTTP server
// stopped taking requests.
func (c *Collector) Stop(ctx context.Context) error {
	c.stopping.Store(true)
	if c.wal == nil {
		// Never started, or its start failed and released what it opened.
		return nil
	}
	c.wal.Seal()
	if c.cancel != nil {
		c.cancel()
		c.wg.Wait()
	}
	drainCtx, cancel := reserveTime(ctx, stopReserve)
	defer cancel()
	if err := c.applier.drain(drainCtx); err != nil {
		c.log.Warn("stopping with hits not yet in the store; they are kept in the write-ahead log",
			"records", c.pending(), "err", err)
	}
	return errors.Join(c.applier.close(), c.wal.Close(), c.closeGeo())
}

// stopReserve is left of the stop deadline for closing the store.
const stopReserve = time.Second

// reserveTime returns ctx with its deadline moved earlier by reserve, or
// to half the time left when that is shorter.
func reserveTime(ctx context.Context, reserve time.Duration) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	left := time.Until(deadline)
	return context.WithTimeout(ctx, max(left-reserve, left/2))
}

// pending is the number of log records not yet in the store.
func (c *Collector) pending() uint64 {
	applied, _ := c.applier.position()
	if d := c.wal.DurableLSN(); d > applied {
		return d - applied
	}
	return 0
}

// Flush stores every hit accepted so far now (tests and admin commands
// use it).
func (c *Collector) Flush(ctx context.Context) error { return c.applier.flush(ctx) }

// ClearLog stores every hit accepted so far and deletes them from the
// write-ahead log now, rather than when the active segment ages out: a
// purge through the running server calls it before deleting rows, so
// that no purged hit stays in the log's directory, nor can be applied
// again after the delete (DESIGN §1.8). Hits accepted meanwhile go to the
// new segment. It fails when a record before the rotation cannot be
// stored or its segment deleted.
func (c *Collector) ClearLog(ctx context.Context) error {
	if err := c.Flush(ctx); err != nil {
		return fmt.Errorf("store the logged hits: %w", err)
	}
	first, err := c.wal.Rotate(ctx)
	if err != nil {
		return err
	}
	// The records accepted between the flush and the rotation are in the
	// retired segment too.
	if err := c.Flush(ctx); err != nil {
		return fmt.Errorf("store the logged hits: %w", err)
	}
	return c.wal.DropBefore(first)
}

// RealtimeWindow is how far back "visitors right now" looks (Plausible's
// realtime visitors use 5 minutes; the privacy notice states it).
const RealtimeWindow = 5 * time.Minute

// CurrentVisitors counts the site's visitors active in the last 5 minutes.
func (c *Collector) CurrentVisitors(domain string) int {
	return c.tracker.CurrentVisitors(domain, c.cfg.Now(), RealtimeWindow)
}
