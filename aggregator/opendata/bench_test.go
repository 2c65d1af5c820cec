package opendata

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// BenchmarkFreezeLargeSite measures bringing a large site's reports up to
// date from nothing: four weeks and their block frozen, over 2,000
// visitors a day who view pages out of 20,000 (a long tail of small
// cells for the suppression and the block audit), with the in-memory
// store: its queries and the archive's synced writes take most of the
// time; the suppression and the audit are a small part of it.
func BenchmarkFreezeLargeSite(b *testing.B) {
	first := disclosure.PeriodOf(disclosure.Block, disclosure.DayFromDate(2026, 3, 1)).Start
	r := rand.New(rand.NewPCG(9, 9))
	store := memstore.New()
	var rows []event.Row
	for d := first; d < first+28; d++ {
		for range 2000 {
			ts := d.Start(tokyo).Add(time.Duration(r.IntN(24*60)) * time.Minute).UTC()
			base := event.Row{Site: "large.example", TS: ts, Kind: event.KindPageview, Name: event.PageviewName,
				ReferrerSource: genSources[zipfPick(r, len(genSources))], Country: genCountries[zipfPick(r, len(genCountries))],
				Browser: genBrowsers[zipfPick(r, len(genBrowsers))], OS: genOS[zipfPick(r, len(genOS))],
				Device: genDevices[zipfPick(r, len(genDevices))], Language: genLanguages[zipfPick(r, len(genLanguages))]}
			for v := range 3 {
				row := base
				row.Path = fmt.Sprintf("/p/%d", zipfPick(r, 20000))
				row.Pageviews, row.PageVisitors, row.PublicPageVisitors = 1, 1, 1
				if v == 0 {
					row.Visitors, row.Visits, row.SourceVisitors, row.PublicSourceVisitors = 1, 1, 1, 1
				}
				rows = append(rows, row)
			}
		}
	}
	if err := store.Append(context.Background(), rows); err != nil {
		b.Fatal(err)
	}
	st := publicSite("large.example", tokyo, site.Publishing{})
	now := (first + 29).Start(tokyo).Add(3 * time.Hour)
	b.ReportMetric(float64(len(rows)), "rows")
	for b.Loop() {
		p := newPublisher(b, store, b.TempDir(), &clock{t: now}, st)
		if _, err := p.Current(context.Background(), "large.example"); err != nil {
			b.Fatal(err)
		}
	}
}
