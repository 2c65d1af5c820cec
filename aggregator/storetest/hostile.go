package storetest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// hostileValues are filter values and stored strings that would break
// SQL spliced from strings, or LIKE patterns, if any reached SQL as text.
var hostileValues = []string{
	"'; DROP TABLE events; --",
	`"); DELETE FROM events; --`,
	"%", "_", `\`, `\'`, "''", `"`, "`", "?", "$1", ":name", "@p",
	"a\x00b", "\x00",
	"ｆｕｌｌ", "İstanbul", "日本語", "😀",
	strings.Repeat("x'", 1024),
}

// testHostileValues stores rows holding hostile values and filters by
// them: each value matches itself and nothing else, and the table is
// intact afterwards.
func testHostileValues(t *testing.T, open Opener) {
	base := session{site: "h.test", host: "h.test", entry: "/", country: "JP"}
	var rows []event.Row
	for i, v := range hostileValues {
		r := base.row("2024-05-06T10:00:00Z", event.KindPageview, event.PageviewName, "/", first())
		r.Path = "/p/" + v
		r.UTMCampaign = v
		r.Pageviews = int32(i + 1)
		rows = append(rows, r)
	}
	s := newStore(t, open, rows...)
	var cases []tcase
	for i, v := range hostileValues {
		want := []string{": " + strconv.Itoa(i+1)}
		cases = append(cases,
			tcase{name: "is " + short(v), q: query.Query{Metrics: m(query.Pageviews), Filters: filters(is(query.UTMCampaign, v))}, want: want},
			tcase{name: "is not " + short(v), q: query.Query{Metrics: m(query.Pageviews), Filters: filters(isNot(query.UTMCampaign, v))},
				want: []string{": " + strconv.Itoa(total(len(hostileValues))-(i+1))}},
		)
	}
	cases = append(cases,
		tcase{name: "contains percent", q: query.Query{Metrics: m(query.Pageviews), Filters: filters(contains(query.EventPage, "/p/%"))},
			want: []string{": 3"}},
		tcase{name: "contains underscore", q: query.Query{Metrics: m(query.Pageviews), Filters: filters(contains(query.UTMCampaign, "_"))},
			want: []string{": 4"}},
		tcase{name: "contains NUL", q: query.Query{Metrics: m(query.Pageviews), Filters: filters(contains(query.UTMCampaign, "\x00"))},
			want: []string{": 29"}},
		tcase{name: "long value", q: query.Query{Metrics: m(query.Pageviews), Filters: filters(contains(query.EventPage, strings.Repeat("x'", 1000)))},
			want: []string{": 20"}},
		tcase{name: "table intact", q: query.Query{Metrics: m(query.Pageviews)}, want: []string{": " + strconv.Itoa(total(len(hostileValues)))}},
	)
	runCases(t, s, query.Query{SiteID: "h.test", DateRange: fixtureRange}, cases)
}

// total is 1 + 2 + … + n.
func total(n int) int { return n * (n + 1) / 2 }

// short names a value in a test name.
func short(v string) string {
	if len(v) > 12 {
		return v[:12] + "…"
	}
	return v
}
