package opendata

import (
	"context"
	"reflect"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/site"
)

// countingQuerier counts the queries it passes on.
type countingQuerier struct {
	q Querier
	n int
}

func (c *countingQuerier) Query(ctx context.Context, p *query.Plan) (*query.Result, error) {
	c.n++
	return c.q.Query(ctx, p)
}

// TestEmptyWeekAsksOnce: a week without an event (the monthly report
// reaches back a year, mostly before a site was counted) costs one query,
// and its cells are exactly what every breakdown query would have given.
func TestEmptyWeekAsksOnce(t *testing.T) {
	first := disclosure.DayFromDate(2026, 1, 5)
	store := genStore(t, 1, tokyo, first, 14, genSite{"mid.example", 40})
	cq := &countingQuerier{q: store}
	// One allowlisted key: the properties family asks once per key.
	f := fetcher{q: cq, site: &site.Site{Domain: "mid.example", Location: tokyo, PropKeys: []string{genTopicKey}}}
	ctx := context.Background()
	empty := disclosure.Period{Kind: disclosure.Week, Start: first - 7}
	got, err := f.week(ctx, empty)
	if err != nil {
		t.Fatal(err)
	}
	if cq.n != 1 {
		t.Errorf("an empty week took %d queries, want 1", cq.n)
	}
	want := &weekCells{days: got.days, cells: map[string][]disclosure.Cell{}, useDays: map[string]map[string]int64{}}
	total := make([]int64, len(totalsMetrics))
	for i := range families {
		if err := f.family(ctx, &families[i], empty, want, total); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("empty week cells\n got %+v\nwant %+v", got, want)
	}
	// A week with events asks once per breakdown too.
	cq.n = 0
	if _, err := f.week(ctx, disclosure.Period{Kind: disclosure.Week, Start: first}); err != nil {
		t.Fatal(err)
	}
	if cq.n != 1+len(families) {
		t.Errorf("a counted week took %d queries, want %d", cq.n, 1+len(families))
	}
}
