package main

import (
	"context"
	"flag"
	"time"

	"github.com/shukei-analytics/shukei/collector"
)

// registerCollectorFlags binds the collector's flags to c, whose values
// (collector.DefaultConfig) are the flags' defaults: the privacy pipeline's
// settings and the write-ahead log, capacity and rate-limit settings of
// docs/reliability.md.
func registerCollectorFlags(fs *flag.FlagSet, c *collector.Config) {
	fs.StringVar(&c.GeoIPPath, "geoip", c.GeoIPPath, "GeoIP2/GeoLite2/DB-IP City or Country `.mmdb` file (optional; scripts/geoip.sh downloads one)")
	fs.BoolVar(&c.GeoIPCity, "geoip-city", c.GeoIPCity, "also record the city (needs a City database)")
	fs.IntVar(&c.IPv4Bits, "ipv4-bits", c.IPv4Bits, "IPv4 prefix length kept before any use (24 or coarser)")
	fs.IntVar(&c.IPv6Bits, "ipv6-bits", c.IPv6Bits, "IPv6 prefix length kept before any use (48 or coarser)")
	fs.StringVar(&c.SpamListPath, "spam-list", c.SpamListPath, "`file` of extra referrer-spam domains, one per line")
	fs.Var((*listFlag)(&c.SearchParams), "search-param", "query `parameter` holding site-search terms (default q,s,search,query,keyword)")
	fs.IntVar(&c.PropValuesPerDay, "prop-values", c.PropValuesPerDay, "distinct values kept per custom property key, site and day; rarer ones past it count as (other)")
	fs.DurationVar(&c.FlushInterval, "flush-interval", c.FlushInterval, "how often accepted hits are written to the store")
	fs.DurationVar(&c.Visitor.SessionTimeout, "session-timeout", c.Visitor.SessionTimeout, "inactivity that ends a visit")
	fs.IntVar(&c.Visitor.MaxVisitors, "max-visitors", c.Visitor.MaxVisitors, "visitors kept in memory before the longest-idle are forgotten")
	fs.Var((*bytesFlag)(&c.Visitor.MaxBytes), "max-visitor-memory",
		"memory `size` the visitor state may take before the longest-idle visitors are forgotten (e.g. 128MiB; at least 4MiB)")

	fs.StringVar(&c.WAL.Dir, "wal-dir", c.WAL.Dir, "`directory` of the write-ahead log (default: wal under -data)")
	fs.Var((*bytesFlag)(&c.WAL.MaxBytes), "wal-max-bytes", "disk `size` the write-ahead log may use while the store is behind or down; above it hits get 503 (e.g. 1GiB, 512MiB)")
	fs.DurationVar(&c.WAL.SyncWait, "wal-sync-wait", c.WAL.SyncWait, "how long an accepted hit may wait for others to share its disk sync (0: no extra wait)")
	fs.DurationVar(&c.WAL.MaxSegmentAge, "wal-max-age", c.WAL.MaxSegmentAge, "start a new log segment once the active one is this old, so stored hits leave the disk within about this time")
	fs.IntVar(&c.MaxInflight, "max-inflight", c.MaxInflight, "hits processed at once; above it hits get 503 with Retry-After")
	fs.Float64Var(&c.ClientLimit.Rate, "rate-limit-ip", c.ClientLimit.Rate, "hits per second allowed per truncated client address (0: no limit); above it 429")
	fs.IntVar(&c.ClientLimit.Burst, "rate-limit-ip-burst", c.ClientLimit.Burst, "hits a truncated client address may send at once")
	fs.Float64Var(&c.SiteLimit.Rate, "rate-limit-site", c.SiteLimit.Rate, "hits per second allowed per site (0: no limit); above it 429")
	fs.IntVar(&c.SiteLimit.Burst, "rate-limit-site-burst", c.SiteLimit.Burst, "hits a site may receive at once (0: ten seconds' worth)")
}

// shareOfDeadline returns ctx with a deadline 1/n of the time it has left.
func shareOfDeadline(ctx context.Context, n int) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, time.Until(deadline)/time.Duration(n))
}
