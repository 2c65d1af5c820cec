package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/dashboard"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

// serveConfig is everything `shukei serve` is configured with. The roles'
// settings are their own Config values, which the flags fill directly,
// starting from each role's DefaultConfig: a default is written once, in
// the role, and the flag's help shows it.
type serveConfig struct {
	store          storeFlags
	http           httpConfig
	sites          listFlag
	timezone       string
	timezoneFlag   bool // -timezone was given (else the server's zone)
	apiToken       string
	apiTokenFile   string
	trustedProxies listFlag
	clientIPHeader string
	stopTimeout    time.Duration
	collector      collector.Config
	dashboard      dashboard.Config
	logFlags       logFlags
	publishing     publishFlags
	followLogs     followLogFlags
	goals          goalFlag
	ageing         ageingFlags
	cluster        clusterFlags
}

func (c *serveConfig) register(fs *flag.FlagSet) {
	c.http = defaultHTTPConfig()
	c.collector = collector.DefaultConfig()
	c.dashboard = dashboard.DefaultConfig()
	c.store.register(fs)
	registerHTTPFlags(fs, &c.http)
	fs.Var(&c.sites, "site", "site `domain` accepted at ingest, optionally with a time zone: example.org=Asia/Tokyo (repeatable or comma-separated)")
	fs.StringVar(&c.timezone, "timezone", "", "default time `zone` of sites given without one (default: the server's time zone when it has a name, else UTC)")
	fs.StringVar(&c.apiToken, "api-token", "", "bearer `token` for the Stats API (default: generated and stored under -data)")
	fs.StringVar(&c.apiTokenFile, "api-token-file", "", "read the Stats API token from this `file`")
	fs.Var(&c.trustedProxies, "trusted-proxy", "`CIDR` of a reverse proxy whose forwarding headers are believed (repeatable): the -client-ip-header, X-Forwarded-Proto/-Host")
	fs.StringVar(&c.clientIPHeader, "client-ip-header", string(ipaddr.HeaderXForwardedFor),
		"the one `header` a -trusted-proxy gives the client address in: X-Forwarded-For, Forwarded or X-Real-IP")
	fs.DurationVar(&c.stopTimeout, "stop-timeout", 10*time.Second, "time allowed to store queued hits on stop")
	registerCollectorFlags(fs, &c.collector)
	registerDashboardFlags(fs, &c.dashboard)
	c.publishing.register(fs)
	c.followLogs.register(fs)
	fs.Var(&c.goals, "goal", "a site's goal: domain=event:NAME (a custom event) or domain=visit:/PATH (page views; * matches any characters), e.g. \"example.org=visit:/docs/*\" (repeatable)")
	c.ageing.register(fs)
	c.cluster.register(fs)
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
	select {
	case <-ctx.Done():
		log.Info("stopping: storing queued hits", "timeout", cfg.stopTimeout)
	case err = <-inst.app.served():
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), cfg.stopTimeout)
	defer cancel()
	return errors.Join(err, inst.stop(stopCtx))
}

// serverDeps are what tests replace: the clock, where logs go, the
// listener.
type serverDeps struct {
	log    *slog.Logger
	stdout io.Writer
	now    func() time.Time
	// listener is served instead of listening on -listen (tests).
	listener net.Listener
}

// instance is a running server: the app and its roles.
type instance struct {
	app       *app
	store     backend
	collector *collector.Collector
	dashboard *dashboard.Server
	registry  *prometheus.Registry
	sites     *site.Registry
	token     string
	jobs      *jobs
}

// startServer opens the store, builds the roles, and starts them and the
// HTTP listener through the app; the caller calls inst.stop. A failed
// start leaves nothing running or open.
func startServer(ctx context.Context, cfg *serveConfig, deps serverDeps) (*instance, error) {
	if err := cfg.http.validate(); err != nil {
		return nil, err
	}
	sites, err := cfg.siteRegistry()
	if err != nil {
		return nil, err
	}
	ips, err := cfg.resolver()
	if err != nil {
		return nil, err
	}
	roles, err := cfg.cluster.set()
	if err != nil {
		return nil, err
	}
	var token string
	if roles[roleDashboard] {
		if token, err = loadToken(cfg, deps.stdout); err != nil {
			return nil, err
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	inst := &instance{registry: reg, sites: sites, token: token}
	a := &app{log: deps.log, http: cfg.http, pages: jsonPages(deps.log)}
	inst.app = a
	// The store is the first part: every role uses it, and it closes last.
	store, err := cfg.store.open(ctx, deps.log)
	if err != nil {
		return nil, err
	}
	inst.store = store
	a.parts = append(a.parts, part{name: "store", stop: func(context.Context) error { return store.Close() }})
	a.started = append(a.started, a.parts[0])
	if err := inst.build(cfg, deps, ips, roles); err != nil {
		return nil, errors.Join(err, a.stopStarted(context.WithoutCancel(ctx)))
	}
	if err := a.start(ctx, deps.listener); err != nil {
		return nil, err
	}
	deps.log.Info("running", "roles", roles.String())
	printSites(deps.stdout, deps.log, sites, cfg, !roles[roleDashboard])
	return inst, nil
}

// serverRoutes are the server's own: liveness and the metrics.
func serverRoutes(g prometheus.Gatherer) []route.Route {
	return []route.Route{
		{Method: fiber.MethodGet, Path: "/healthz", Access: route.Public, Handler: func(c *fiber.Ctx) error { return c.SendString("ok") }},
		{Method: fiber.MethodGet, Path: "/metrics", Access: route.Public, Handler: adaptor.HTTPHandler(promhttp.HandlerFor(g, promhttp.HandlerOpts{}))},
	}
}

// stop ends serving, stores every accepted hit and closes the store: the
// app stops its parts in reverse. A hit still arriving after the listener
// closed is refused with 503, never lost.
func (i *instance) stop(ctx context.Context) error { return i.app.stop(ctx) }

func (c *serveConfig) siteRegistry() (*site.Registry, error) {
	c.timezoneFlag = c.timezone != ""
	if c.timezone == "" {
		c.timezone = defaultZone()
	}
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
	if err := applyGoals(c.goals, reg); err != nil {
		return nil, err
	}
	if err := c.ageing.apply(reg); err != nil {
		return nil, err
	}
	return reg, nil
}

// resolver builds the server's one client-address resolver and
// trusted-proxy policy, which the collector and the dashboard share.
func (c *serveConfig) resolver() (*ipaddr.Resolver, error) {
	trusted, err := c.trustedPrefixes()
	if err != nil {
		return nil, err
	}
	header, err := ipaddr.ParseHeader(c.clientIPHeader)
	if err != nil {
		return nil, fmt.Errorf("-client-ip-header: %w", err)
	}
	return ipaddr.NewResolver(ipaddr.Config{V4Bits: c.collector.IPv4Bits, V6Bits: c.collector.IPv6Bits,
		TrustedProxies: trusted, ClientHeader: header})
}

// trustedPrefixes parses -trusted-proxy.
func (c *serveConfig) trustedPrefixes() ([]netip.Prefix, error) {
	trusted, err := ipaddr.ParsePrefixes(c.trustedProxies)
	if err != nil {
		return nil, fmt.Errorf("-trusted-proxy: %w", err)
	}
	return trusted, nil
}
