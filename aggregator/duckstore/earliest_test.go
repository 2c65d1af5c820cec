package duckstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/site"
)

// checkEarliest compares Earliest with the oldest ts of a scan of every
// row of each site, and reports how many sites it found near their
// oldest rollup row.
func checkEarliest(t *testing.T, s *Store, sites []string, when string) (near int) {
	t.Helper()
	ctx := context.Background()
	for _, name := range sites {
		got, err := s.Earliest(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		id, err := s.siteID(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := earliestOf(ctx, s.db, sqlgen.Earliest(sqlgen.DuckDB, id))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Errorf("%s: earliest %s = %v, every row says %v", when, name, got, want)
		}
		if _, ok, err := s.earliestNear(ctx, id); err != nil {
			t.Fatal(err)
		} else if ok {
			near++
		}
	}
	return near
}

// TestEarliestNearRollups checks that Earliest, which looks for the
// oldest row only near the oldest Totals rollup row, answers what every
// row says: as written, after ageing to hours and days in zones whose
// hours and days start off the UTC hour, between the event and rollup
// rows of an interrupted pass, after retention, and when the
// rows near the oldest rollup row are gone.
func TestEarliestNearRollups(t *testing.T) {
	ctx := context.Background()
	s := openMemory(t)
	defer s.Close()
	names := []string{"a.example", "b.example", "c.example", "d.example", "e.example"}
	zones := []string{"Asia/Kathmandu", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin"}
	// Starting late in a UTC day, the first rows fall on the local day
	// before in some zones and after in others.
	start := time.Date(2024, 3, 20, 22, 53, 0, 0, time.UTC)
	rows := slices.Collect(storetest.GenerateRows(11, 20000, storetest.GenOptions{Start: start, Days: 20, Sites: names}))
	if err := s.Append(ctx, rows); err != nil {
		t.Fatal(err)
	}
	all := append(slices.Clone(names), "none.example")
	if near := checkEarliest(t, s, all, "as written"); near != len(names) {
		t.Errorf("as written, %d of %d sites found near their rollup rows", near, len(names))
	}
	var sites []*site.Site
	for i, name := range names {
		loc, err := time.LoadLocation(zones[i])
		if err != nil {
			t.Fatal(err)
		}
		sites = append(sites, &site.Site{Domain: name, Location: loc,
			Ageing: site.Ageing{MinuteFor: 48 * time.Hour, HourFor: time.Duration(3+2*i) * 24 * time.Hour, KeepDetail: i%2 == 0}})
	}
	// A pass interrupted after merging a day's event rows and before its
	// rollup rows: the rows now start at the local day's start, 12 hours
	// before the first Totals row in UTC+14.
	day := ageing.StartOfDay(start, sites[2].Location)
	if _, err := s.Age(ctx, []ageing.Work{{Site: names[2], Chunks: []ageing.Chunk{{From: day, To: day.AddDate(0, 0, 1), Grain: ageing.Day}}}}); err != nil {
		t.Fatal(err)
	}
	checkEarliest(t, s, all, "event rows of a day merged, rollup rows not yet")
	for _, at := range []time.Time{start.Add(50 * time.Hour), start.Add(5 * 24 * time.Hour), start.Add(30 * 24 * time.Hour)} {
		job, err := ageing.New(ageing.Config{Now: func() time.Time { return at }}, ageing.Deps{Store: s, Sites: site.NewRegistry(sites...)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := job.Once(ctx); err != nil {
			t.Fatal(err)
		}
		if near := checkEarliest(t, s, all, "aged at "+at.Format(time.RFC3339)); near != len(names) {
			t.Errorf("aged at %s, %d of %d sites found near their rollup rows", at, near, len(names))
		}
	}
	for _, name := range names[:2] {
		if _, err := s.DeleteBefore(ctx, name, time.Date(2024, 3, 25, 0, 0, 0, 0, sites[0].Location)); err != nil {
			t.Fatal(err)
		}
	}
	checkEarliest(t, s, all, "after retention")
	// Event rows deleted without their rollup rows (no store path does
	// this): the window finds none, every row answers.
	id, err := s.siteID(ctx, names[2])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM events WHERE site_id = ? AND ts < ?", id, start.Add(7*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if near := checkEarliest(t, s, all, "rows gone near the rollup rows"); near != len(names)-1 {
		t.Errorf("%d sites found near their rollup rows, want all but the one whose rows are gone there", near)
	}
}
