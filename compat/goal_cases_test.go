package compat

// Cases of goals and conversion rates
// (https://plausible.io/docs/stats-api#metrics, #dimensions — event:goal;
// https://plausible.io/docs/goal-conversions; https://plausible.io/docs/sites-api).

func goalFilter(names ...string) []any { return f("is", "event:goal", names...) }

func init() {
	register(
		Case{
			Name:  "goal breakdown with conversion rate",
			Doc:   statsAPI + "#metrics — conversion_rate: the number of total visitors (divisor) gets calculated across all dimensions; #event-dimensions — event:goal",
			Goals: []string{"event:Signup", "visit:/blog*"},
			Events: []Event{
				{Visitor: 1, URL: "/"}, {Visitor: 1, Name: "Signup", URL: "/"},
				{Visitor: 2, URL: "/blog"}, {Visitor: 3, URL: "/blog/post"},
				{Visitor: 4, URL: "/"}, {Visitor: 4, Name: "Newsletter", URL: "/"},
			},
			Checks: []Check{
				// Newsletter is an event but no goal: not listed.
				{Name: "breakdown", Query: metrics("visitors", "events", "conversion_rate").dims("event:goal"),
					Results: []Row{R("Visit /blog*", 2, 2, 50.0), R("Signup", 1, 1, 25.0)}},
				{Name: "conversion rate alone", Query: metrics("conversion_rate").dims("event:goal"),
					Results: []Row{R("Visit /blog*", 50.0), R("Signup", 25.0)}},
				{Name: "filtered by a goal", Query: metrics("visitors", "events", "conversion_rate").filters(goalFilter("Signup")),
					Results: []Row{R(1, 1, 25.0)}},
				{Name: "contains selects goals", Query: metrics("visitors").filters(f("contains", "event:goal", "Visit")),
					Results: []Row{R(2)}},
			},
		},
		Case{
			Name: "goal breakdown on a site without goals",
			Doc:  statsAPI + "#event-dimensions — event:goal: the site's configured goals (an event that is no goal is not listed)",
			Events: []Event{
				{Visitor: 1, URL: "/register"}, {Visitor: 1, Name: "Signup", URL: "/register"},
			},
			Checks: []Check{
				{Name: "empty", Query: metrics("visitors", "pageviews").dims("event:goal"), Results: []Row{}},
				{Name: "by hour", Query: metrics("visitors").dims("event:goal", "time:hour"), Results: []Row{}},
			},
		},
		Case{
			Name:  "page goals with double wildcards",
			Doc:   "https://plausible.io/docs/pageview-goals — How to group your pages: asterisks match any run of characters, slashes included",
			Goals: []string{"visit:/**/post", "visit:/blog**"},
			Events: []Event{
				// One page per visitor: a wildcard goal's visitors sum per-page
				// unique visitors (docs/plausible.md), where Plausible counts a
				// visitor of several matching pages once.
				{Visitor: 1, URL: "/blog"}, {Visitor: 1, URL: "/blog"}, {Visitor: 4, URL: "/blog/post-1"},
				{Visitor: 2, URL: "/blog/something/post"}, {Visitor: 3, URL: "/different/page/post"},
			},
			Checks: []Check{
				{Name: "breakdown", Query: metrics("visitors", "pageviews").dims("event:goal").set("order_by", [][]string{{"pageviews", "desc"}}),
					Results: []Row{R("Visit /blog**", 3, 4), R("Visit /**/post", 2, 2)}},
			},
		},
		Case{
			Name:  "group conversion rate",
			Doc:   statsAPI + "#metrics — group_conversion_rate: the divisor is calculated for each dimension group individually",
			Goals: []string{"event:Signup"},
			Events: []Event{
				{Visitor: 1, URL: "/", UA: mobileUA}, {Visitor: 1, Name: "Signup", URL: "/", UA: mobileUA},
				{Visitor: 2, URL: "/", UA: mobileUA}, {Visitor: 3, URL: "/", UA: mobileUA},
				{Visitor: 4, URL: "/"}, {Visitor: 4, Name: "Signup", URL: "/"},
			},
			Checks: []Check{
				{Name: "by device", Query: metrics("visitors", "group_conversion_rate", "conversion_rate").dims("visit:device").filters(goalFilter("Signup")),
					AnyOrder: true, Results: []Row{R("Mobile", 1, 33.33, 25.0), R("Desktop", 1, 100.0, 25.0)}},
				{Name: "a page of one", Query: metrics("group_conversion_rate").dims("visit:device").filters(goalFilter("Signup")).
					set("order_by", [][]string{{"visit:device", "asc"}}).set("pagination", map[string]any{"limit": 1, "offset": 1}),
					Results: []Row{R("Mobile", 33.33)}},
			},
		},
		Case{
			Name:  "group conversion rate by page",
			Doc:   statsAPI + "#metrics — group_conversion_rate: the divisor is calculated for each dimension group individually (every visitor who sent anything on the page)",
			Goals: []string{"event:Signup"},
			Events: []Event{
				{Visitor: 1, URL: "/en/register"}, {Visitor: 2, Name: "Signup", URL: "/en/register"}, {Visitor: 3, Name: "Signup", URL: "/en/register"},
				{Visitor: 4, Name: "Signup", URL: "/it/register"}, {Visitor: 4, Name: "Signup", URL: "/it/register"}, {Visitor: 5, URL: "/it/register"},
			},
			Checks: []Check{
				// Two who only signed up and one who only viewed: 2 of 3, not 2 of 1.
				{Query: metrics("visitors", "events", "group_conversion_rate").dims("event:page").filters(goalFilter("Signup")),
					Results: []Row{R("/en/register", 2, 2, 66.67), R("/it/register", 1, 2, 50.0)}},
			},
		},
		Case{
			Name:  "page goal with a wildcard",
			Doc:   "https://plausible.io/docs/pageview-goals — How to group your pages: an asterisk (*) matches patterns in page paths",
			Goals: []string{"visit:/checkout/order-received/*", "visit:/pricing"},
			Events: []Event{
				{Visitor: 1, URL: "/checkout/order-received/123"}, {Visitor: 2, URL: "/checkout/order-received/9/thanks"},
				{Visitor: 3, URL: "/checkout/order-received"}, {Visitor: 4, URL: "/pricing"}, {Visitor: 5, URL: "/pricing/plans"},
			},
			Checks: []Check{
				{Name: "breakdown", Query: metrics("visitors", "pageviews").dims("event:goal"),
					Results: []Row{R("Visit /checkout/order-received/*", 2, 2), R("Visit /pricing", 1, 1)}},
				{Name: "by page", Query: metrics("visitors").dims("event:page").filters(goalFilter("Visit /checkout/order-received/*")),
					AnyOrder: true, Results: []Row{R("/checkout/order-received/123", 1), R("/checkout/order-received/9/thanks", 1)}},
			},
		},
		Case{
			Name: "goals set through the sites API",
			Doc:  "https://plausible.io/docs/sites-api — PUT /api/v1/sites/goals, GET /api/v1/sites/goals, DELETE /api/v1/sites/goals/:goal_id",
			Events: []Event{
				{Visitor: 1, URL: "/register"}, {Visitor: 2, URL: "/"}, {Visitor: 2, Name: "Download", URL: "/"},
			},
			Checks: []Check{
				{Name: "created and queried", Before: []Request{
					{Method: "PUT", Path: "/api/v1/sites/goals", ContentType: "application/x-www-form-urlencoded",
						Body: "site_id={{site}}&goal_type=page&page_path=/register"},
					{Method: "PUT", Path: "/api/v1/sites/goals", ContentType: "application/json",
						Body: `{"site_id":"{{site}}","goal_type":"event","event_name":"Download","display_name":"Downloads"}`},
				}, Query: metrics("visitors", "conversion_rate").dims("event:goal"),
					AnyOrder: true, Results: []Row{R("Visit /register", 1, 50.0), R("Downloads", 1, 50.0)}},
				{Name: "listed", Query: metrics("visitors").dims("event:goal"), AnyOrder: true,
					Results: []Row{R("Visit /register", 1), R("Downloads", 1)},
				},
				{Name: "refused without the goal", Query: metrics("visitors").filters(goalFilter("Signup")), Status: 400,
					ErrorContains: "not configured"},
			},
		},
		Case{
			Name:   "goal query validation",
			Doc:    statsAPI + "#metrics — conversion_rate requires an event:goal filter or dimension; #filters — only is and contains for event:goal",
			Goals:  []string{"event:Signup"},
			Events: []Event{{Visitor: 1}, {Visitor: 1, Name: "Signup"}},
			Checks: []Check{
				{Name: "conversion rate without a goal", Query: metrics("conversion_rate").dims("visit:device"), Status: 400, ErrorContains: "event:goal"},
				{Name: "unknown goal", Query: metrics("visitors").filters(goalFilter("Purchase")), Status: 400, ErrorContains: "Purchase"},
				{Name: "is_not on a goal", Query: metrics("visitors").filters(f("is_not", "event:goal", "Signup")), Status: 400, ErrorContains: "event:goal"},
				{Name: "goal inside or", Query: metrics("visitors").filters([]any{"or", []any{goalFilter("Signup"), f("is", "event:page", "/")}}),
					Status: 400, ErrorContains: "top level"},
				{Name: "session metric with a goal breakdown", Query: metrics("bounce_rate").dims("event:goal"), Status: 400},
				{Name: "percentage without dimensions", Query: metrics("percentage"), Status: 400, ErrorContains: "percentage"},
			},
		},
		Case{
			Name:     "conversion rate by a custom property",
			Doc:      statsAPI + "#metrics — conversion_rate with an event:goal filter and an event:props:<key> dimension; https://plausible.io/docs/custom-props/introduction",
			Goals:    []string{"visit:/blog*"},
			SiteArgs: []string{"-prop-key", "{{site}}=author"},
			Events: []Event{
				{Visitor: 1, URL: "/blog/1", Props: map[string]any{"author": "Uku"}}, {Visitor: 2, URL: "/blog/2", Props: map[string]any{"author": "Uku"}},
				{Visitor: 3, URL: "/blog/3", Props: map[string]any{"author": "Uku"}}, {Visitor: 4, URL: "/blog/1", Props: map[string]any{"author": "Marko"}},
				{Visitor: 5, URL: "/blog/2", Props: map[string]any{"author": "Marko"}}, {Visitor: 6, URL: "/blog"},
				{Visitor: 7, URL: "/", Props: map[string]any{"author": "Marko"}},
			},
			Checks: []Check{
				// Seven visitors in all; the goal's completions by author.
				{Query: metrics("visitors", "events", "conversion_rate").dims("event:props:author").filters(goalFilter("Visit /blog*")),
					Results: []Row{R("Uku", 3, 3, 42.86), R("Marko", 2, 2, 28.57), R("(none)", 1, 1, 14.29)}},
			},
		},
		Case{
			Name: "percentage",
			Doc:  statsAPI + "#metrics — percentage: the percentage of visitors of total who fall into this category",
			Events: []Event{
				{Visitor: 1, Place: "JP-13"}, {Visitor: 2, Place: "JP-13"}, {Visitor: 3, Place: "DE-BE"},
			},
			Checks: []Check{
				{Name: "by country", Query: metrics("visitors", "percentage").dims("visit:country"),
					Results: []Row{R("JP", 2, 66.67), R("DE", 1, 33.33)}},
				{Name: "with a filter", Query: metrics("percentage").dims("visit:country").filters(f("is", "visit:country", "DE")),
					Results: []Row{R("DE", 100.0)}},
			},
		},
	)
}

const mobileUA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
