package main

import (
	"context"
	"net"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/statsapi"
	"github.com/shukei-analytics/shukei/cluster"
	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/dashboard"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/route"
)

// build makes the node's roles and lists them in start order:
//
//   - without the dashboard, the sites' configuration read from the store
//     (so the collector counts the stored sites from its first hit);
//   - ingest: the collector (its log, GeoIP database and applier) and the
//     access-log followers;
//   - dashboard: the dashboard (its database, which loads the sites added
//     in it), then the sites' configuration written to the store for the
//     other nodes, the Stats API and the public pages;
//   - jobs: the lease, then the jobs (which run over the loaded sites);
//   - the server's own routes and the local administration endpoint.
func (inst *instance) build(cfg *serveConfig, deps serverDeps, ips *ipaddr.Resolver, roles roleSet) error {
	a, store, sites, reg := inst.app, inst.store, inst.sites, inst.registry
	now := deps.now
	if now == nil {
		now = time.Now
	}
	if !roles[roleDashboard] {
		a.parts = append(a.parts, siteSyncPart("site configuration (from the store)",
			cluster.NewSiteFollower(store, sites, cfg.cluster.siteSync, deps.log)))
	}
	var realtime statsapi.Realtime
	if roles[roleIngest] {
		colCfg := cfg.collector
		colCfg.Resolver, colCfg.Now = ips, deps.now
		if colCfg.WAL.Dir == "" {
			colCfg.WAL.Dir = filepath.Join(cfg.store.data, "wal")
		}
		col, err := collector.New(colCfg, sites, store, reg, deps.log)
		if err != nil {
			return err
		}
		trusted, _ := ipaddr.ParsePrefixes(cfg.trustedProxies) // checked by the resolver
		follow, err := cfg.followLogs.followers(colCfg, trusted, sites, store, reg, deps.log)
		if err != nil {
			return err
		}
		inst.collector, realtime = col, col
		a.parts = append(a.parts, roleOf("collector", col), part{name: "log followers", start: follow.Start, stop: follow.Stop})
	}
	pub, err := newPublisher(cfg, store, sites, realtime, reg, deps.log, deps.now)
	if err != nil {
		return err
	}
	if roles[roleDashboard] {
		if err := inst.buildDashboard(cfg, deps, ips, pub, realtime); err != nil {
			return err
		}
	}
	if roles[roleJobs] {
		j, err := newJobs(cfg, pub, store, sites, reg, deps.log, deps.now)
		if err != nil {
			return err
		}
		keeper := cluster.NewKeeper(store, cluster.KeeperConfig{
			Name: "jobs", Holder: cfg.cluster.holder(cfg.http.Listen), TTL: cfg.cluster.leaseTTL,
			Lost: func() { _ = j.stop(context.Background()) }, Held: j.metrics.setHeld,
		}, deps.log)
		inst.jobs = j
		a.parts = append(a.parts, part{name: "jobs lease", start: keeper.Start, stop: keeper.Stop},
			part{name: "jobs", start: j.start, stop: j.stop})
	}
	local, err := newLocalAdmin(cfg.store.data, func() net.Addr { return a.addr })
	if err != nil {
		return err
	}
	trusted, _ := ipaddr.ParsePrefixes(cfg.trustedProxies) // checked by the resolver
	lc := &localCommands{store: store, sites: sites, archive: cfg.store.archiveDir(), now: now, log: deps.log,
		notices: cfg.noticeConfig, collector: cfg.collector, trusted: trusted}
	if inst.collector != nil {
		lc.logs = inst.collector
	}
	lc.register(local)
	a.parts = append(a.parts,
		part{name: "server", routes: func() []route.Route { return serverRoutes(reg) }},
		local.part(),
	)
	a.checkers = append(a.checkers, local)
	return nil
}

// buildDashboard adds the dashboard role's parts.
func (inst *instance) buildDashboard(cfg *serveConfig, deps serverDeps, ips *ipaddr.Resolver, pub publisher, realtime statsapi.Realtime) error {
	a, store, sites, reg := inst.app, inst.store, inst.sites, inst.registry
	ddeps := dashboard.Deps{Log: deps.log, Registerer: reg, Sites: sites, FlagSites: cfg.siteDomains(sites), FixedZones: cfg.fixedZones(), Audits: store, StartupToken: inst.token, Resolver: ips}
	if inst.collector != nil {
		ddeps.ScrubCounts, ddeps.Drops = inst.collector, inst.collector
	}
	dash, err := dashboard.New(cfg.dashboardConfig(deps.now), ddeps)
	if err != nil {
		return err
	}
	api := statsapi.New(aggregator.NewService(store, sites, deps.now), realtime, dash.StatsAuthorizer(), sites, deps.log)
	pages, err := newPublicPages(pub, realtime, deps)
	if err != nil {
		return err
	}
	inst.dashboard = dash
	a.parts = append(a.parts,
		roleOf("dashboard", dash),
		// Before serving starts, so that whoever waits for the server to
		// answer finds the code printed.
		part{name: "setup code", start: func(context.Context) error {
			printSetupCode(deps.stdout, cfg.http.Listen, dash.SetupCode())
			return nil
		}},
		siteSyncPart("site configuration (to the store)", cluster.NewSitePublisher(store, sites, cfg.cluster.siteSync, deps.log)),
		part{name: "stats api", routes: api.Routes},
		part{name: "public pages", routes: pages.Routes},
	)
	a.checkers = append(a.checkers, dash)
	a.pages = errorPages{errors: func(c *fiber.Ctx, err error) error { return dash.ErrorHandler()(c, err) },
		notFound: func(c *fiber.Ctx) error { return dash.NotFound()(c) }}
	return nil
}

func siteSyncPart(name string, s *cluster.SiteSync) part {
	return part{name: name, start: s.Start, stop: s.Stop}
}
