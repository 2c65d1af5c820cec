package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/site"
)

// measureAgeing measures the loaded rows as written, answered from the
// rows (how every query ran before rollups and ageing), then runs one
// ageing pass on every store at benchNow with the default policy (sites
// in Europe/Berlin), timed, and measures the aged rows answered with the
// rollup rows: sizes, rows and bytes per hit, the share of unique visitor
// tuples per day, and the dashboard's queries, before and after.
func measureAgeing(ctx context.Context, o *options, ts []target, stores []storetest.Store, w io.Writer) error {
	reopen := func(noRollups bool) error {
		o.noRollups = noRollups
		for i, t := range ts {
			stores[i].Close()
			s, err := t.open(ctx, o.key(), false)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			stores[i] = s
		}
		return nil
	}
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return err
	}
	var sites []*site.Site
	for _, d := range storetest.DefaultSites {
		sites = append(sites, &site.Site{Domain: d, Location: loc})
	}
	if err := reopen(true); err != nil {
		return err
	}
	fmt.Fprintln(w, "== before ageing: the rows as written, queries answered from the rows")
	if err := reportAudit(ctx, o, ts, stores, sites, w); err != nil {
		return err
	}
	if err := measureQueries(ctx, *o, ts, stores, w); err != nil {
		return err
	}
	if err := reopen(false); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== ageing pass at %s (default policy, Europe/Berlin)\n", benchNow.Format(time.RFC3339))
	for i, t := range ts {
		a, ok := stores[i].(ageing.Store)
		if !ok {
			return fmt.Errorf("%s: the store does not age rows", t.name)
		}
		job, err := ageing.New(ageing.Config{Now: func() time.Time { return benchNow }}, ageing.Deps{Store: a, Sites: site.NewRegistry(sites...)})
		if err != nil {
			return err
		}
		start := time.Now()
		st, err := job.Once(ctx)
		if err != nil {
			return fmt.Errorf("%s: age: %w", t.name, err)
		}
		fmt.Fprintf(w, "  %-12s %d chunks, %d rows merged into %d, in %v\n", t.name, st.Chunks, st.RowsBefore, st.RowsAfter, time.Since(start).Round(time.Second))
		if t.settle != nil {
			if err := t.settle(ctx, o.key()); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
	}
	fmt.Fprintln(w, "\n== after ageing: the aged rows, queries answered from the rollup rows where they can")
	if err := reportAudit(ctx, o, ts, stores, sites, w); err != nil {
		return err
	}
	return measureQueries(ctx, *o, ts, stores, w)
}

// reportAudit prints, per store, the event and rollup rows of every site,
// the rows and bytes on disk per hit (page view or event), and the share
// of unique visitor tuples per day over every site (ageing.Audit).
func reportAudit(ctx context.Context, o *options, ts []target, stores []storetest.Store, sites []*site.Site, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "store\tevent rows\trollup rows\thits\tevent rows/hit\tbytes on disk\tbytes/hit\tvisitor tuples\tunique\tshare unique\t")
	for i, t := range ts {
		au, ok := stores[i].(ageing.Auditor)
		if !ok {
			return fmt.Errorf("%s: the store cannot audit", t.name)
		}
		var events, rollups, hits, tuples, unique int64
		for _, s := range sites {
			a, err := au.Audit(ctx, s.Domain, s.Location, benchNow)
			if err != nil {
				return fmt.Errorf("%s: audit %s: %w", t.name, s.Domain, err)
			}
			events += a.TotalRows("events")
			rollups += a.TotalRows("rollups")
			hits += a.Hits
			for _, tu := range a.Tuples {
				tuples += tu.Tuples
				unique += tu.Unique
			}
		}
		var size int64
		if t.size != nil {
			var err error
			if size, err = t.size(ctx, o.key()); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
		per := func(n int64) float64 { return float64(n) / float64(max(hits, 1)) }
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%.1f MB\t%.1f\t%d\t%d\t%.1f%%\t\n", t.name, events, rollups, hits, per(events),
			float64(size)/1e6, per(size), tuples, unique, 100*float64(unique)/float64(max(tuples, 1)))
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}
