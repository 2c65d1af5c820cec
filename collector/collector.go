// Package collector is Shukei's ingest role: the Plausible-compatible event
// endpoint and the no-script pixel, the privacy pipeline that turns a raw
// hit into identifier-free rows, the in-memory visitor state, and the queue
// that writes rows to the store in batches.
package collector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/collector/geo"
	"github.com/shukei-analytics/shukei/collector/ipaddr"
	"github.com/shukei-analytics/shukei/collector/referrer"
	"github.com/shukei-analytics/shukei/collector/urlscrub"
	"github.com/shukei-analytics/shukei/collector/useragent"
	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/site"
)

// Config configures the collector. Zero values take the defaults.
type Config struct {
	TrustedProxies []netip.Prefix
	IPv4Bits       int // default 24
	IPv6Bits       int // default 48
	GeoIPPath      string
	GeoIPCity      bool
	SpamListPath   string
	SearchParams   []string
	Visitor        visitor.Config
	FlushInterval  time.Duration // default 1s
	BatchSize      int           // default 10,000 rows
	MaxQueueRows   int           // default 1,000,000 rows; above it hits get 503
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// Validate fills defaults and checks values.
func (c *Config) Validate() error {
	if c.IPv4Bits == 0 {
		c.IPv4Bits = 24
	}
	if c.IPv6Bits == 0 {
		c.IPv6Bits = 48
	}
	if c.FlushInterval == 0 {
		c.FlushInterval = time.Second
	}
	if c.BatchSize == 0 {
		c.BatchSize = 10_000
	}
	if c.MaxQueueRows == 0 {
		c.MaxQueueRows = 1_000_000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	switch {
	case c.FlushInterval < 10*time.Millisecond || c.FlushInterval > time.Minute:
		return fmt.Errorf("collector: flush interval %v outside 10ms..1m", c.FlushInterval)
	case c.BatchSize < 1:
		return fmt.Errorf("collector: batch size must be positive")
	case c.MaxQueueRows < c.BatchSize:
		return fmt.Errorf("collector: max queue rows %d below the batch size %d", c.MaxQueueRows, c.BatchSize)
	}
	return c.Visitor.Validate()
}

// Collector is the ingest role.
type Collector struct {
	cfg      Config
	log      *slog.Logger
	pipeline *Pipeline
	tracker  *visitor.Tracker
	queue    *queue
	metrics  *metrics
	geo      *geo.DB

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds a collector writing to sink. It opens the GeoIP database and
// the spam list named in cfg.
func New(cfg Config, sites *site.Registry, sink Sink, reg prometheus.Registerer, log *slog.Logger) (*Collector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ips, err := ipaddr.NewResolver(ipaddr.Config{V4Bits: cfg.IPv4Bits, V6Bits: cfg.IPv6Bits, TrustedProxies: cfg.TrustedProxies})
	if err != nil {
		return nil, fmt.Errorf("collector: %w", err)
	}
	spam, err := referrer.LoadSpamList(cfg.SpamListPath)
	if err != nil {
		return nil, fmt.Errorf("collector: %w", err)
	}
	scrub := urlscrub.DefaultOptions()
	if len(cfg.SearchParams) > 0 {
		scrub.SearchParams = cfg.SearchParams
	}
	tracker := visitor.New(cfg.Visitor)
	c := &Collector{cfg: cfg, log: log, tracker: tracker}
	c.pipeline = &Pipeline{
		Sites: sites, IPs: ips, Agents: useragent.New(useragentCacheSize), Spam: spam,
		Scrub: *scrub, Tracker: tracker, Now: cfg.Now, WithCity: cfg.GeoIPCity,
	}
	if cfg.GeoIPPath != "" {
		if c.geo, err = geo.Open(cfg.GeoIPPath, cfg.GeoIPCity); err != nil {
			return nil, fmt.Errorf("collector: %w", err)
		}
		c.pipeline.Geo = c.geo
	}
	c.metrics = newMetrics(reg,
		func() float64 { return float64(tracker.Live()) },
		func() float64 { return float64(tracker.Evicted()) })
	c.queue = newQueue(sink, log, c.metrics, &cfg)
	return c, nil
}

// useragentCacheSize bounds the classification cache (keyed by a salted
// hash of the UA, never the UA itself).
const useragentCacheSize = 16384

// Run starts the background work: batched flushing and the sweep of expired
// visitor state and salts. It returns at once; Stop ends it.
func (c *Collector) Run(ctx context.Context) {
	ctx, c.cancel = context.WithCancel(ctx)
	c.wg.Add(2)
	go func() {
		defer c.wg.Done()
		c.queue.run(ctx)
	}()
	go func() {
		defer c.wg.Done()
		c.tracker.Run(ctx, time.Minute, c.cfg.Now)
	}()
}

// Stop ends the background work and stores every accepted row, retrying
// until ctx ends. Call it after the HTTP server stopped taking requests.
func (c *Collector) Stop(ctx context.Context) error {
	if c.cancel != nil {
		c.cancel()
		c.wg.Wait()
	}
	err := c.queue.drain(ctx)
	if c.geo != nil {
		err = errors.Join(err, c.geo.Close())
	}
	return err
}

// Flush stores the queued rows now (tests and admin commands use it).
func (c *Collector) Flush(ctx context.Context) error { return c.queue.flush(ctx) }

// CurrentVisitors counts the site's visitors active in the last 5 minutes.
func (c *Collector) CurrentVisitors(domain string) int {
	return c.tracker.CurrentVisitors(domain, c.cfg.Now(), 5*time.Minute)
}
