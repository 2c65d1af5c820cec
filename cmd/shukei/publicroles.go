package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/dashboard"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/site"
)

// archiveDir is where frozen publication periods are kept under -data:
// private, like the database (they hold the exact counts and the noise).
const archiveDir = "published"

// publicRoles are the publishing side of a server: the open-data
// publisher, its public routes, and the retention job.
type publicRoles struct {
	publisher *opendata.Publisher
	handler   *public.Handler
	retention *retention.Job
}

// newPublicRoles builds the roles; run starts their schedules once the
// dashboard has loaded its sites into the registry.
func newPublicRoles(cfg *serveConfig, store backend, sites *site.Registry, rt opendata.Realtime,
	reg prometheus.Registerer, log *slog.Logger, now func() time.Time) (*publicRoles, error) {
	pub, err := opendata.New(opendata.Config{
		Dir: filepath.Join(cfg.store.data, archiveDir), Interval: cfg.publishing.publishInterval, Now: now,
	}, opendata.Deps{Store: store, Sites: sites, Realtime: rt, Log: log, Registerer: reg})
	if err != nil {
		return nil, err
	}
	h, err := public.New(public.Config{Now: now}, public.Deps{Reports: pub, Realtime: rt, Log: log})
	if err != nil {
		return nil, err
	}
	job, err := retention.New(retention.Config{Now: now},
		retention.Deps{Store: store, Sites: sites, Archive: pub.Archive(), Log: log, Registerer: reg})
	if err != nil {
		return nil, err
	}
	return &publicRoles{publisher: pub, handler: h, retention: job}, nil
}

// run starts the publishing and retention schedules.
func (p *publicRoles) run(ctx context.Context) {
	p.publisher.Run(ctx)
	p.retention.Run(ctx)
}

// stop ends both schedules, waiting for a pass in progress.
func (p *publicRoles) stop(ctx context.Context) error {
	return errors.Join(p.publisher.Stop(ctx), p.retention.Stop(ctx))
}

// mounters mounts several roles' routes where the server takes one.
type mounters []dashboard.Mounter

// Routes mounts each role's routes in order.
func (m mounters) Routes(r fiber.Router) {
	for _, x := range m {
		x.Routes(r)
	}
}
