package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/site"
)

// fixtureGoals are the fixture site's goals: an event goal, a wildcard page
// goal, an exact page goal and goals no row completes.
var fixtureGoals = []query.Goal{
	{Name: "Signup", EventName: "Signup"},
	{Name: "Visit /blog*", PagePath: "/blog*"},
	{Name: "Home", PagePath: "/"},
	{Name: "Visit /nope", PagePath: "/nope"},
	// "_" and "%" are no wildcards in a goal path.
	{Name: "Underscore", PagePath: "/bl_g*"},
	{Name: "Percent", PagePath: "/%*"},
}

// testGoals checks goals on the fixture: which rows complete a goal, the
// visitor counters a goal breakdown sums, and — through aggregator.Service
// on the store under test — the percentages and conversion rates.
//
// On the fixture, "Visit /blog*" is completed by r2 (JP, page visitors 2)
// and r4 (US, 1); "Home" by r1 (JP, page visitors 2; r3, a correction of
// "/", is not a page view); "Signup" by r5 (US, event visitors 1, page
// visitors 10). Goal visitors are capped per day and group by the day's
// visitors (query.GoalCap): 3 in all, 1 from JP, 1 from the US, 13 page
// visitors of every kind on /blog.
func testGoals(t *testing.T, open Opener) {
	s := newStore(t, open, fixtureRows()...)
	g := func(q query.Query) query.Query { q.Goals = fixtureGoals; return q }
	vep := m(query.Visitors, query.Events, query.Pageviews)
	runCases(t, s, fixtureQuery, []tcase{
		{name: "breakdown by goal", q: g(query.Query{Metrics: vep, Dimensions: dims(query.EventGoal)}),
			want: []string{"Visit /blog*: 3 2 2", "Home: 2 1 1", "Signup: 1 1 0"}},
		{name: "goal and country", q: g(query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.EventGoal, query.Country),
			OrderBy: []query.Order{order("event:goal", false), order("visit:country", false)}}),
			want: []string{"Home|JP: 1", "Signup|US: 1", "Visit /blog*|JP: 1", "Visit /blog*|US: 1"}}, // JP: capped at its 1 visitor
		{name: "goal by hour", q: g(query.Query{Metrics: m(query.Events), Dimensions: dims(query.TimeHour, query.EventGoal)}),
			want: []string{"2024-05-06 10:00:00|Home: 1", "2024-05-06 10:00:00|Visit /blog*: 1",
				"2024-05-06 11:00:00|Signup: 1", "2024-05-06 11:00:00|Visit /blog*: 1"}},
		{name: "event goal filter", q: g(query.Query{Metrics: vep, Filters: filters(is(query.EventGoal, "Signup"))}),
			want: []string{": 1 1 0"}},
		{name: "goal filter by page counts page visitors of the goal's rows", q: g(query.Query{Metrics: m(query.Visitors),
			Dimensions: dims(query.EventPage), Filters: filters(is(query.EventGoal, "Signup"))}),
			want: []string{"/blog: 10"}},
		{name: "two goals by country", q: g(query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.Country),
			Filters: filters(is(query.EventGoal, "Signup", "Home"))}),
			want: []string{"JP: 1", "US: 1"}}, // JP: capped at its 1 visitor
		{name: "contains selects goals by name", q: g(query.Query{Metrics: m(query.Visitors), Filters: filters(contains(query.EventGoal, "Visit"))}),
			want: []string{": 3"}},
		{name: "a goal filter narrows the goal breakdown", q: g(query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.EventGoal),
			Filters: filters(ci(is(query.EventGoal, "signup", "home")))}),
			want: []string{"Home: 2", "Signup: 1"}},
		{name: "a goal nothing completes", q: g(query.Query{Metrics: vep, Filters: filters(is(query.EventGoal, "Visit /nope"))}),
			want: []string{": 0 0 0"}},
		{name: "goal and other filters", q: g(query.Query{Metrics: m(query.Visitors), Dimensions: dims(query.EventGoal),
			Filters: filters(is(query.Country, "US"))}),
			want: []string{"Signup: 1", "Visit /blog*: 1"}},
	})
	testConversionRates(t, s)
}

// testConversionRates runs the Stats API's service on the store: the
// fixture's totals are 3 visitors (r1, r4, r6), 1 from the US, 1 from JP.
func testConversionRates(t *testing.T, s Store) {
	sg := make([]site.Goal, len(fixtureGoals))
	for i, g := range fixtureGoals {
		sg[i] = site.Goal{EventName: g.EventName, PagePath: g.PagePath, DisplayName: g.Name}
	}
	svc := aggregator.NewService(s, site.NewRegistry(&site.Site{Domain: fixtureSite, Location: time.UTC, Goals: sg}),
		func() time.Time { return time.Date(2024, 5, 7, 12, 0, 0, 0, time.UTC) })
	for _, c := range []struct {
		name, q, want string
	}{
		{"conversion rate by goal",
			`{"metrics":["visitors","events","conversion_rate"],"dimensions":["event:goal"]}`,
			`[{"metrics":[3,2,100],"dimensions":["Visit /blog*"]},{"metrics":[2,1,66.67],"dimensions":["Home"]},{"metrics":[1,1,33.33],"dimensions":["Signup"]}]`},
		{"conversion rate of a goal",
			`{"metrics":["visitors","conversion_rate"],"filters":[["is","event:goal",["Signup"]]]}`,
			`[{"metrics":[1,33.33],"dimensions":[]}]`},
		{"group conversion rate by country",
			`{"metrics":["visitors","conversion_rate","group_conversion_rate"],"dimensions":["visit:country"],"filters":[["is","event:goal",["Signup","Home"]]]}`,
			`[{"metrics":[1,33.33,100],"dimensions":["JP"]},{"metrics":[1,33.33,100],"dimensions":["US"]}]`},
		{"group conversion rate on a page of one",
			`{"metrics":["group_conversion_rate"],"dimensions":["visit:country"],"filters":[["is","event:goal",["Signup"]]],"pagination":{"limit":1}}`,
			`[{"metrics":[100],"dimensions":["US"]}]`},
		{"group conversion rate by goal and country",
			`{"metrics":["group_conversion_rate"],"dimensions":["event:goal","visit:country"],"order_by":[["event:goal","asc"],["visit:country","asc"]]}`,
			`[{"metrics":[100],"dimensions":["Home","JP"]},{"metrics":[100],"dimensions":["Signup","US"]},{"metrics":[100],"dimensions":["Visit /blog*","JP"]},{"metrics":[100],"dimensions":["Visit /blog*","US"]}]`},
		{"percentage by country",
			`{"metrics":["visitors","percentage"],"dimensions":["visit:country"]}`,
			`[{"metrics":[1,33.33],"dimensions":["DE"]},{"metrics":[1,33.33],"dimensions":["JP"]},{"metrics":[1,33.33],"dimensions":["US"]}]`},
		{"percentage of a goal breakdown",
			`{"metrics":["percentage"],"dimensions":["event:goal"],"filters":[["is","visit:country",["US"]]]}`,
			`[{"metrics":[100],"dimensions":["Signup"]},{"metrics":[100],"dimensions":["Visit /blog*"]}]`},
		{"no visitors: conversion rate 0",
			`{"metrics":["visitors","conversion_rate"],"dimensions":["event:goal"],"date_range":["2024-05-01","2024-05-01"]}`,
			`[]`},
	} {
		t.Run(c.name, func(t *testing.T) { serviceCase(t, svc, fixtureSite, fixtureRange, c.q, c.want) })
	}
}

// serviceCase runs the Stats API query q (JSON) on site through svc,
// over rng unless q names a range, and compares its results with want.
func serviceCase(t *testing.T, svc *aggregator.Service, site string, rng query.DateRange, q1, want string) {
	t.Helper()
	var q query.Query
	if err := json.Unmarshal([]byte(q1), &q); err != nil {
		t.Fatal(err)
	}
	q.SiteID = site
	if q.DateRange == (query.DateRange{}) {
		q.DateRange = rng
	}
	res, err := svc.Query(context.Background(), &q)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(res.Results)
	var a, b any
	_ = json.Unmarshal(got, &a)
	_ = json.Unmarshal([]byte(want), &b)
	ga, _ := json.Marshal(a)
	gb, _ := json.Marshal(b)
	if string(ga) != string(gb) {
		t.Errorf("results\n got %s\nwant %s", ga, gb)
	}
}
