package opendata

import (
	"context"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

var tokyo = mustZone("Asia/Tokyo")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newPublisher(t *testing.T, q Querier, dir string, c *clock, sites ...*site.Site) *Publisher {
	t.Helper()
	p, err := New(Config{Dir: dir, Now: c.now}, Deps{Store: q, Sites: site.NewRegistry(sites...)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPublishSmoke(t *testing.T) {
	first := disclosure.DayFromDate(2026, 1, 5)
	store := genStore(t, 1, tokyo, first, 70, genSite{"mid.example", 40})
	c := &clock{t: (first + 64).Start(tokyo).Add(3 * time.Hour)}
	p := newPublisher(t, store, t.TempDir(), c, publicSite("mid.example", tokyo, site.Publishing{}))
	set, err := p.Current(context.Background(), "mid.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range set.Reports {
		t.Logf("%s", r.JSON())
	}
}
