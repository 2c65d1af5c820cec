package compat

// Cases of the query side: the Stats API v2 request and response
// (https://plausible.io/docs/stats-api).

const statsAPI = "https://plausible.io/docs/stats-api"

func init() {
	register(
		Case{
			Name: "aggregate visitors and pageviews",
			Doc:  statsAPI + "#metrics — visitors, pageviews",
			Events: []Event{
				{Visitor: 1, URL: "/"}, {Visitor: 1, URL: "/about"}, {Visitor: 2, URL: "/"},
			},
			Checks: []Check{{
				Query:   map[string]any{"metrics": []string{"visitors", "pageviews", "visits"}},
				Results: []Row{R(2, 3, 2)},
			}},
		},
		Case{
			Name: "breakdown by page ordered by visitors",
			Doc:  statsAPI + "#order_by — default ordering by the first metric, descending",
			Events: []Event{
				{Visitor: 1, URL: "/a"}, {Visitor: 2, URL: "/a"}, {Visitor: 3, URL: "/b"},
			},
			Checks: []Check{{
				Query:   map[string]any{"metrics": []string{"visitors"}, "dimensions": []string{"event:page"}},
				Results: []Row{R("/a", 2), R("/b", 1)},
			}},
		},
	)
}
