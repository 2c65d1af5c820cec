package opendata

import (
	"context"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// TestKCountsPeople: one device viewing a page on ten days of a block is
// a cell of ten visitor-days but one person: at k = 10 it is not named in
// the 28-day report. Ten devices on one day are ten people: their page is
// named. Noisy publication is left to the noise.
func TestKCountsPeople(t *testing.T) {
	first := disclosure.DayFromDate(2026, 1, 5)
	store := genStore(t, 3, tokyo, first, 70, genSite{"mid.example", 40})
	view := func(path string, day disclosure.Day, minute int) event.Row {
		return event.Row{Site: "mid.example", TS: day.Start(tokyo).Add(time.Duration(600+minute) * time.Minute).UTC(),
			Kind: event.KindPageview, Name: event.PageviewName, Hostname: "mid.example", Path: path,
			Counters: event.Counters{Pageviews: 1, PageVisitors: 1, PublicPageVisitors: 1}}
	}
	c := &clock{t: (first + 64).Start(tokyo).Add(3 * time.Hour)}
	p := newPublisher(t, store, t.TempDir(), c, publicSite("mid.example", tokyo, site.Publishing{}))
	set, err := p.Current(context.Background(), "mid.example")
	if err != nil {
		t.Fatal(err)
	}
	block := set.Block
	var extra []event.Row
	for i := range 10 {
		extra = append(extra, view("/loyal", block.Start+disclosure.Day(2*i), 0)) // one device, ten days
		extra = append(extra, view("/crowd", block.Start+3, i))                   // ten devices, one day
	}
	// The same block, frozen from a store that has them (a new archive).
	if err := store.Append(context.Background(), extra); err != nil {
		t.Fatal(err)
	}
	p = newPublisher(t, store, t.TempDir(), c, publicSite("mid.example", tokyo, site.Publishing{}))
	set, err = p.Current(context.Background(), "mid.example")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := set.Report("pages-28-days")
	if r.Withheld != "" {
		t.Fatalf("pages-28-days withheld: %s", r.Withheld)
	}
	named := map[string]int64{}
	for _, row := range r.Rows {
		if !row.Other {
			named[row.Value] = *row.Counts[0]
		}
	}
	if v, ok := named["/loyal"]; ok {
		t.Errorf("/loyal, one person on ten days, is published as %d visitors", v)
	}
	if named["/crowd"] != 10 {
		t.Errorf("/crowd, ten people on one day, is published as %d (want 10): %v", named["/crowd"], named)
	}
}
