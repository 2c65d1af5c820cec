package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/site"
)

// archiveDir is where frozen publication periods are kept under -data:
// private, like the database (they hold the exact counts and the noise).
const archiveDir = "published"

// jobs are the scheduled work of a server: bringing public reports up to
// date, and deleting rows past their retention.
type jobs struct {
	publisher *opendata.Publisher
	retention *retention.Job
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
	return &jobs{publisher: pub, retention: job}, h, nil
}

// start starts the publishing and retention schedules; ctx bounds the
// start only.
func (j *jobs) start(ctx context.Context) error {
	ctx = context.WithoutCancel(ctx)
	j.publisher.Run(ctx)
	j.retention.Run(ctx)
	return nil
}

// stop ends both schedules, waiting for a pass in progress.
func (j *jobs) stop(ctx context.Context) error {
	return errors.Join(j.publisher.Stop(ctx), j.retention.Stop(ctx))
}
