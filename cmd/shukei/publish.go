package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/site"
)

// runPublish writes the open-data files of the -site sites into a
// directory for static hosting. It freezes periods in the same archive
// under -data as the server, so the files hold the very numbers (and
// noise) the server publishes. Naming a site here is its opt-in: its
// rules are the flags' or the dashboard's.
func runPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	var out, asOf string
	log, sites, err := parseOffline(ctx, "publish", &cfg, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "`directory` to write the report files to (one subdirectory per site when several are given)")
		fs.StringVar(&asOf, "as-of", "", "write the reports that were current on this `date` (YYYY-MM-DD; default today)")
	})
	if err != nil {
		return err
	}
	if out == "" || len(cfg.sites) == 0 {
		return errors.New("-site and -out are required, e.g. shukei publish -site example.org -data ./data -out ./public-data")
	}
	now, err := asOfInstant(asOf, time.Now(), sites.All())
	if err != nil {
		return err
	}
	for _, s := range sites.All() {
		if !s.Publish.Public {
			// Saved in the dashboard as not public: naming the site
			// here still publishes it, under the saved rules.
			c := *s
			c.Publish.Public = true
			sites.Put(&c)
		}
	}
	store, err := cfg.store.open(ctx, log)
	if err != nil {
		return err
	}
	pub, err := opendata.New(opendata.Config{Dir: filepath.Join(cfg.store.data, archiveDir), Now: func() time.Time { return now }},
		opendata.Deps{Store: store, Sites: sites, Log: log})
	if err != nil {
		return errors.Join(err, store.Close())
	}
	err = writeSites(ctx, pub, sites.All(), out, now, stdout)
	return errors.Join(err, store.Close())
}

// writeSites writes each site's files: into out for one site, into
// out/<domain> for several (domains are validated host names).
func writeSites(ctx context.Context, pub *opendata.Publisher, all []*site.Site, out string, now time.Time, stdout io.Writer) error {
	for _, s := range all {
		set, err := pub.Current(ctx, s.Domain)
		if err != nil {
			return fmt.Errorf("publish %s: %w", s.Domain, err)
		}
		dir := out
		if len(all) > 1 {
			dir = filepath.Join(out, s.Domain)
		}
		if err := opendata.WriteFiles(dir, set, now); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: daily totals up to %s, and the lists of the 28 days %s to %s and of their last week, written to %s\n",
			s.Domain, set.Week.Last(), set.Block.Start, set.Block.Last(), dir)
	}
	return nil
}

// asOfInstant is the instant `publish -as-of` publishes as of: noon UTC
// of the date (in every time zone well after the hour a period takes to
// settle), never later than now, so no period is frozen before it has
// ended. A date that has not begun yet in a site's time zone is refused.
func asOfInstant(asOf string, now time.Time, sites []*site.Site) (time.Time, error) {
	if asOf == "" {
		return now, nil
	}
	day, err := disclosure.ParseDay(asOf)
	if err != nil {
		return time.Time{}, fmt.Errorf("-as-of: %q is not a date written YYYY-MM-DD", asOf)
	}
	for _, s := range sites {
		if today := disclosure.DayOf(now, s.Location); day > today {
			return time.Time{}, fmt.Errorf("-as-of: %s has not come yet in %s's time zone %s (today is %s there): its periods have not ended", day, s.Domain, s.Location, today)
		}
	}
	if noon := day.Start(time.UTC).Add(12 * time.Hour); noon.Before(now) {
		return noon, nil
	}
	return now, nil
}
