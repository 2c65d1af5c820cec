package opendata

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// TestPurgeRemovesOverlappingPeriods purges in the middle of the current
// week: the week and the block that contain purged days leave the archive
// (they hold counts of purged rows), and they are not frozen again from
// the rows that remain, which would publish the purged rows as the
// difference; they read as nodata. Later periods are unaffected.
func TestPurgeRemovesOverlappingPeriods(t *testing.T) {
	first := disclosure.DayFromDate(2026, 1, 5)
	store := genStore(t, 1, tokyo, first, 70, genSite{"mid.example", 40})
	dir := t.TempDir()
	c := &clock{t: (first + 64).Start(tokyo).Add(3 * time.Hour)}
	p := newPublisher(t, store, dir, c, publicSite("mid.example", tokyo, site.Publishing{}))
	ctx := context.Background()
	set, err := p.Current(ctx, "mid.example")
	if err != nil {
		t.Fatal(err)
	}
	week := set.Week
	// Purge up to the middle of the published week.
	n, err := p.Archive().DeleteBefore("mid.example", week.Start+3)
	if err != nil || n == 0 {
		t.Fatalf("removed %d periods (%v)", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "mid.example", "week-"+week.Start.String()+".json")); !os.IsNotExist(err) {
		t.Errorf("the week holding purged days is still archived: %v", err)
	}
	if d, err := p.Archive().PurgedBefore("mid.example"); err != nil || d != week.Start+3 {
		t.Errorf("purged before %s (%v), want %s", d, err, week.Start+3)
	}
	// A new publisher (a restart) serves the same periods: withheld.
	p = newPublisher(t, store, dir, c, publicSite("mid.example", tokyo, site.Publishing{}))
	set, err = p.Current(ctx, "mid.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"pages-7-days", "pages-28-days", "countries-7-days"} {
		r, ok := set.Report(name)
		if !ok || r.Withheld != withheldNoData {
			t.Errorf("%s after the purge: withheld %q, want %q", name, r.Withheld, withheldNoData)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "mid.example", "week-"+week.Start.String()+".json")); !os.IsNotExist(err) {
		t.Errorf("the week holding purged days was frozen again: %v", err)
	}
	// A week later the next week is complete and published.
	c.t = c.t.Add(7 * 24 * time.Hour)
	set, err = p.Current(ctx, "mid.example")
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := set.Report("pages-7-days"); r.Withheld != "" {
		t.Errorf("the week after the purge is withheld: %s", r.Withheld)
	}
}
