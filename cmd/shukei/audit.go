package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/retention"
)

// runAudit prints, for each -site, the rows at rest at each grain and the
// share of visitor tuples per day that are unique (docs/ageing.md).
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	log, sites, err := parseOffline(ctx, "audit", &cfg, args, stderr, nil)
	if err != nil {
		return err
	}
	if len(cfg.sites) == 0 {
		return errors.New("name the sites to audit with -site, e.g. shukei audit -site example.org")
	}
	store, err := cfg.store.open(ctx, log)
	if err != nil {
		return err
	}
	for i, st := range sites.All() {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		a, err := store.Audit(ctx, st.Domain, st.Location, time.Now())
		if err == nil {
			err = a.Write(stdout)
		}
		if err != nil {
			return errors.Join(err, store.Close())
		}
	}
	return store.Close()
}

// runAge runs one ageing pass now over the -site sites: what the server's
// job does every -ageing-interval.
func runAge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	log, sites, err := parseOffline(ctx, "age", &cfg, args, stderr, nil)
	if err != nil {
		return err
	}
	if len(cfg.sites) == 0 {
		return errors.New("name the sites to age with -site, e.g. shukei age -site example.org")
	}
	store, err := cfg.store.open(ctx, log)
	if err != nil {
		return err
	}
	job, err := ageing.New(ageing.Config{RetentionCutoff: retention.Cutoff}, ageing.Deps{Store: store, Sites: sites, Log: log})
	if err != nil {
		return errors.Join(err, store.Close())
	}
	start := time.Now()
	stats, err := job.Once(ctx)
	if err == nil {
		fmt.Fprintf(stdout, "merged %d chunks: %d rows became %d in %v\n", stats.Chunks, stats.RowsBefore, stats.RowsAfter, time.Since(start).Round(time.Millisecond))
	}
	return errors.Join(err, store.Close())
}
