package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
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

// printSetupCode tells the operator how to create the owner account on a
// server that has none yet. The code is printed, never logged.
func printSetupCode(w io.Writer, listen, code string) {
	if code == "" {
		return
	}
	fmt.Fprintf(w, "No dashboard account exists yet. Create the owner account at\n\n    http://%s/setup?code=%s\n\n"+
		"(behind your TLS proxy: https://<your host>/setup). Setup code: %s\n\n", listen, code, code)
}
