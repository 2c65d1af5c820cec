package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
)

// The publish, notice and purge commands take serve's flags, so that the
// command line of a server can be reused as it is, and see the sites as
// the server does: the -site flags with their publishing settings, then
// the settings saved in the dashboard.

// parseOffline parses serve's flags plus a command's own and returns the
// logger and the sites, for a command that opens the store itself.
func parseOffline(ctx context.Context, name string, cfg *serveConfig, args []string, stderr io.Writer, own func(*flag.FlagSet)) (*slog.Logger, *site.Registry, error) {
	log, sites, rest, err := parseOfflineArgs(ctx, name, cfg, args, stderr, own)
	if err == nil && len(rest) > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", rest[0])
		return nil, nil, errUsage
	}
	return log, sites, err
}

// parseOfflineArgs parses serve's flags, a command's own and its
// arguments, and returns the logger, the sites and the arguments.
func parseOfflineArgs(ctx context.Context, name string, cfg *serveConfig, args []string, stderr io.Writer, own func(*flag.FlagSet)) (*slog.Logger, *site.Registry, []string, error) {
	fset := commandFlags(name, cfg, own)
	rest, err := parseFlagsArgs(fset, args, stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	log, sites, err := loadOffline(ctx, cfg, stderr)
	return log, sites, rest, err
}

// commandFlags is the flag set of a command: serve's flags and its own.
func commandFlags(name string, cfg *serveConfig, own func(*flag.FlagSet)) *flag.FlagSet {
	fset := flagSet(name)
	cfg.register(fset)
	if own != nil {
		own(fset)
	}
	return fset
}

// loadOffline returns the logger and the sites as the server sees them,
// for a command that opens the store itself: the -site flags with their
// settings, then the settings saved in the dashboard.
func loadOffline(ctx context.Context, cfg *serveConfig, stderr io.Writer) (*slog.Logger, *site.Registry, error) {
	log, err := cfg.logFlags.logger(stderr)
	if err != nil {
		return nil, nil, err
	}
	sites, err := cfg.siteRegistry()
	if err != nil {
		return nil, nil, err
	}
	if err := applyStoredSettings(ctx, cfg.store.data, sites, log); err != nil {
		return nil, nil, err
	}
	return log, sites, nil
}

// applyStoredSettings applies the settings saved in the dashboard to the
// -site sites, as the server does at start. The admin database is only
// read when it exists: these commands never create it.
func applyStoredSettings(ctx context.Context, data string, sites *site.Registry, log *slog.Logger) error {
	path := filepath.Join(data, admin.FileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	store, err := admin.Open(ctx, admin.Config{Path: path}, log)
	if err != nil {
		return fmt.Errorf("read dashboard settings (is the server running on this -data?): %w", err)
	}
	defer store.Close()
	recs, err := store.Sites(ctx)
	if err != nil {
		return fmt.Errorf("read dashboard settings: %w", err)
	}
	for _, r := range recs {
		base, ok := sites.Lookup(r.Domain)
		if !ok {
			continue
		}
		s := *base
		if r.Origin == admin.OriginUI {
			if loc, err := time.LoadLocation(r.TimeZone); err == nil {
				s.Location = loc
			}
		}
		s.RespectGPC, s.RetentionMonths, s.ScrubRules = r.RespectGPC, r.RetentionMonths, r.ScrubRules
		s.Publish = site.Publishing{Public: r.Public, MinCellSize: r.MinCellSize, Epsilon: r.Epsilon, RoundTo: r.RoundTo}
		sites.Put(&s)
	}
	return nil
}

// oneSite returns the single site a command was given.
func oneSite(cfg *serveConfig, sites *site.Registry, command string) (*site.Site, error) {
	if len(cfg.sites) != 1 {
		return nil, fmt.Errorf("name exactly one site with -site, e.g. shukei %s -site example.org", command)
	}
	all := sites.All()
	return all[0], nil
}

// oneDomain returns the domain of the single site a command was given.
func oneDomain(cfg *serveConfig, command string) (string, error) {
	if len(cfg.sites) != 1 {
		return "", fmt.Errorf("name exactly one site with -site, e.g. shukei %s -site example.org", command)
	}
	s, err := site.Parse(cfg.sites[0], time.UTC)
	if err != nil {
		return "", fmt.Errorf("-site: %w", err)
	}
	return s.Domain, nil
}
