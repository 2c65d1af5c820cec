package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/collector/ipaddr"
	"github.com/shukei-analytics/shukei/dashboard"
	"github.com/shukei-analytics/shukei/site"
)

// serveConfig is everything `shukei serve` is configured with. The roles'
// settings are their own Config values, which the flags fill directly,
// starting from each role's DefaultConfig: a default is written once, in
// the role, and the flag's help shows it.
type serveConfig struct {
	store          storeFlags
	listen         string
	sites          listFlag
	timezone       string
	apiToken       string
	apiTokenFile   string
	trustedProxies listFlag
	clientIPHeader string
	stopTimeout    time.Duration
	collector      collector.Config
	dashboard      dashboard.Config
	logFlags       logFlags
	publishing     publishFlags
}

func (c *serveConfig) register(fs *flag.FlagSet) {
	c.collector = collector.DefaultConfig()
	c.dashboard = dashboard.DefaultConfig()
	c.store.register(fs)
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address to serve HTTP on")
	fs.Var(&c.sites, "site", "site `domain` accepted at ingest, optionally with a time zone: example.org=Asia/Tokyo (repeatable or comma-separated)")
	fs.StringVar(&c.timezone, "timezone", "UTC", "default time `zone` of sites given without one")
	fs.StringVar(&c.apiToken, "api-token", "", "bearer `token` for the Stats API (default: generated and stored under -data)")
	fs.StringVar(&c.apiTokenFile, "api-token-file", "", "read the Stats API token from this `file`")
	fs.Var(&c.trustedProxies, "trusted-proxy", "`CIDR` of a reverse proxy whose forwarding headers are believed (repeatable): the -client-ip-header, X-Forwarded-Proto/-Host")
	fs.StringVar(&c.clientIPHeader, "client-ip-header", string(ipaddr.HeaderXForwardedFor),
		"the one `header` a -trusted-proxy gives the client address in: X-Forwarded-For, Forwarded or X-Real-IP")
	fs.DurationVar(&c.stopTimeout, "stop-timeout", 10*time.Second, "time allowed to store queued hits on stop")
	registerCollectorFlags(fs, &c.collector)
	registerHTTPFlags(fs, &c.dashboard)
	registerDashboardFlags(fs, &c.dashboard)
	c.publishing.register(fs)
	c.logFlags.register(fs)
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	fs := flagSet("serve")
	cfg.register(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	log, err := cfg.logFlags.logger(stderr)
	if err != nil {
		return err
	}
	inst, err := startServer(ctx, &cfg, serverDeps{log: log, stdout: stdout})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return errors.Join(fmt.Errorf("listen on %s: %w", cfg.listen, err), inst.stop(context.Background()))
	}
	served := make(chan error, 1)
	go func() { served <- inst.server.Serve(ln) }()
	select {
	case <-ctx.Done():
		log.Info("stopping: storing queued hits", "timeout", cfg.stopTimeout)
	case err = <-served:
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), cfg.stopTimeout)
	defer cancel()
	return errors.Join(err, inst.stop(stopCtx))
}

// serverDeps are what tests replace: the clock, where logs go, the metrics
// registry.
type serverDeps struct {
	log    *slog.Logger
	stdout io.Writer
	now    func() time.Time
}

// instance is a running server's roles.
type instance struct {
	store     backend
	collector *collector.Collector
	server    *dashboard.Server
	registry  *prometheus.Registry
	sites     *site.Registry
	token     string
	public    *publicRoles
}

// startServer opens the store and wires the roles; the caller serves
// inst.server and calls inst.stop.
func startServer(ctx context.Context, cfg *serveConfig, deps serverDeps) (*instance, error) {
	sites, err := cfg.siteRegistry()
	if err != nil {
		return nil, err
	}
	ips, err := cfg.resolver()
	if err != nil {
		return nil, err
	}
	token, err := loadToken(cfg, deps.stdout)
	if err != nil {
		return nil, err
	}
	store, err := cfg.store.open(ctx, deps.log)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	colCfg := cfg.collector
	colCfg.Resolver, colCfg.Now = ips, deps.now
	if colCfg.WAL.Dir == "" {
		colCfg.WAL.Dir = filepath.Join(cfg.store.data, "wal")
	}
	col, err := collector.New(colCfg, sites, store, reg, deps.log)
	if err != nil {
		return nil, errors.Join(err, store.Close())
	}
	dcfg := cfg.dashboardConfig(deps.now)
	pub, err := newPublicRoles(cfg, store, sites, col, reg, deps.log, deps.now)
	if err != nil {
		return nil, errors.Join(err, store.Close())
	}
	srv, err := dashboard.New(ctx, dcfg, dashboard.Deps{
		Log: deps.log, Gatherer: reg, Registerer: reg, Sites: sites, FlagSites: cfg.siteDomains(sites),
		Ingest: mounters{col, pub.handler}, Stats: aggregator.NewService(store, sites, deps.now), Realtime: col, ScrubCounts: col, StartupToken: token,
		ExtraRoutes: publicRoutes(), Resolver: ips,
	})
	if err != nil {
		return nil, errors.Join(err, store.Close())
	}
	printSetupCode(deps.stdout, cfg.listen, srv.SetupCode())
	col.Run(context.WithoutCancel(ctx))
	pub.run(context.WithoutCancel(ctx))
	for _, s := range sites.All() {
		deps.log.Info("counting site", "site", s.Domain, "timezone", s.Location.String())
	}
	return &instance{store: store, collector: col, server: srv, registry: reg, sites: sites, token: token, public: pub}, nil
}

// stop ends serving, stores every accepted hit and closes the store.
// Requests in progress get at most half the time, so that slow clients
// cannot take the time the collector needs; a hit still arriving after
// that is refused with 503, never lost.
func (i *instance) stop(ctx context.Context) error {
	srvCtx, cancel := shareOfDeadline(ctx, 2)
	defer cancel()
	err := i.server.Stop(srvCtx)
	err = errors.Join(err, i.public.stop(ctx), i.collector.Stop(ctx))
	return errors.Join(err, i.store.Close())
}

func (c *serveConfig) siteRegistry() (*site.Registry, error) {
	zone, err := time.LoadLocation(c.timezone)
	if err != nil {
		return nil, fmt.Errorf("-timezone: unknown time zone %q", c.timezone)
	}
	// Without -site flags, the sites are those added in the dashboard.
	var list []*site.Site
	for _, v := range c.sites {
		s, err := site.Parse(v, zone)
		if err != nil {
			return nil, fmt.Errorf("-site: %w", err)
		}
		list = append(list, s)
	}
	reg := site.NewRegistry(list...)
	if err := c.publishing.apply(reg); err != nil {
		return nil, err
	}
	return reg, nil
}

// resolver builds the server's one client-address resolver and
// trusted-proxy policy, which the collector and the dashboard share.
func (c *serveConfig) resolver() (*ipaddr.Resolver, error) {
	trusted, err := ipaddr.ParsePrefixes(c.trustedProxies)
	if err != nil {
		return nil, fmt.Errorf("-trusted-proxy: %w", err)
	}
	header, err := ipaddr.ParseHeader(c.clientIPHeader)
	if err != nil {
		return nil, fmt.Errorf("-client-ip-header: %w", err)
	}
	return ipaddr.NewResolver(ipaddr.Config{V4Bits: c.collector.IPv4Bits, V6Bits: c.collector.IPv6Bits,
		TrustedProxies: trusted, ClientHeader: header})
}
