package opendata

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// Config configures the publisher.
type Config struct {
	// Dir is the archive of frozen periods (under the data directory).
	Dir string
	// Interval is how often every public site's reports are brought up
	// to date (default 24h); a site is also brought up to date when its
	// reports are requested and a period has completed since.
	Interval time.Duration
	// Settle is how long after a period ends it is frozen (default 1h),
	// so that its last rows have reached the store.
	Settle time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Sites looks sites up (site.Registry implements it).
type Sites interface {
	Lookup(domain string) (*site.Site, bool)
	All() []*site.Site
}

// Realtime counts the visitors active right now (the collector).
type Realtime interface {
	CurrentVisitors(site string) int
}

// Deps are the publisher's collaborators.
type Deps struct {
	Store Querier
	Sites Sites
	// Realtime is nil in a process without a collector: there is then no
	// realtime report.
	Realtime   Realtime
	Log        *slog.Logger
	Registerer prometheus.Registerer
	// NoiseKey is the secret the noise is a function of (tests fix it);
	// nil reads it from the archive directory, creating it on first use.
	NoiseKey []byte
}

// ErrNotPublic is returned for a site that does not publish statistics
// (or does not exist: the two are not told apart).
var ErrNotPublic = errors.New("opendata: the site does not publish statistics")

// Publisher freezes and serves the public reports of the sites that opted
// in.
type Publisher struct {
	cfg     Config
	deps    Deps
	archive *Archive
	noise   *disclosure.Noise
	metrics *metrics

	mu    sync.Mutex
	locks map[string]*sync.Mutex
	sets  map[string]*Set

	cancel context.CancelFunc
	done   chan struct{}
}

// DefaultConfig returns the defaults (Dir has none).
func DefaultConfig() Config {
	return Config{Interval: 24 * time.Hour, Settle: time.Hour}
}

// EnsureDefaults fills the fields left zero.
func (c *Config) EnsureDefaults() {
	d := DefaultConfig()
	if c.Interval == 0 {
		c.Interval = d.Interval
	}
	if c.Settle == 0 {
		c.Settle = d.Settle
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate checks the values.
func (c *Config) Validate() error {
	if c.Interval < time.Minute || c.Settle < 0 {
		return fmt.Errorf("opendata: publish interval %v is under a minute", c.Interval)
	}
	return nil
}

// New returns a publisher over the archive in cfg.Dir.
func New(cfg Config, deps Deps) (*Publisher, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Store == nil || deps.Sites == nil {
		return nil, errors.New("opendata: a store and the sites are required")
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	a, err := OpenArchive(cfg.Dir)
	if err != nil {
		return nil, err
	}
	key := deps.NoiseKey
	if key == nil {
		// Created now, not at the first noisy period, so that every copy
		// of the data directory made after the first start shares it.
		if key, err = loadNoiseKey(cfg.Dir); err != nil {
			return nil, err
		}
	}
	noise, err := disclosure.NewNoise(key)
	if err != nil {
		return nil, err
	}
	return &Publisher{
		cfg: cfg, deps: deps, archive: a, noise: noise, metrics: newMetrics(deps.Registerer),
		locks: map[string]*sync.Mutex{}, sets: map[string]*Set{},
	}, nil
}

// Archive returns the archive of frozen periods (retention prunes it).
func (p *Publisher) Archive() *Archive { return p.archive }

// Current returns the site's current public reports, freezing the
// periods that completed since the last call. It returns ErrNotPublic
// for a site that has not opted in.
func (p *Publisher) Current(ctx context.Context, domain string) (*Set, error) {
	st, ok := p.deps.Sites.Lookup(domain)
	if !ok || !st.Publish.Public {
		return nil, ErrNotPublic
	}
	rules, err := disclosure.RulesFor(st.Publish)
	if err != nil {
		return nil, fmt.Errorf("opendata: %s: %w", domain, err)
	}
	lock := p.siteLock(domain)
	lock.Lock()
	defer lock.Unlock()
	now := p.cfg.Now()
	week := disclosure.LastComplete(disclosure.Week, now, st.Location, p.cfg.Settle)
	block := disclosure.LastComplete(disclosure.Block, now, st.Location, p.cfg.Settle)
	p.mu.Lock()
	set := p.sets[domain]
	p.mu.Unlock()
	if set != nil && set.Week == week && set.Block == block && set.TimeZone == st.Location.String() {
		return set.withRules(rules), nil
	}
	set, err = p.build(ctx, st, rules, week, block)
	if err != nil {
		p.metrics.errors.Inc()
		return nil, err
	}
	p.mu.Lock()
	p.sets[domain] = set
	p.mu.Unlock()
	return set.withRules(rules), nil
}

func (p *Publisher) siteLock(domain string) *sync.Mutex {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.locks[domain]
	if l == nil {
		l = &sync.Mutex{}
		p.locks[domain] = l
	}
	return l
}

// PublishAll brings every public site up to date.
func (p *Publisher) PublishAll(ctx context.Context) error {
	var errs []error
	for _, st := range p.deps.Sites.All() {
		if !st.Publish.Public {
			continue
		}
		if _, err := p.Current(ctx, st.Domain); err != nil {
			p.deps.Log.Error("publishing failed", "site", st.Domain, "err", err)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Run publishes now and then on schedule, in the background, until Stop.
func (p *Publisher) Run(ctx context.Context) {
	ctx, p.cancel = context.WithCancel(ctx)
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		for {
			_ = p.PublishAll(ctx)
			select {
			case <-ctx.Done():
				return
			case <-time.After(p.untilNext()):
			}
		}
	}()
}

// untilNext is the time to the next run: the interval, or sooner when a
// public site's next week completes.
func (p *Publisher) untilNext() time.Duration {
	now := p.cfg.Now()
	wait := p.cfg.Interval
	for _, st := range p.deps.Sites.All() {
		if !st.Publish.Public {
			continue
		}
		w := disclosure.LastComplete(disclosure.Week, now, st.Location, p.cfg.Settle)
		next := disclosure.Period{Kind: disclosure.Week, Start: w.End()}
		wait = min(wait, next.Complete(st.Location, p.cfg.Settle).Sub(now))
	}
	return max(wait, time.Minute)
}

// Stop ends the schedule and waits for a run in progress.
func (p *Publisher) Stop(ctx context.Context) error {
	if p.cancel == nil {
		return nil
	}
	p.cancel()
	select {
	case <-p.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("opendata: stop: %w", ctx.Err())
	}
}
