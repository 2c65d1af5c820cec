package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/cluster"
)

// The roles a node can run (-roles). A single node runs all three; a
// multi-node deployment on ClickHouse runs several ingest nodes behind a
// load balancer, one dashboard node and one jobs node.
const (
	// roleIngest counts hits: the collector and its write-ahead log.
	roleIngest = "ingest"
	// roleDashboard serves people: the administrators' dashboard, the
	// Stats API and the public pages. Accounts, sessions and tokens live in
	// its own database, and it publishes the sites' configuration to the
	// store for the other nodes.
	roleDashboard = "dashboard"
	// roleJobs runs the scheduled work: retention, publishing (and ageing).
	// Exactly one node runs it, through a lease in the store.
	roleJobs = "jobs"
)

var allRoles = []string{roleIngest, roleDashboard, roleJobs}

// roleSet is the roles a node runs.
type roleSet map[string]bool

// clusterFlags are the flags of a node of a multi-node deployment.
type clusterFlags struct {
	roles        listFlag
	siteSync     time.Duration
	leaseTTL     time.Duration
	nodeName     string
	rolesChecked roleSet
}

func (c *clusterFlags) register(fs *flag.FlagSet) {
	fs.Var(&c.roles, "roles", "the roles this node runs, comma-separated: ingest, dashboard, jobs (default all three; docs/architecture.md)")
	fs.DurationVar(&c.siteSync, "site-sync-interval", cluster.DefaultSyncInterval,
		"how often the sites' configuration is written to the store (dashboard node) or read from it (other nodes)")
	fs.DurationVar(&c.leaseTTL, "jobs-lease-ttl", cluster.DefaultLeaseTTL,
		"how long the jobs lease lasts without renewal: how long after the jobs node dies another one can take over")
	fs.StringVar(&c.nodeName, "node-name", "", "this node's `name` in the jobs lease and in messages (default: host name and -listen)")
}

// set returns the roles, checked: known names, at least one.
func (c *clusterFlags) set() (roleSet, error) {
	if c.rolesChecked != nil {
		return c.rolesChecked, nil
	}
	list := c.roles
	if len(list) == 0 {
		list = allRoles
	}
	out := roleSet{}
	for _, r := range list {
		r = strings.ToLower(strings.TrimSpace(r))
		if !slices.Contains(allRoles, r) {
			return nil, fmt.Errorf("-roles: %q is not a role (use %s)", r, strings.Join(allRoles, ", "))
		}
		out[r] = true
	}
	if c.siteSync < 100*time.Millisecond || c.siteSync > 10*time.Minute {
		return nil, fmt.Errorf("-site-sync-interval: %v: must be between 100ms and 10m", c.siteSync)
	}
	if c.leaseTTL < 3*time.Second || c.leaseTTL > time.Hour {
		return nil, fmt.Errorf("-jobs-lease-ttl: %v: must be between 3s and 1h", c.leaseTTL)
	}
	c.rolesChecked = out
	return out, nil
}

// String lists the roles in their usual order.
func (r roleSet) String() string {
	var out []string
	for _, name := range allRoles {
		if r[name] {
			out = append(out, name)
		}
	}
	return strings.Join(out, ",")
}

// holder names this node in the jobs lease: -node-name, or the host name
// and the listen address. A node restarted on the same host and address
// is the same holder, so it takes its lease back at once after a crash
// instead of waiting for it to run out.
func (c *clusterFlags) holder(listen string) string {
	if c.nodeName != "" {
		return c.nodeName
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	return host + " " + listen
}
