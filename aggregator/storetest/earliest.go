package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/site"
)

// EarliestProbe looks into a store whose Earliest reads only the rows near
// the site's oldest Totals rollup row: Scan is the oldest ts of every row
// of the site, Near tells whether Earliest found it near the rollup row
// (false when it read every row instead).
type EarliestProbe struct {
	Scan func(t *testing.T, site string) time.Time
	Near func(t *testing.T, site string) bool
}

// EarliestNames are the sites of CheckEarliestAged, in the order of their
// zones; a site without rows follows them.
var EarliestNames = []string{"a.example", "b.example", "c.example", "d.example", "e.example"}

// earliestZones start their hours and days off the UTC hour, and at both
// ends of the offsets.
var earliestZones = []string{"Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin"}

// CheckEarliestAged checks on an empty store that Earliest answers what
// every row says, and finds it near the rollup rows: as written, between
// the event and rollup rows of a pass cut short, after ageing passes to
// hours and days, and after retention. It returns the instant the rows
// start at.
func CheckEarliestAged(t *testing.T, s Store, probe EarliestProbe) time.Time {
	t.Helper()
	a, ok := s.(ageing.Store)
	d, okd := s.(Deleter)
	if !ok || !okd {
		t.Fatal("the store does not age and delete rows")
	}
	ctx := context.Background()
	// Starting late in a UTC day, the first rows fall on the local day
	// before in some zones and after in others.
	start := time.Date(2024, 3, 20, 22, 53, 0, 0, time.UTC)
	if err := s.Append(ctx, slices.Collect(GenerateRows(11, 20000, GenOptions{Start: start, Days: 20, Sites: EarliestNames}))); err != nil {
		t.Fatal(err)
	}
	all := append(slices.Clone(EarliestNames), "none.example")
	check := func(when string) {
		t.Helper()
		near := 0
		for _, name := range all {
			got, err := s.Earliest(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			if want := probe.Scan(t, name); !got.Equal(want) {
				t.Errorf("%s: earliest %s = %v, every row says %v", when, name, got, want)
			}
			if probe.Near(t, name) {
				near++
			}
		}
		if near != len(EarliestNames) {
			t.Errorf("%s: %d of %d sites found near their rollup rows", when, near, len(EarliestNames))
		}
	}
	check("as written")
	var sites []*site.Site
	for i, name := range EarliestNames {
		sites = append(sites, &site.Site{Domain: name, Location: loadLocation(t, earliestZones[i]),
			Ageing: site.Ageing{MinuteFor: 48 * time.Hour, HourFor: time.Duration(3+2*i) * 24 * time.Hour, KeepDetail: i%2 == 0}})
	}
	// A pass cut short after merging a day's event rows and before its
	// rollup rows: the rows now start at the local day's start, 12 hours
	// before the first Totals row in UTC+14.
	day := ageing.StartOfDay(start, sites[2].Location)
	if _, err := a.Age(ctx, []ageing.Work{{Site: EarliestNames[2], Chunks: []ageing.Chunk{{From: day, To: day.AddDate(0, 0, 1), Grain: ageing.Day}}}}); err != nil {
		t.Fatal(err)
	}
	check("event rows of a day merged, rollup rows not yet")
	for _, at := range []time.Time{start.Add(50 * time.Hour), start.Add(5 * 24 * time.Hour), start.Add(30 * 24 * time.Hour)} {
		ageOnce(t, a, sites, at)
		check("aged at " + at.Format(time.RFC3339))
	}
	for _, st := range sites[:2] {
		if _, err := d.DeleteBefore(ctx, st.Domain, time.Date(2024, 3, 25, 0, 0, 0, 0, st.Location)); err != nil {
			t.Fatal(err)
		}
	}
	check("after retention")
	return start
}
