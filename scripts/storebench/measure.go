package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

// maxInserts bounds the appends per batch size of the insert measurement.
const maxInserts = 100

func run(ctx context.Context, o options, w io.Writer) error {
	if err := o.check(); err != nil {
		return err
	}
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return err
	}
	ts := targets(&o)
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.name
	}
	fmt.Fprintf(w, "stores: %s\n\n", strings.Join(names, ", "))
	if len(o.batches) > 0 {
		if err := measureInserts(ctx, o, ts, w); err != nil {
			return err
		}
	}
	stores, err := loaded(ctx, o, ts, w)
	if err != nil {
		return err
	}
	defer func() {
		for _, s := range stores {
			s.Close()
		}
	}()
	for _, t := range ts {
		if t.settle != nil {
			if err := t.settle(ctx, o.key()); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
	}
	if o.age {
		return measureAgeing(ctx, &o, ts, stores, w)
	}
	if err := reportSizes(ctx, o, ts, w); err != nil {
		return err
	}
	if (o.altOrder != "" || o.altStrings) && o.single != "" {
		t, s, err := altSchema(ctx, o, w)
		if err != nil {
			return err
		}
		ts, stores = append(ts, t), append(stores, s)
	}
	if err := measureQueries(ctx, o, ts, stores, w); err != nil {
		return err
	}
	if !o.keep {
		for i, t := range ts {
			stores[i].Close()
			if err := t.drop(o.key()); err != nil {
				return err
			}
		}
	}
	return nil
}

// measureInserts appends a month of generated rows to empty tables in
// batches of each size.
func measureInserts(ctx context.Context, o options, ts []target, w io.Writer) error {
	rows := slices.Collect(storetest.GenerateRows(2, o.insertRows, storetest.GenOptions{Start: benchNow.AddDate(0, 0, -30), Days: 30}))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "Insert, rows/s\tbatch\trows")
	for _, t := range ts {
		fmt.Fprintf(tw, "\t%s", t.name)
	}
	fmt.Fprintln(tw, "\t")
	for _, b := range o.batches {
		n := min(len(rows), b*maxInserts)
		fmt.Fprintf(tw, "\t%d\t%d", b, n)
		var base float64
		for i, t := range ts {
			rate, err := insertRate(ctx, t, rows[:n], b)
			if err != nil {
				return fmt.Errorf("%s: insert: %w", t.name, err)
			}
			if i == 0 {
				base = rate
				fmt.Fprintf(tw, "\t%.0f", rate)
			} else {
				fmt.Fprintf(tw, "\t%.0f (%.2f×)", rate, rate/base)
			}
		}
		fmt.Fprintln(tw, "\t")
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

// insertRate appends rows in batches of size b to a new, empty store.
func insertRate(ctx context.Context, t target, rows []event.Row, b int) (float64, error) {
	s, err := t.open(ctx, "insert", true)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	for i := 0; i < len(rows); i += b {
		if err := s.Append(ctx, rows[i:min(i+b, len(rows))]); err != nil {
			return 0, errors.Join(err, s.Close())
		}
	}
	d := time.Since(t0)
	if err := errors.Join(s.Close(), t.drop("insert")); err != nil {
		return 0, err
	}
	return float64(len(rows)) / d.Seconds(), nil
}

// measureQueries runs the dashboard's set for each range on every store,
// each query on the stores in turn so that load from elsewhere on the
// machine falls on all of them alike, and checks that the stores agree.
func measureQueries(ctx context.Context, o options, ts []target, stores []storetest.Store, w io.Writer) error {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return err
	}
	site := storetest.DefaultSites[0]
	earliest, err := stores[0].Earliest(ctx, site)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Dashboard queries on %d rows, site %s, p50 / p95 ms of %d runs:\n", o.rows, site, o.runs)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "query\t")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t", t.name)
	}
	fmt.Fprintln(tw)
	for _, r := range []string{query.RangeDay, query.Range30d, query.Range6mo, query.RangeAll} {
		sums := make([]float64, len(ts))
		for _, d := range storetest.Dashboard {
			q := d.Query(site, r)
			p, err := query.Build(&q, benchNow, loc, earliest)
			if err != nil {
				return err
			}
			lat, err := timeQuery(ctx, ts, stores, p, o.runs)
			if errors.Is(err, errRefused) {
				fmt.Fprintf(tw, "%s/%s\trefused: aged rows\t\n", r, d.Name)
				continue
			}
			if err != nil {
				return fmt.Errorf("%s/%s: %w", r, d.Name, err)
			}
			fmt.Fprintf(tw, "%s/%s\t", r, d.Name)
			for i, l := range lat {
				fmt.Fprintf(tw, "%.1f / %.1f\t", ms(pct(l, 0.5)), ms(pct(l, 0.95)))
				sums[i] += ms(pct(l, 0.5))
			}
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s, sum of p50\t", r)
		for _, s := range sums {
			fmt.Fprintf(tw, "%.0f (%.2f×)\t", s, s/sums[0])
		}
		fmt.Fprintln(tw)
		// Each range is written when done: on many rows a run takes long.
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// errRefused marks a query the aged rows cannot answer.
var errRefused = errors.New("refused: aged rows")

// timeQuery runs p runs times on each store and checks that every store
// returns the first store's groups.
func timeQuery(ctx context.Context, ts []target, stores []storetest.Store, p *query.Plan, runs int) ([][]time.Duration, error) {
	lat := make([][]time.Duration, len(stores))
	var want string
	for run := range runs {
		for i, s := range stores {
			t0 := time.Now()
			res, err := s.Query(ctx, p)
			var qe *query.Error
			if err != nil && errors.As(err, &qe) && i == 0 && run == 0 {
				// Refused on aged rows (ageing.Check): the dashboard
				// shows the refusal in that panel.
				return nil, errRefused
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", ts[i].name, err)
			}
			lat[i] = append(lat[i], time.Since(t0))
			if run > 0 {
				continue
			}
			got := fmt.Sprint(res.Groups, res.TotalGroups)
			if i == 0 {
				want = got
			} else if got != want {
				return nil, fmt.Errorf("%s returns %s, %s returns %s", ts[i].name, got, ts[0].name, want)
			}
		}
	}
	return lat, nil
}

// pct returns the q-quantile of ds (nearest rank).
func pct(ds []time.Duration, q float64) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[int(q*float64(len(ds)-1)+0.5)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
