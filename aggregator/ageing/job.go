package ageing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/internal/schedule"
	"github.com/shukei-analytics/shukei/site"
)

// Store is what the job needs of a store (the DuckDB and ClickHouse stores
// implement it).
type Store interface {
	// AgeingState returns what the store has promised about the site's
	// rows; the zero State for a site never aged.
	AgeingState(ctx context.Context, site string) (State, error)
	// SetAgeingState records a promise durably before any row is merged
	// to it. From its return on, the store refuses queries the promised
	// rows could not answer (Check) and, once no query planned under the
	// earlier promise can still be running, merges. A state is only ever
	// replaced by a later one (Later).
	SetAgeingState(ctx context.Context, site string, s State) error
	// PendingAgeing lists the UTC hours holding event rows, and those
	// holding rollup rows, that are finer than s promises.
	PendingAgeing(ctx context.Context, site string, s State) (eventHours, rollupHours []time.Time, err error)
	// Age merges the chunks of each site.
	Age(ctx context.Context, work []Work) (Stats, error)
}

// Work is one site's chunks to merge, under its state.
type Work struct {
	Site   string
	State  State
	Chunks []Chunk
}

// Stats counts what a pass merged.
type Stats struct {
	Chunks int
	// Rows before and after merging, event and rollup rows together.
	RowsBefore, RowsAfter int64
}

// Add adds o to s.
func (s *Stats) Add(o Stats) {
	s.Chunks += o.Chunks
	s.RowsBefore += o.RowsBefore
	s.RowsAfter += o.RowsAfter
}

// Sites lists the sites (site.Registry implements it).
type Sites interface {
	All() []*site.Site
}

// Config configures the job.
type Config struct {
	// Interval is how often a pass runs (default 1h: the hour step's
	// boundary moves by an hour at a time).
	Interval time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// RetentionCutoff returns the instant before which retention deletes
	// a site's rows (retention.Cutoff); chunks before the day after it
	// are left to retention. Nil leaves every chunk to ageing.
	RetentionCutoff func(st *site.Site, now time.Time) time.Time
}

// DefaultConfig returns the job's defaults.
func DefaultConfig() Config { return Config{Interval: time.Hour} }

// Deps are the job's collaborators.
type Deps struct {
	Store      Store
	Sites      Sites
	Log        *slog.Logger
	Registerer prometheus.Registerer
}

// Job merges old rows on a schedule. A pass is resumable and idempotent:
// it asks the store what is still finer than promised, so a pass cut short
// by a crash is finished by the next one.
type Job struct {
	cfg     Config
	deps    Deps
	metrics *metrics
	every   schedule.Every
}

// New returns the job.
func New(cfg Config, deps Deps) (*Job, error) {
	if cfg.Interval == 0 {
		cfg.Interval = DefaultConfig().Interval
	}
	if cfg.Interval < time.Second {
		return nil, fmt.Errorf("ageing: interval %v is too short", cfg.Interval)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if deps.Store == nil || deps.Sites == nil {
		return nil, errors.New("ageing: a store and the sites are required")
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	return &Job{cfg: cfg, deps: deps, metrics: newMetrics(deps.Registerer)}, nil
}

// Once runs one pass now: it records each site's new promise, then merges
// every chunk still finer than promised.
func (j *Job) Once(ctx context.Context) (Stats, error) {
	now := j.cfg.Now()
	var work []Work
	var errs []error
	for _, st := range j.deps.Sites.All() {
		w, err := j.plan(ctx, st, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("ageing: %s: %w", st.Domain, err))
			continue
		}
		if len(w.Chunks) > 0 {
			work = append(work, w)
		}
	}
	var stats Stats
	if len(work) > 0 {
		var err error
		stats, err = j.deps.Store.Age(ctx, work)
		if err != nil {
			errs = append(errs, fmt.Errorf("ageing: %w", err))
		}
	}
	j.metrics.chunks.Add(float64(stats.Chunks))
	j.metrics.rowsBefore.Add(float64(stats.RowsBefore))
	j.metrics.rowsAfter.Add(float64(stats.RowsAfter))
	if err := errors.Join(errs...); err != nil {
		j.metrics.errors.Inc()
		j.deps.Log.Error("ageing: pass failed", "err", err)
		return stats, err
	}
	j.metrics.lastRun.SetToCurrentTime()
	if stats.Chunks > 0 {
		j.deps.Log.Info("ageing: merged old rows", "chunks", stats.Chunks, "rows_before", stats.RowsBefore, "rows_after", stats.RowsAfter)
	}
	return stats, nil
}

// plan records the site's promise and lists its chunks. Chunks older than
// the site's retention are left to retention, so a merge never writes
// back rows that retention is deleting.
func (j *Job) plan(ctx context.Context, st *site.Site, now time.Time) (Work, error) {
	cur, err := j.deps.Store.AgeingState(ctx, st.Domain)
	if err != nil {
		return Work{}, err
	}
	next := Target(st, cur, now)
	if !next.Equal(cur) {
		if err := j.deps.Store.SetAgeingState(ctx, st.Domain, next); err != nil {
			return Work{}, err
		}
	}
	events, rollups, err := j.deps.Store.PendingAgeing(ctx, st.Domain, next)
	if err != nil {
		return Work{}, err
	}
	var cutoff time.Time
	if j.cfg.RetentionCutoff != nil {
		cutoff = j.cfg.RetentionCutoff(st, now).AddDate(0, 0, 1)
	}
	var chunks []Chunk
	for _, c := range Chunks(next, events, rollups) {
		if !c.From.Before(cutoff) {
			chunks = append(chunks, c)
		}
	}
	return Work{Site: st.Domain, State: next, Chunks: chunks}, nil
}

// Run runs a pass now and then every interval, in the background, until
// Stop.
func (j *Job) Run(ctx context.Context) {
	j.every.Start(ctx, j.cfg.Interval, func(ctx context.Context) { _, _ = j.Once(ctx) })
}

// Stop ends the schedule and waits for the chunk in progress: a merge is
// never cut short in the middle (a store merges each chunk atomically).
func (j *Job) Stop(ctx context.Context) error {
	if err := j.every.Stop(ctx); err != nil {
		return fmt.Errorf("ageing: stop: %w", err)
	}
	return nil
}
