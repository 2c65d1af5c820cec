package main

import (
	"flag"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"time"

	"github.com/shukei-analytics/shukei/dashboard"
	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/site"
)

// dashboardFlags configure the administrators' dashboard.
type dashboardFlags struct {
	insecureCookies bool
	sessionIdle     time.Duration
	sessionMax      time.Duration
}

func (d *dashboardFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&d.insecureCookies, "insecure-cookies", false,
		"send the dashboard's session cookie without Secure, for browsers that refuse it on http://127.0.0.1 (only with a loopback -listen)")
	fs.DurationVar(&d.sessionIdle, "session-idle", 2*time.Hour, "dashboard sessions end after this long without activity")
	fs.DurationVar(&d.sessionMax, "session-max", 12*time.Hour, "dashboard sessions end this long after signing in")
}

// config is the dashboard's configuration: its admin database lives under
// -data, next to the events (whichever store keeps them).
func (d *dashboardFlags) config(c *serveConfig, trusted []netip.Prefix, now func() time.Time) dashboard.Config {
	return dashboard.Config{
		Listen: c.listen, AdminPath: filepath.Join(c.store.data, admin.FileName),
		InsecureCookies: d.insecureCookies, SessionIdle: d.sessionIdle, SessionMax: d.sessionMax,
		TrustedProxies: trusted, Notice: c.noticeConfig(""), Now: now,
	}
}

// siteDomains lists the sites named by -site flags (the registry holds only
// those before the dashboard loads the ones added in it).
func (c *serveConfig) siteDomains(sites *site.Registry) []string {
	var out []string
	for _, s := range sites.All() {
		out = append(out, s.Domain)
	}
	return out
}

// printSetupCode tells the operator how to create the owner account on a
// server that has none yet. The code is printed, never logged.
func printSetupCode(w io.Writer, listen, code string) {
	if code == "" {
		return
	}
	fmt.Fprintf(w, "No dashboard account exists yet. Create the owner account at\n\n    http://%s/setup?code=%s\n\n"+
		"(behind your TLS proxy: https://<your host>/setup). Setup code: %s\n\n", listen, code, code)
}

// publicRoutes declares the public statistics pages' routes (mounted by
// their handler through the dashboard's Ingest) in the dashboard's route
// table: anyone may read them.
func publicRoutes() []dashboard.Route {
	out := make([]dashboard.Route, 0, len(public.RouteTable))
	for _, r := range public.RouteTable {
		out = append(out, dashboard.Route{Method: r.Method, Path: r.Path, Access: dashboard.AccessPublic})
	}
	return out
}
