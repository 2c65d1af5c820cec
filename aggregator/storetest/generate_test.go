package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/event"
)

func TestGenerateRows(t *testing.T) {
	opts := GenOptions{Start: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Days: 10}
	a := slices.Collect(GenerateRows(5, 20000, opts))
	b := slices.Collect(GenerateRows(5, 20000, opts))
	if len(a) != 20000 || !slices.EqualFunc(a, b, func(x, y event.Row) bool { return x == y }) {
		t.Fatalf("not deterministic or wrong count: %d rows", len(a))
	}
	sites := map[string]int{}
	var sum event.Counters
	end := opts.Start.AddDate(0, 0, opts.Days).Add(3 * time.Hour)
	for i := range a {
		r := &a[i]
		if err := sqlgen.CheckRow(r); err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if r.TS.Before(opts.Start) || r.TS.After(end) || r.TS.Second() != 0 {
			t.Fatalf("row %d: ts %v outside the period or not a whole minute", i, r.TS)
		}
		sites[r.Site]++
		c := &r.Counters
		sum.Pageviews += c.Pageviews
		sum.Visits += c.Visits
		sum.Bounces += c.Bounces
		sum.Exits += c.Exits
		sum.Visitors += c.Visitors
		sum.TimedViews += c.TimedViews
	}
	if big := sites[DefaultSites[0]]; big < len(a)*7/10 || len(sites) != len(DefaultSites) {
		t.Errorf("rows per site %v: want most on %s and every site present", sites, DefaultSites[0])
	}
	// Every session exits once (up to the cut-off last one), bounces at
	// most once, and every page view but its last gets a time on page.
	if d := sum.Exits - sum.Visits; d < -1 || d > 1 {
		t.Errorf("exits %d, visits %d: want equal", sum.Exits, sum.Visits)
	}
	if sum.Bounces < 0 || sum.Bounces > sum.Visits || sum.Visitors > sum.Visits {
		t.Errorf("bounces %d, visitors %d, visits %d", sum.Bounces, sum.Visitors, sum.Visits)
	}
	if d := sum.Pageviews - sum.TimedViews - sum.Visits; d < -1 || d > 1 {
		t.Errorf("page views %d, timed views %d, visits %d: want pageviews = timed + visits", sum.Pageviews, sum.TimedViews, sum.Visits)
	}
}
