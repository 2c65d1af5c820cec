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
	"github.com/shukei-analytics/shukei/aggregator/retention"
)

// runPurge deletes a site's rows before a date, earlier than its
// retention would, and the published periods computed from them (the
// archive holds their exact counts), and logs how many rows went.
func runPurge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	var before string
	log, sites, err := parseOffline(ctx, "purge", &cfg, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&before, "before", "", "delete the rows before this `date` (YYYY-MM-DD, in the site's time zone)")
	})
	if err != nil {
		return err
	}
	st, err := oneSite(&cfg, sites, "purge")
	if err != nil {
		return err
	}
	if before == "" {
		return errors.New("-before is required, e.g. shukei purge -site example.org -before 2025-01-01")
	}
	day, err := disclosure.ParseDay(before)
	if err != nil {
		return fmt.Errorf("-before: %w", err)
	}
	if tomorrow := disclosure.DayOf(time.Now(), st.Location) + 1; day > tomorrow {
		return fmt.Errorf("-before: %s is in the future (at most %s, which deletes every row)", day, tomorrow)
	}
	store, err := cfg.store.open(ctx, log)
	if err != nil {
		return err
	}
	archive, err := opendata.OpenArchive(filepath.Join(cfg.store.data, archiveDir))
	if err != nil {
		return errors.Join(err, store.Close())
	}
	n, err := retention.Purge(ctx, store, archive, st, day.Start(st.Location), log, "purge")
	if err == nil {
		fmt.Fprintf(stdout, "deleted %d rows of %s before %s\n", n, st.Domain, day)
	}
	return errors.Join(err, store.Close())
}
