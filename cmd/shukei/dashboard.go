package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/dashboard"
	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
)

// registerDashboardFlags binds the administrators' dashboard's flags to
// c, whose values (dashboard.DefaultConfig) are the defaults.
func registerDashboardFlags(fs *flag.FlagSet, c *dashboard.Config) {
	fs.BoolVar(&c.InsecureCookies, "insecure-cookies", c.InsecureCookies,
		"send the dashboard's session cookie without Secure, for browsers that refuse it on http://127.0.0.1 (only with a loopback -listen)")
	fs.DurationVar(&c.SessionIdle, "session-idle", c.SessionIdle, "dashboard sessions end after this long without activity")
	fs.DurationVar(&c.SessionMax, "session-max", c.SessionMax, "dashboard sessions end this long after signing in")
}

// dashboardConfig is the dashboard's configuration: its admin database
// lives under -data, next to the events (whichever store keeps them).
func (c *serveConfig) dashboardConfig(now func() time.Time) dashboard.Config {
	d := c.dashboard
	d.Listen, d.AdminPath = c.http.Listen, filepath.Join(c.store.data, admin.FileName)
	d.Notice, d.Now = c.noticeConfig(""), now
	return d
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

// fixedZones lists the -site sites given with their time zone
// (example.org=Asia/Tokyo): the dashboard cannot change those.
func (c *serveConfig) fixedZones() []string {
	var out []string
	for _, v := range c.sites {
		if domain, _, ok := strings.Cut(strings.TrimSpace(v), "="); ok {
			out = append(out, strings.ToLower(strings.TrimSuffix(domain, ".")))
		}
	}
	return out
}

// printSites names each counted site's time zone and where it comes from,
// so that a site counting in the wrong zone is noticed at the first start.
// A node without the dashboard has its sites from the store, as the
// dashboard node saved them.
func printSites(w io.Writer, log *slog.Logger, sites *site.Registry, c *serveConfig, shared bool) {
	fixed := c.fixedZones()
	for _, s := range sites.All() {
		zone := s.Location.String()
		var from string
		switch {
		case shared:
			from = "as the dashboard node saved it in the store"
		case slices.Contains(fixed, s.Domain):
			from = "given by -site"
		case zone == c.timezone && c.timezoneFlag:
			from = "-timezone; change it in the site's settings in the dashboard"
		case zone == c.timezone:
			from = "the server's time zone; change it in the site's settings in the dashboard, or give -site " + s.Domain + "=Asia/Tokyo"
		default:
			from = "set in the dashboard"
		}
		fmt.Fprintf(w, "Counting %s in the time zone %s (%s).\n", s.Domain, zone, from)
		log.Info("counting site", "site", s.Domain, "timezone", zone)
	}
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
