// Package retention enforces DESIGN §1.8: rows older than each site's
// retention (default 14 months) are deleted by the system itself, on a
// schedule, from whichever store keeps them; the frozen publication
// periods computed from them go too. Purge deletes earlier on demand
// (`shukei purge`). Both log how many rows they removed — counts, never
// content.
package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/internal/schedule"
	"github.com/shukei-analytics/shukei/site"
)

// Deleter deletes a site's rows older than an instant and returns how
// many it deleted (the DuckDB, ClickHouse and in-memory stores). Compact
// then makes the deleted rows' bytes leave the disk: DuckDB rewrites its
// file, ClickHouse waits for the replaced parts to be removed (DESIGN
// §1.8: deleted is gone).
type Deleter interface {
	DeleteBefore(ctx context.Context, site string, before time.Time) (int64, error)
	Compact(ctx context.Context) error
	// SitesWithRows lists the sites the store holds rows of, so that a
	// site removed from the configuration is not kept forever.
	SitesWithRows(ctx context.Context) ([]string, error)
}

// Pruner deletes a site's frozen publication periods that begin before a
// day, and everything of a removed site (the open-data archive).
type Pruner interface {
	DeleteBefore(site string, before disclosure.Day) (int, error)
	Sites() ([]string, error)
	RemoveSite(site string) error
}

// Sites lists the sites (site.Registry implements it).
type Sites interface {
	All() []*site.Site
}

// Cutoff returns the instant before which a site's rows are deleted: the
// start of the day, in the site's time zone, that is RetentionMonths
// calendar months before today.
//
// A day that the earlier month lacks (the 31st, three months after
// May 31st) is clamped to that month's last day, so rows are never deleted
// before they are RetentionMonths old.
func Cutoff(st *site.Site, now time.Time) time.Time {
	y, m, d := now.In(st.Location).Date()
	first := time.Date(y, m-time.Month(st.Retention()), 1, 0, 0, 0, 0, st.Location)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// Config configures the scheduled job.
type Config struct {
	// Interval is how often retention runs (default 1h; the cut-off moves
	// by a day at a time).
	Interval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Deps are the job's collaborators.
type Deps struct {
	Store Deleter
	Sites Sites
	// Archive is pruned along with the store; nil for none.
	Archive    Pruner
	Log        *slog.Logger
	Registerer prometheus.Registerer
}

// Job deletes expired rows on a schedule.
type Job struct {
	cfg     Config
	deps    Deps
	metrics *metrics
	// dirty is set while deleted rows await a successful Compact (a
	// failed one is tried again on the next pass).
	dirty bool
	// absent counts the consecutive passes that found a site's archive
	// without the site (pruneRemoved); absentRows the same for a site's
	// rows (expireRemoved).
	absent, absentRows map[string]int
	every              schedule.Every
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{Interval: time.Hour} }

// EnsureDefaults fills the fields left zero.
func (c *Config) EnsureDefaults() {
	if c.Interval == 0 {
		c.Interval = DefaultConfig().Interval
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate checks the values.
func (c *Config) Validate() error {
	if c.Interval < time.Second {
		return fmt.Errorf("retention: interval %v is too short", c.Interval)
	}
	return nil
}

// New returns the job.
func New(cfg Config, deps Deps) (*Job, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Store == nil || deps.Sites == nil {
		return nil, errors.New("retention: a store and the sites are required")
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	return &Job{cfg: cfg, deps: deps, metrics: newMetrics(deps.Registerer)}, nil
}

// Once applies every site's retention now.
func (j *Job) Once(ctx context.Context) error {
	var errs []error
	now := j.cfg.Now()
	for _, st := range j.deps.Sites.All() {
		n, err := deleteBefore(ctx, j.deps.Store, j.deps.Archive, st, Cutoff(st, now), j.deps.Log, "retention")
		j.metrics.rows.Add(float64(n))
		if n > 0 {
			j.dirty = true
		}
		if err != nil {
			j.metrics.errors.Inc()
			errs = append(errs, err)
		}
	}
	n, err := j.expireRemoved(ctx, now)
	if n > 0 {
		j.dirty = true
	}
	if err != nil {
		j.metrics.errors.Inc()
		errs = append(errs, err)
	}
	if err := j.pruneRemoved(); err != nil {
		j.metrics.errors.Inc()
		errs = append(errs, err)
	}
	if j.dirty {
		if err := compact(ctx, j.deps.Store, j.deps.Log, "retention"); err != nil {
			j.metrics.errors.Inc()
			errs = append(errs, err)
		} else {
			j.dirty = false
		}
	}
	return errors.Join(errs...)
}

// Run applies retention now and then every interval, in the background,
// until Stop.
func (j *Job) Run(ctx context.Context) {
	j.every.Start(ctx, j.cfg.Interval, func(ctx context.Context) { _ = j.Once(ctx) })
}

// Stop ends the schedule and waits for a pass in progress.
func (j *Job) Stop(ctx context.Context) error {
	if err := j.every.Stop(ctx); err != nil {
		return fmt.Errorf("retention: stop: %w", err)
	}
	return nil
}

// Purge deletes a site's rows before an instant, and the frozen periods
// that end by the start of that day, compacts the store so that no byte of
// them is left, and logs the counts (why names the caller). It returns the
// rows deleted.
func Purge(ctx context.Context, store Deleter, archive Pruner, st *site.Site, before time.Time, log *slog.Logger, why string) (int64, error) {
	n, err := deleteBefore(ctx, store, archive, st, before, log, why)
	if err != nil {
		return n, err
	}
	return n, compact(ctx, store, log, why)
}

// compact runs the store's compaction and logs how long it took.
func compact(ctx context.Context, store Deleter, log *slog.Logger, why string) error {
	start := time.Now()
	if err := store.Compact(ctx); err != nil {
		log.Error(why+": removing deleted rows from disk failed; they are removed on the next pass", "err", err)
		return fmt.Errorf("%s: compact: %w", why, err)
	}
	log.Info(why+": deleted rows removed from disk", "seconds", time.Since(start).Seconds())
	return nil
}

// deleteBefore deletes and logs, without compacting.
func deleteBefore(ctx context.Context, store Deleter, archive Pruner, st *site.Site, before time.Time, log *slog.Logger, why string) (int64, error) {
	n, err := store.DeleteBefore(ctx, st.Domain, before)
	if err != nil {
		log.Error(why+": deleting rows failed", "site", st.Domain, "before", before.Format(time.RFC3339), "err", err)
		return n, fmt.Errorf("%s: %s: %w", why, st.Domain, err)
	}
	periods := 0
	if archive != nil {
		periods, err = archive.DeleteBefore(st.Domain, disclosure.DayOf(before, st.Location))
		if err != nil {
			log.Error(why+": pruning published periods failed", "site", st.Domain, "err", err)
			return n, fmt.Errorf("%s: %s: %w", why, st.Domain, err)
		}
	}
	if n > 0 || periods > 0 || why != "retention" {
		log.Info(why+": deleted rows", "site", st.Domain, "before", before.Format(time.RFC3339),
			"rows", n, "published_periods", periods)
	}
	return n, nil
}

// pruneRemoved deletes the archive of a site that is no longer configured
// (removed in the dashboard): its frozen periods hold exact counts. A site
// must be missing on two passes in a row, an interval apart, so that a
// registry still loading at start never costs a site its archive.
func (j *Job) pruneRemoved() error {
	if j.deps.Archive == nil {
		return nil
	}
	archived, err := j.deps.Archive.Sites()
	if err != nil {
		return fmt.Errorf("retention: list the archive: %w", err)
	}
	known := map[string]bool{}
	for _, st := range j.deps.Sites.All() {
		known[st.Domain] = true
	}
	if j.absent == nil {
		j.absent = map[string]int{}
	}
	seen := map[string]bool{}
	var errs []error
	for _, d := range archived {
		if known[d] {
			continue
		}
		seen[d] = true
		if j.absent[d]++; j.absent[d] < 2 {
			continue
		}
		if err := j.deps.Archive.RemoveSite(d); err != nil {
			errs = append(errs, err)
			continue
		}
		delete(j.absent, d)
		j.deps.Log.Info("retention: removed the published periods of a removed site", "site", d)
	}
	for d := range j.absent {
		if !seen[d] {
			delete(j.absent, d)
		}
	}
	return errors.Join(errs...)
}

// expireRemoved applies the default retention, in UTC, to the rows of
// sites that are no longer configured (removed in the dashboard): they
// stay until then, so that adding the site again shows them, but not
// forever. Like pruneRemoved it waits for a site to be missing on two
// passes in a row.
func (j *Job) expireRemoved(ctx context.Context, now time.Time) (int64, error) {
	stored, err := j.deps.Store.SitesWithRows(ctx)
	if err != nil {
		return 0, fmt.Errorf("retention: list the store's sites: %w", err)
	}
	known := map[string]bool{}
	for _, st := range j.deps.Sites.All() {
		known[st.Domain] = true
	}
	if j.absentRows == nil {
		j.absentRows = map[string]int{}
	}
	var total int64
	var errs []error
	seen := map[string]bool{}
	for _, d := range stored {
		if known[d] {
			continue
		}
		seen[d] = true
		if j.absentRows[d]++; j.absentRows[d] < 2 {
			continue
		}
		gone := &site.Site{Domain: d, Location: time.UTC}
		n, err := deleteBefore(ctx, j.deps.Store, nil, gone, Cutoff(gone, now), j.deps.Log, "retention (removed site)")
		total += n
		j.metrics.rows.Add(float64(n))
		if err != nil {
			errs = append(errs, err)
		}
	}
	for d := range j.absentRows {
		if !seen[d] {
			delete(j.absentRows, d)
		}
	}
	return total, errors.Join(errs...)
}
