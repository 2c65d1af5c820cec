package storetest

import (
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// capSite is the site of testGoalCap's realistic rows (counters as the
// collector sets them):
//
//	2024-05-06  A (JP) views /blog/a, /blog/b, /blog/c: 1 visitor, 3 page visitors of "/blog*"
//	2024-05-07  A (JP) views /blog/a, /blog/b; C (US) views /blog/a; D (DE) views /
//
// A visitor-day is the most the rows can tell apart: on 05-06 the goal's
// 3 page visitors are 1 visitor; on 05-07 its 3 are capped at the day's 3
// visitors (truly 2: the rows cannot tell that D did not view a blog page),
// and at each country's visitors in a breakdown by country (exact there).
const capSite = "cap.test"

func capRows() []event.Row {
	const pv = event.KindPageview
	a := sessJP
	a.site = capSite
	c := sessUS
	c.site = capSite
	d := sessDE
	d.site = capSite
	again := event.Counters{Pageviews: 1, PageVisitors: 1, PublicPageVisitors: 1}
	return []event.Row{
		a.row("2024-05-06T10:00:00Z", pv, event.PageviewName, "/blog/a", first()),
		a.row("2024-05-06T10:01:00Z", pv, event.PageviewName, "/blog/b", again),
		a.row("2024-05-06T10:02:00Z", pv, event.PageviewName, "/blog/c", again),
		a.row("2024-05-07T10:00:00Z", pv, event.PageviewName, "/blog/a", first()),
		a.row("2024-05-07T10:01:00Z", pv, event.PageviewName, "/blog/b", again),
		c.row("2024-05-07T11:00:00Z", pv, event.PageviewName, "/blog/a", first()),
		d.row("2024-05-07T12:00:00Z", pv, event.PageviewName, "/", first()),
	}
}

// testGoalCap checks that a goal's visitors never exceed the visitors of
// the day (query.GoalCap): a visitor who views several pages of a
// wildcard goal counts once that day, conversion rates stay ≤ 100%, and
// the capped days are summed over the range.
func testGoalCap(t *testing.T, open Opener) {
	s := newStore(t, open, capRows()...)
	svc := aggregator.NewService(s, site.NewRegistry(&site.Site{Domain: capSite, Location: time.UTC,
		Goals: []site.Goal{{PagePath: "/blog*"}, {PagePath: "/blog/a|/blog/b"}, {EventName: "Signup"}}}),
		func() time.Time { return time.Date(2024, 5, 8, 12, 0, 0, 0, time.UTC) })
	both := dates("2024-05-06", "2024-05-07")
	for _, c := range []struct{ name, q, want string }{
		{"one visitor, three matching pages, one day",
			`{"metrics":["visitors","events","conversion_rate"],"filters":[["is","event:goal",["Visit /blog*"]]],"date_range":["2024-05-06","2024-05-06"]}`,
			`[{"metrics":[1,3,100],"dimensions":[]}]`},
		{"alternatives count a visitor once a day",
			`{"metrics":["visitors"],"filters":[["is","event:goal",["Visit /blog/a|/blog/b"]]],"date_range":["2024-05-06","2024-05-06"]}`,
			`[{"metrics":[1],"dimensions":[]}]`},
		{"two goals in one filter count a visitor once a day",
			`{"metrics":["visitors"],"filters":[["is","event:goal",["Visit /blog*","Visit /blog/a|/blog/b"]]],"date_range":["2024-05-06","2024-05-06"]}`,
			`[{"metrics":[1],"dimensions":[]}]`},
		{"days capped, then summed",
			`{"metrics":["visitors","conversion_rate"],"dimensions":["event:goal"]}`,
			`[{"metrics":[4,100],"dimensions":["Visit /blog*"]},{"metrics":[4,100],"dimensions":["Visit /blog/a|/blog/b"]}]`}, // truly 3 and 2
		{"per day",
			`{"metrics":["visitors"],"dimensions":["time:day"],"filters":[["is","event:goal",["Visit /blog*"]]]}`,
			`[{"metrics":[1],"dimensions":["2024-05-06"]},{"metrics":[3],"dimensions":["2024-05-07"]}]`},
		{"per country and day",
			`{"metrics":["visitors","group_conversion_rate"],"dimensions":["visit:country"],"filters":[["is","event:goal",["Visit /blog*"]]]}`,
			`[{"metrics":[2,100],"dimensions":["JP"]},{"metrics":[1,100],"dimensions":["US"]}]`},
		{"by page, a page's visitors",
			`{"metrics":["visitors"],"dimensions":["event:page"],"filters":[["is","event:goal",["Visit /blog*"]]],"order_by":[["event:page","asc"]]}`,
			`[{"metrics":[3],"dimensions":["/blog/a"]},{"metrics":[2],"dimensions":["/blog/b"]},{"metrics":[1],"dimensions":["/blog/c"]}]`},
	} {
		t.Run(c.name, func(t *testing.T) { serviceCase(t, svc, capSite, both, c.q, c.want) })
	}
}
