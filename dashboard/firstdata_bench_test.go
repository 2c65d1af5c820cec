package dashboard

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/statsapi"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/dashboard/dashtest"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// The time to first data is measured on generated rows kept between runs
// (generating 10M rows takes minutes):
//
//	go test -run '^$' -bench FirstData -benchtime 1x ./dashboard/ [-args -dashbench.rows 10000000 -dashbench.runs 5 -dashbench.dir DIR]
//
// (-benchtime 1x: each run starts a browser and its own server; the warm
// loads are repeated -dashbench.runs times within it.)
var (
	benchRuns = flag.Int("dashbench.runs", 5, "warm loads of each view in BenchmarkFirstData")
	benchRows = flag.Int("dashbench.rows", 10_000_000, "rows generated for BenchmarkFirstData")
	benchDir  = flag.String("dashbench.dir", filepath.Join(os.TempDir(), "shukei-dashbench"), "directory keeping BenchmarkFirstData's rows between runs")
)

// benchSites are the generator's large site (about 85% of the rows), a
// small one, and an empty one: the baseline measured in the same run.
var benchSites = []string{"big.example", "small-c.example", "empty.example"}

// BenchmarkFirstData opens each site's dashboard in headless Chromium and
// reads, from the Performance API, when the first data was on screen (the
// cards: performance mark shukei:first-data) and when every panel was
// (shukei:all-data), counted from the start of the navigation. The first
// load of each view is cold (DuckDB reads the file); -dashbench.runs more
// are warm.
// It reports medians, and the large site's ratio to the empty one.
func BenchmarkFirstData(b *testing.B) {
	data, err := ensureBenchRows(b, *benchRows, *benchDir)
	if err != nil {
		b.Fatal(err)
	}
	base, srv := startBenchServer(b, data)
	br := dashtest.NewTimeout(b, base, "en-US", "", 15*time.Minute)
	br.Navigate("/setup")
	br.SubmitForm(map[string]string{"#code": srv.SetupCode(), "#username": "owner", "#password": testPassword, "#password2": testPassword},
		`button[type=submit].primary`)
	br.WaitFor(`location.pathname === '/sites'`)
	b.ResetTimer()
	b.StopTimer()
	results := map[string][]float64{}
	for _, period := range []string{"30d", "12mo"} {
		for _, s := range benchSites {
			view := s + "/" + period
			results[view+"/cold"] = []float64{measureView(br, s, period, 0)}
			for i := range *benchRuns {
				results[view+"/warm"] = append(results[view+"/warm"], measureView(br, s, period, i+1))
			}
		}
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range results {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		b.Logf("%-28s first data %s", k, fmtMillis(results[k]))
	}
	big, empty := median(results["big.example/30d/warm"]), median(results["empty.example/30d/warm"])
	b.ReportMetric(big, "ms-first-data-30d")
	b.ReportMetric(median(results["big.example/12mo/warm"]), "ms-first-data-12mo")
	b.ReportMetric(results["big.example/30d/cold"][0], "ms-first-data-cold")
	if empty > 0 {
		b.ReportMetric(big/empty, "x-empty-site")
	}
}

// measureView loads a site's dashboard and returns the first-data time in
// milliseconds (logging when all panels were there).
func measureView(br *dashtest.Browser, domain, period string, run int) float64 {
	br.T.Helper()
	br.Navigate("/sites/" + domain + "?period=" + period + "&run=" + strconv.Itoa(run))
	br.WaitLoaded(1)
	marks := dashtest.Eval[map[string]float64](br, `Object.fromEntries(['shukei:first-data', 'shukei:all-data'].map(n => [n, performance.getEntriesByName(n)[0].startTime]))`)
	if run == 0 {
		br.T.Logf("%s %s cold: first data %.0f ms, all panels %.0f ms", domain, period, marks["shukei:first-data"], marks["shukei:all-data"])
	}
	return marks["shukei:first-data"]
}

func startBenchServer(b *testing.B, data string) (string, *Server) {
	ctx := context.Background()
	store, err := duckstore.Open(ctx, duckstore.Config{Path: filepath.Join(data, "shukei.duckdb")}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = store.Close() })
	var list []*site.Site
	for _, d := range benchSites {
		list = append(list, &site.Site{Domain: d, Location: time.UTC})
	}
	sites := site.NewRegistry(list...)
	srv, err := New(Config{Listen: "127.0.0.1:0", Password: fastPasswords}, Deps{
		Registerer: prometheus.NewRegistry(), Sites: sites, FlagSites: benchSites,
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Stop(context.Background()) })
	api := statsapi.New(aggregator.NewService(store, sites, nil), nil, srv.StatsAuthorizer(), sites, slog.New(slog.DiscardHandler))
	app, _ := mountForTest(b, srv, api.Routes())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	b.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String(), srv
}

// ensureBenchRows generates n rows into dir/data-n/shukei.duckdb unless a
// complete file is there (marked by a "complete" file), spread over the
// 425 days before today so that every preset range has data.
func ensureBenchRows(b *testing.B, n int, dir string) (string, error) {
	data := filepath.Join(dir, "data-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(data, "complete")); err == nil {
		return data, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := os.RemoveAll(data); err != nil {
		return "", err
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return "", err
	}
	ctx := context.Background()
	st, err := duckstore.Open(ctx, duckstore.Config{Path: filepath.Join(data, "shukei.duckdb")}, nil)
	if err != nil {
		return "", err
	}
	start := time.Now()
	from := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -425)
	const batchRows = 4 * 122_880 // whole DuckDB row groups, as after checkpoints
	batch := make([]event.Row, 0, batchRows)
	for r := range storetest.GenerateRows(1, n, storetest.GenOptions{Start: from, Days: 425}) {
		if batch = append(batch, r); len(batch) == batchRows {
			if err := st.Append(ctx, batch); err != nil {
				return "", errors.Join(err, st.Close())
			}
			batch = batch[:0]
		}
	}
	if err := st.Append(ctx, batch); err != nil {
		return "", errors.Join(err, st.Close())
	}
	if err := st.Close(); err != nil {
		return "", err
	}
	b.Logf("generated %d rows in %v", n, time.Since(start).Round(time.Second))
	return data, os.WriteFile(filepath.Join(data, "complete"), nil, 0o600)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func fmtMillis(v []float64) string {
	if len(v) == 1 {
		return fmt.Sprintf("%.0f ms", v[0])
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return fmt.Sprintf("median %.0f ms (min %.0f, max %.0f, n=%d)", median(s), s[0], s[len(s)-1], len(s))
}
