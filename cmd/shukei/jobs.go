package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/aggregator/statsapi"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/site"
)

// publisher brings public reports up to date and freezes their periods in
// the archive: on demand for the public pages (dashboard role), and on a
// schedule (jobs role).
type publisher = *opendata.Publisher

// newPublisher returns the publisher over the archive (-archive-dir). The
// dashboard and jobs nodes of a multi-node deployment share the archive
// directory, whose noise key makes every copy publish the same numbers.
func newPublisher(cfg *serveConfig, store backend, sites *site.Registry, realtime statsapi.Realtime,
	reg prometheus.Registerer, log *slog.Logger, now func() time.Time) (publisher, error) {
	deps := opendata.Deps{Store: store, Sites: sites, Log: log, Registerer: reg}
	if realtime != nil {
		deps.Realtime = realtime
	}
	return opendata.New(opendata.Config{Dir: cfg.store.archiveDir(), Interval: cfg.publishing.publishInterval, Now: now}, deps)
}

// newPublicPages returns the public pages over the publisher's reports.
func newPublicPages(pub publisher, realtime statsapi.Realtime, deps serverDeps) (*public.Handler, error) {
	pdeps := public.Deps{Reports: pub, Log: deps.log}
	if realtime != nil {
		pdeps.Realtime = realtime
	}
	return public.New(public.Config{Now: deps.now}, pdeps)
}

// jobs are the scheduled work of the one node that holds the jobs lease:
// bringing public reports up to date, deleting rows past their retention,
// and merging old rows (ageing).
type jobs struct {
	publisher publisher
	retention *retention.Job
	// ageing merges old rows; nil when -ageing-interval is 0.
	ageing  *ageing.Job
	metrics *jobsMetrics

	mu      sync.Mutex
	running bool
}

func newJobs(cfg *serveConfig, pub publisher, store backend, sites *site.Registry, reg prometheus.Registerer, log *slog.Logger, now func() time.Time) (*jobs, error) {
	job, err := retention.New(retention.Config{Now: now},
		retention.Deps{Store: store, Sites: sites, Archive: pub.Archive(), Log: log, Registerer: reg})
	if err != nil {
		return nil, err
	}
	j := &jobs{publisher: pub, retention: job, metrics: newJobsMetrics(reg)}
	if cfg.ageing.interval > 0 {
		acfg := ageing.Config{Interval: cfg.ageing.interval, Now: now, RetentionCutoff: retention.Cutoff}
		if j.ageing, err = ageing.New(acfg, ageing.Deps{Store: store, Sites: sites, Log: log, Registerer: reg}); err != nil {
			return nil, err
		}
	}
	return j, nil
}

// start starts the publishing and retention schedules; ctx bounds the
// start only.
func (j *jobs) start(ctx context.Context) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	ctx = context.WithoutCancel(ctx)
	j.publisher.Run(ctx)
	j.retention.Run(ctx)
	if j.ageing != nil {
		j.ageing.Run(ctx)
	}
	j.running = true
	return nil
}

// stop ends both schedules, waiting for a pass in progress. It runs when
// the node stops, and when the lease is lost (then another node may
// already run them).
func (j *jobs) stop(ctx context.Context) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.running {
		return nil
	}
	j.running = false
	err := errors.Join(j.publisher.Stop(ctx), j.retention.Stop(ctx))
	if j.ageing != nil {
		err = errors.Join(err, j.ageing.Stop(ctx))
	}
	return err
}

// jobsMetrics say whether this node holds the jobs lease (alert when no
// node of a deployment does).
type jobsMetrics struct {
	held prometheus.Gauge
}

func newJobsMetrics(reg prometheus.Registerer) *jobsMetrics {
	m := &jobsMetrics{held: prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "shukei_jobs_lease_held", Help: "1 while this node holds the jobs lease and runs the jobs.",
	})}
	if reg != nil {
		reg.MustRegister(m.held)
	}
	return m
}

func (m *jobsMetrics) setHeld(held bool) {
	if held {
		m.held.Set(1)
	} else {
		m.held.Set(0)
	}
}
