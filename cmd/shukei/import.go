package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/collector/accesslog"
	"github.com/shukei-analytics/shukei/collector/logimport"
	"github.com/shukei-analytics/shukei/ipaddr"
)

// importFlags are import's own flags; the rest are serve's, so that the
// pipeline is configured exactly as the server's.
type importFlags struct {
	format    string
	logZone   string
	excludes  repeatFlag
	hostnames listFlag
	dryRun    bool
	follow    bool
}

func (f *importFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "format", accesslog.Auto, "log `format`: auto, "+strings.Join(accesslog.Names(), ", ")+", or a format string in nginx ($remote_addr …) or Apache (%h …) syntax")
	fs.StringVar(&f.logZone, "log-timezone", "", "time `zone` of log timestamps written without an offset (default: UTC for iis and w3c, else the site's)")
	fs.Var(&f.excludes, "exclude", "path `pattern` not to count: a glob (/admin/*, /private/**, *.php) or re:EXPRESSION (repeatable)")
	fs.Var(&f.hostnames, "hostname", "`host` whose requests count, with its subdomains (default: the site's domain; * for any; repeatable)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "read the logs and print what would be counted, storing nothing")
	fs.BoolVar(&f.follow, "follow", false, "keep reading the files as they grow, across rotation and truncation, until stopped")
}

// repeatFlag is a repeatable flag whose values may contain commas.
type repeatFlag []string

func (r *repeatFlag) String() string { return strings.Join(*r, " ") }

func (r *repeatFlag) Set(v string) error {
	*r = append(*r, v)
	return nil
}

// runImport imports access logs through the collector's pipeline. While a
// server runs on -data it hands the files to that server, which imports
// them with its own configuration (its store admits one process);
// otherwise it opens the store itself.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	var own importFlags
	files, err := parseFlagsArgs(commandFlags("import", &cfg, own.register), args, stderr)
	if err != nil {
		return err
	}
	domain, err := oneDomain(&cfg, "import")
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("name the log files to import (- for standard input), e.g. shukei import -site example.org /var/log/nginx/access.log*")
	}
	err = importViaServer(ctx, &cfg, &own, domain, files, stdout, stderr)
	if !errors.Is(err, errNoServer) {
		return err
	}
	log, sites, err := loadOffline(ctx, &cfg, stderr)
	if err != nil {
		return err
	}
	s, err := oneSite(&cfg, sites, "import")
	if err != nil {
		return err
	}
	icfg, err := own.config(&cfg)
	if err != nil {
		return err
	}
	icfg.Site = s
	sink, closeStore, err := importSink(ctx, &cfg, own.dryRun, log)
	if err != nil {
		return err
	}
	im, err := logimport.New(icfg, sink, log)
	if err != nil {
		return errors.Join(err, closeStore())
	}
	stopProgress := showProgress(im, stderr, own.follow, log)
	sum, err := im.Run(ctx, files)
	stopProgress()
	if sum != nil {
		sum.Write(stdout, own.dryRun)
	}
	if errors.Is(err, context.Canceled) {
		// Stopped by a signal: what was read is stored.
		err = nil
		if !own.follow {
			err = errors.New("interrupted: what was read is stored, and the next run continues from there")
		}
	}
	return errors.Join(err, im.Close(), closeStore())
}

// config turns the flags into the importer's configuration, with the
// pipeline settings of serve's flags given to the command.
func (f *importFlags) config(cfg *serveConfig) (logimport.Config, error) {
	trusted, err := cfg.trustedPrefixes()
	if err != nil {
		return logimport.Config{}, err
	}
	return f.configWith(cfg.collector, trusted)
}

// configWith turns the flags into the importer's configuration on top of
// a collector's settings and trusted proxies (a server's own, when it
// imports for the command).
func (f *importFlags) configWith(col collector.Config, trusted []netip.Prefix) (logimport.Config, error) {
	c := logimport.DefaultConfig()
	format, err := accesslog.Lookup(f.format)
	if err != nil {
		return c, fmt.Errorf("-format: %w", err)
	}
	if f.logZone != "" {
		if c.LogZone, err = time.LoadLocation(f.logZone); err != nil {
			return c, fmt.Errorf("-log-timezone: unknown time zone %q", f.logZone)
		}
	}
	c.Format, c.Excludes, c.Hostnames = format, f.excludes, f.hostnames
	c.Collector = col
	// A log's forwarded field is its X-Forwarded-For, whatever header the
	// server itself is set to read.
	c.Collector.Resolver = nil
	c.Collector.TrustedProxies, c.Collector.ClientHeader = trusted, ipaddr.HeaderXForwardedFor
	c.DryRun, c.Follow = f.dryRun, f.follow
	return c, nil
}

// importSink opens the store the rows go to. A dry run only reads what
// was imported before, from a store that exists.
func importSink(ctx context.Context, cfg *serveConfig, dryRun bool, log *slog.Logger) (collector.Sink, func() error, error) {
	none := func() error { return nil }
	if dryRun && (cfg.store.store == "duckdb" || cfg.store.store == "") {
		// A dry run does not create a store.
		if _, err := os.Stat(filepath.Join(cfg.store.data, duckDBFile)); err != nil {
			return nil, none, nil
		}
	}
	store, err := cfg.store.open(ctx, log)
	if err != nil {
		if strings.Contains(err.Error(), "lock") {
			err = fmt.Errorf("%w (is shukei serve running on this -data? stop it, or let it follow the log with -follow-log)", err)
		}
		return nil, none, err
	}
	return store, store.Close, nil
}
