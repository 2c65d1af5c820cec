package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/netip"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/collector/accesslog"
	"github.com/shukei-analytics/shukei/collector/logimport"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
)

// followLogFlags make serve count sites from their live access logs.
type followLogFlags struct {
	specs  repeatFlag
	format string
}

func (f *followLogFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.specs, "follow-log", "count a site from its live access log, `site=path`, followed across rotation (repeatable; docs/import.md)")
	fs.StringVar(&f.format, "follow-log-format", accesslog.Auto, "`format` of the -follow-log logs, as import's -format")
}

// followers builds the role that follows the logs, with the collector's
// pipeline settings.
func (f *followLogFlags) followers(colCfg collector.Config, trusted []netip.Prefix, sites *site.Registry, sink collector.Sink, reg prometheus.Registerer, log *slog.Logger) (*logimport.Followers, error) {
	var specs []logimport.FollowSpec
	for _, v := range f.specs {
		s, err := logimport.ParseFollowSpec(v)
		if err != nil {
			return nil, fmt.Errorf("-follow-log: %w", err)
		}
		specs = append(specs, s)
	}
	format, err := accesslog.Lookup(f.format)
	if err != nil {
		return nil, fmt.Errorf("-follow-log-format: %w", err)
	}
	cfg := logimport.DefaultConfig()
	cfg.Collector, cfg.Format = colCfg, format
	// A log's forwarded field is its X-Forwarded-For, whatever header the
	// server reads from requests.
	cfg.Collector.Resolver, cfg.Collector.ClientHeader = nil, ipaddr.HeaderXForwardedFor
	cfg.Collector.TrustedProxies = trusted
	return logimport.NewFollowers(specs, cfg, sites, sink, reg, log)
}
