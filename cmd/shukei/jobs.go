package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/site"
)

// archiveDir is where frozen publication periods are kept under -data:
// private, like the database (they hold the exact counts and the noise).
const archiveDir = "published"

// jobs are the scheduled work of a server: bringing public reports up to
// date, deleting rows past their retention, and merging old rows.
type jobs struct {
	publisher *opendata.Publisher
	retention *retention.Job
	// ageing is nil for a store that keeps rows as written.
	ageing *ageing.Job
}

// newJobs builds the jobs and the public pages, which serve the
// publisher's reports.
func newJobs(cfg *serveConfig, store backend, sites *site.Registry, rt opendata.Realtime,
	reg prometheus.Registerer, log *slog.Logger, now func() time.Time) (*jobs, *public.Handler, error) {
	pub, err := opendata.New(opendata.Config{
		Dir: filepath.Join(cfg.store.data, archiveDir), Interval: cfg.publishing.publishInterval, Now: now,
	}, opendata.Deps{Store: store, Sites: sites, Realtime: rt, Log: log, Registerer: reg})
	if err != nil {
		return nil, nil, err
	}
	h, err := public.New(public.Config{Now: now}, public.Deps{Reports: pub, Realtime: rt, Log: log})
	if err != nil {
		return nil, nil, err
	}
	job, err := retention.New(retention.Config{Now: now},
		retention.Deps{Store: store, Sites: sites, Archive: pub.Archive(), Log: log, Registerer: reg})
	if err != nil {
		return nil, nil, err
	}
	j := &jobs{publisher: pub, retention: job}
	if ager, ok := store.(ageing.Store); ok && cfg.ageing.interval > 0 {
		acfg := ageing.Config{Interval: cfg.ageing.interval, Now: now, RetentionCutoff: retention.Cutoff}
		if j.ageing, err = ageing.New(acfg, ageing.Deps{Store: ager, Sites: sites, Log: log, Registerer: reg}); err != nil {
			return nil, nil, err
		}
	}
	return j, h, nil
}

// start starts the publishing, retention and ageing schedules; ctx bounds
// the start only.
func (j *jobs) start(ctx context.Context) error {
	ctx = context.WithoutCancel(ctx)
	j.publisher.Run(ctx)
	j.retention.Run(ctx)
	if j.ageing != nil {
		j.ageing.Run(ctx)
	}
	return nil
}

// stop ends the schedules, waiting for a pass in progress.
func (j *jobs) stop(ctx context.Context) error {
	err := errors.Join(j.publisher.Stop(ctx), j.retention.Stop(ctx))
	if j.ageing != nil {
		err = errors.Join(err, j.ageing.Stop(ctx))
	}
	return err
}
