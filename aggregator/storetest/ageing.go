package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// The ageing fixture: two sites over three weeks that cross Europe's
// spring DST change, one in a zone whose hours start half past the UTC
// hour (and which generalises), one keeping its detail.
var (
	ageStart = time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	ageNow   = time.Date(2024, 4, 6, 12, 0, 0, 0, time.UTC)
)

func ageingSites(t testing.TB) []*site.Site {
	pol := site.Ageing{MinuteFor: 48 * time.Hour, HourFor: 8 * 24 * time.Hour}
	return []*site.Site{
		{Domain: "aged.example", Location: loadLocation(t, "Asia/Kolkata"), Ageing: pol},
		{Domain: "kept.example", Location: loadLocation(t, "Europe/Berlin"), Ageing: site.Ageing{MinuteFor: pol.MinuteFor, HourFor: pol.HourFor, KeepDetail: true}},
	}
}

// ager opens a store and returns it as an ageing.Store, or skips the test
// for a store that keeps every row as written (the in-memory oracle).
func ager(t *testing.T, open Opener) (Store, ageing.Store) {
	s := newStore(t, open)
	a, ok := s.(ageing.Store)
	if !ok {
		t.Skip("the store does not merge aged rows")
	}
	return s, a
}

// ageOnce runs one pass of the ageing job at now.
func ageOnce(t testing.TB, a ageing.Store, sites []*site.Site, now time.Time) ageing.Stats {
	t.Helper()
	job, err := ageing.New(ageing.Config{Now: func() time.Time { return now }}, ageing.Deps{Store: a, Sites: site.NewRegistry(sites...)})
	if err != nil {
		t.Fatal(err)
	}
	stats, err := job.Once(context.Background())
	if err != nil {
		t.Fatalf("ageing pass: %v", err)
	}
	return stats
}

// testAgeing checks the contract of ageing (DESIGN §1.6): after a pass,
// every query whose grain is at least the rows' new grain gives the answer
// it gave before, every other query is refused with a *query.Error exactly
// when ageing.Check says so, a second pass finds nothing to do, and rows
// arriving late in an aged period are counted and merged by the next pass.
func testAgeing(t *testing.T, open Opener) {
	s, a := ager(t, open)
	sites := ageingSites(t)
	oracle := memstore.New()
	var rows []event.Row
	for i, st := range sites {
		for r := range GenerateRows(int64(20+i), 2500, GenOptions{Start: ageStart, Days: 22, Sites: []string{st.Domain}}) {
			rows = append(rows, r)
		}
	}
	appendBoth(t, s, oracle, rows)
	qs := ageingQueries(sites)
	before := make([]*query.Result, len(qs))
	for i, q := range qs {
		before[i] = answer(t, s, oracle, q)
	}

	stats := ageOnce(t, a, sites, ageNow)
	if stats.Chunks == 0 || stats.RowsAfter >= stats.RowsBefore {
		t.Fatalf("the pass merged nothing: %+v", stats)
	}
	for _, st := range sites {
		state, err := a.AgeingState(context.Background(), st.Domain)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("first pass: %+v; %s: %s", stats, st.Domain, stateText(state))
	}
	answered, refused := compareAged(t, s, a, qs, before)
	if answered < len(qs)/3 || refused == 0 {
		t.Errorf("%d queries answered, %d refused of %d: the set no longer tests ageing", answered, refused, len(qs))
	}
	if again := ageOnce(t, a, sites, ageNow); again.Chunks != 0 {
		t.Errorf("a second pass at the same time merged again: %+v", again)
	}

	// Late rows in the day, hour and minute periods: counted at once,
	// merged by the next pass.
	var late []event.Row
	for _, st := range sites {
		for r := range GenerateRows(99, 300, GenOptions{Start: ageStart.AddDate(0, 0, 2), Days: 20, Sites: []string{st.Domain}}) {
			late = append(late, r)
		}
	}
	appendBoth(t, s, oracle, late)
	for i, q := range qs {
		before[i] = expectOracle(t, oracle, q)
	}
	compareAged(t, s, a, qs, before)
	if st := ageOnce(t, a, sites, ageNow); st.Chunks == 0 {
		t.Error("late rows in aged periods were not merged")
	}
	compareAged(t, s, a, qs, before)
}

// agedQuery is a query planned in a zone at ageNow.
type agedQuery struct {
	q   query.Query
	loc *time.Location
}

// ageingQueries is every dimension (and none) with every metric it takes,
// over ranges in each step's period and across them, by date, by
// date-time on whole and odd minutes, by preset, with each time bucket,
// in the site's zone and in UTC, with and without a filter.
func ageingQueries(sites []*site.Site) []agedQuery {
	ranges := []query.DateRange{
		{From: "2024-03-15", To: "2024-04-06"}, {From: "2024-03-18", To: "2024-03-24"},
		{From: "2024-04-01", To: "2024-04-03"}, {Preset: query.Range7d}, {Preset: query.RangeAll},
		{Preset: query.Range24h}, {Preset: query.RangeDay},
		{From: "2024-03-31T01:00:00+05:30", To: "2024-04-02T17:59:00+05:30"},
		{From: "2024-04-01T10:17:00+02:00", To: "2024-04-06T09:00:00+02:00"},
		{From: "2024-04-05T10:17:00+02:00", To: "2024-04-06T09:44:00+02:00"},
	}
	dims := append([]query.Dimension{""}, query.AllDimensions...)
	times := []query.Dimension{"", query.TimeHour, query.TimeDay, query.TimeWeek}
	var out []agedQuery
	for _, st := range sites {
		for di, d := range dims {
			if d.IsTime() {
				continue
			}
			// Six of the range and time bucket combinations per
			// dimension, a different six for each.
			for k := range 6 {
				ri, ti := (di+3*k)%len(ranges), (di+k)%len(times)
				r, td := ranges[ri], times[ti]
				q := query.Query{SiteID: st.Domain, DateRange: r}
				if d != "" {
					q.Dimensions = append(q.Dimensions, d)
				}
				if td != "" {
					q.Dimensions = append(q.Dimensions, td)
				}
				for _, m := range query.AllMetrics {
					if try := (query.Query{SiteID: q.SiteID, Metrics: []query.Metric{m}, DateRange: r, Dimensions: q.Dimensions}); try.Validate() == nil {
						q.Metrics = append(q.Metrics, m)
					}
				}
				if len(q.Metrics) == 0 {
					continue
				}
				// A filter now and then: on the grouped dimension, or on
				// another one.
				switch {
				case (ri+ti)%5 == 1 && d != "" && d != query.ExitPage:
					q.Filters = []query.Filter{{Op: query.OpContainsNot, Dimension: d, Values: []string{"zz"}}}
				case (ri+ti)%5 == 3:
					q.Filters = []query.Filter{{Op: query.OpIsNot, Dimension: query.Country, Values: []string{"JP"}}}
				case (ri+ti)%7 == 4:
					q.Filters = []query.Filter{{Op: query.OpIsNot, Dimension: query.City, Values: []string{"Osaka"}}}
				}
				loc := st.Location
				if k == 5 {
					loc = time.UTC
				}
				// Some filters are not for every dimension (event:goal).
				if try := q; buildErr(&try, loc) != nil {
					q.Filters = nil
				}
				out = append(out, agedQuery{q: q, loc: loc})
			}
		}
	}
	return out
}

func buildErr(q *query.Query, loc *time.Location) error {
	_, err := query.Build(q, ageNow, loc, time.Time{})
	return err
}

func appendBoth(t *testing.T, s, oracle Store, rows []event.Row) {
	t.Helper()
	ctx := context.Background()
	for chunk := range slices.Chunk(rows, 700) {
		if err := s.Append(ctx, chunk); err != nil {
			t.Fatalf("append: %v", err)
		}
		if err := oracle.Append(ctx, chunk); err != nil {
			t.Fatalf("oracle append: %v", err)
		}
	}
}

func planAt(t testing.TB, s aggregator.Store, aq agedQuery) *query.Plan {
	t.Helper()
	earliest, err := s.Earliest(context.Background(), aq.q.SiteID)
	if err != nil {
		t.Fatalf("earliest: %v", err)
	}
	q := aq.q
	p, err := query.Build(&q, ageNow, aq.loc, earliest)
	if err != nil {
		t.Fatalf("build %s: %v", describe(aq.q, aq.loc), err)
	}
	return p
}

// answer runs a query on the store and the oracle, which must agree.
func answer(t *testing.T, s, oracle aggregator.Store, aq agedQuery) *query.Result {
	t.Helper()
	want := expectOracle(t, oracle, aq)
	got, err := s.Query(context.Background(), planAt(t, s, aq))
	if err != nil {
		t.Fatalf("%s: %v", describe(aq.q, aq.loc), err)
	}
	if err := sameResult(planAt(t, s, aq), got, want); err != nil {
		t.Fatalf("before ageing: %s: %v", describe(aq.q, aq.loc), err)
	}
	return want
}

func expectOracle(t *testing.T, oracle aggregator.Store, aq agedQuery) *query.Result {
	t.Helper()
	res, err := oracle.Query(context.Background(), planAt(t, oracle, aq))
	if err != nil {
		t.Fatalf("oracle: %s: %v", describe(aq.q, aq.loc), err)
	}
	return res
}

// compareAged runs each query on the aged store: refused exactly when
// ageing.Check refuses it, else the same answer as want.
func compareAged(t *testing.T, s aggregator.Store, a ageing.Store, qs []agedQuery, want []*query.Result) (answered, refused int) {
	t.Helper()
	ctx := context.Background()
	for i, aq := range qs {
		p := planAt(t, s, aq)
		st, err := a.AgeingState(ctx, aq.q.SiteID)
		if err != nil {
			t.Fatal(err)
		}
		wantErr := ageing.Check(p, st)
		got, err := s.Query(ctx, p)
		var qe *query.Error
		switch {
		case wantErr != nil && errors.As(err, &qe):
			refused++
		case wantErr != nil:
			t.Errorf("%s: not refused (%v), but the rows cannot answer it: %v", describe(aq.q, aq.loc), err, wantErr)
		case err != nil:
			t.Errorf("%s: %v", describe(aq.q, aq.loc), err)
		default:
			if err := sameResult(p, got, want[i]); err != nil {
				t.Errorf("after ageing: %s: %v", describe(aq.q, aq.loc), err)
			}
			answered++
		}
	}
	return answered, refused
}

// stateText shows a promise for test logs.
func stateText(s ageing.State) string {
	return fmt.Sprintf("hours<%s days<%s general<%s rollup days<%s", s.HourBefore.Format(time.RFC3339),
		s.DayBefore.Format(time.RFC3339), s.GeneralBefore.Format(time.RFC3339), s.RollupDayBefore.Format(time.RFC3339))
}
