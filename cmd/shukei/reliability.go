package main

import (
	"context"
	"flag"
	"path/filepath"
	"time"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/dashboard"
)

// reliabilityFlags are the write-ahead log, capacity, rate-limit and
// slow-client flags of `shukei serve` (docs/reliability.md).
type reliabilityFlags struct {
	walDir      string
	walMaxBytes bytesFlag
	walSyncWait time.Duration
	maxInflight int
	ipRate      float64
	ipBurst     int
	siteRate    float64
	siteBurst   int
	readTimeout time.Duration
	idleTimeout time.Duration
	maxConns    int
}

func (r *reliabilityFlags) register(fs *flag.FlagSet) {
	r.walMaxBytes = 1 << 30
	fs.StringVar(&r.walDir, "wal-dir", "", "`directory` of the write-ahead log (default: wal under -data)")
	fs.Var(&r.walMaxBytes, "wal-max-bytes", "disk `size` the write-ahead log may use while the store is behind or down; above it hits get 503 (e.g. 1GiB, 512MiB)")
	fs.DurationVar(&r.walSyncWait, "wal-sync-wait", time.Millisecond, "how long an accepted hit may wait for others to share its disk sync (0: no extra wait)")
	fs.IntVar(&r.maxInflight, "max-inflight", 1024, "hits processed at once; above it hits get 503 with Retry-After")
	fs.Float64Var(&r.ipRate, "rate-limit-ip", 50, "hits per second allowed per truncated client address (0: no limit); above it 429")
	fs.IntVar(&r.ipBurst, "rate-limit-ip-burst", 500, "hits a truncated client address may send at once")
	fs.Float64Var(&r.siteRate, "rate-limit-site", 0, "hits per second allowed per site (0: no limit); above it 429")
	fs.IntVar(&r.siteBurst, "rate-limit-site-burst", 0, "hits a site may receive at once (0: ten seconds' worth)")
	fs.DurationVar(&r.readTimeout, "read-timeout", 10*time.Second, "time a client has to send a whole request; slower ones are cut off")
	fs.DurationVar(&r.idleTimeout, "idle-timeout", 75*time.Second, "how long an idle keep-alive connection stays open")
	fs.IntVar(&r.maxConns, "max-conns", 10_000, "open connections at most; above it new ones get 503 with Retry-After")
}

// apply sets the collector's reliability configuration; the log lives
// under the data directory unless -wal-dir says otherwise.
func (r *reliabilityFlags) apply(c *collector.Config, data string) {
	c.WALDir = r.walDir
	if c.WALDir == "" {
		c.WALDir = filepath.Join(data, "wal")
	}
	c.WALMaxBytes = int64(r.walMaxBytes)
	c.WALSyncWait = r.walSyncWait
	c.MaxInflight = r.maxInflight
	c.ClientLimit = collector.RateLimit{Rate: r.ipRate, Burst: r.ipBurst}
	c.SiteLimit = collector.RateLimit{Rate: r.siteRate, Burst: r.siteBurst}
}

// applyServer sets the HTTP server's limits on slow and many clients.
func (r *reliabilityFlags) applyServer(c *dashboard.Config) {
	c.ReadTimeout, c.IdleTimeout, c.MaxConns = r.readTimeout, r.idleTimeout, r.maxConns
}

// shareOfDeadline returns ctx with a deadline 1/n of the time it has left.
func shareOfDeadline(ctx context.Context, n int) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, time.Until(deadline)/time.Duration(n))
}
