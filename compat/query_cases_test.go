package compat

import (
	"regexp"
	"testing"
)

// Cases of the query side: the Stats API v2 request and response
// (https://plausible.io/docs/stats-api).

const statsAPI = "https://plausible.io/docs/stats-api"

// q builds a query: q("visitors", "pageviews") with With* helpers below.
type q map[string]any

func (x q) dims(d ...string) q                 { x["dimensions"] = d; return x }
func (x q) filters(f ...any) q                 { x["filters"] = f; return x }
func (x q) set(k string, v any) q              { x[k] = v; return x }
func metrics(m ...string) q                    { return q{"metrics": m} }
func f(op, dim string, values ...string) []any { return []any{op, dim, values} }

func init() {
	register(
		Case{
			Name: "aggregate visitors and pageviews",
			Doc:  statsAPI + "#metrics — visitors, pageviews, visits",
			Events: []Event{
				{Visitor: 1, URL: "/"}, {Visitor: 1, URL: "/about"}, {Visitor: 2, URL: "/"},
			},
			Checks: []Check{{Query: metrics("visitors", "pageviews", "visits"), Results: []Row{R(2, 3, 2)}}},
		},
		Case{
			Name: "breakdown by page ordered by visitors",
			Doc:  statsAPI + "#order_by — default: the first metric, descending",
			Events: []Event{
				{Visitor: 1, URL: "/a"}, {Visitor: 2, URL: "/a"}, {Visitor: 3, URL: "/b"},
			},
			Checks: []Check{{Query: metrics("visitors").dims("event:page"), Results: []Row{R("/a", 2), R("/b", 1)}}},
		},
		Case{
			Name: "country name dimension and filter",
			Doc:  statsAPI + "#visit-dimensions — visit:country_name; #operators — is [\"Germany\", \"Poland\"]",
			Events: []Event{
				{Visitor: 1, Place: "JP-13"}, {Visitor: 2, Place: "JP-13"}, {Visitor: 3, Place: "JP-13"},
				{Visitor: 4, Place: "DE-BE"}, {Visitor: 5, Place: "DE-BE"}, {Visitor: 6, Place: "PL"},
			},
			Checks: []Check{
				{Name: "breakdown", Query: metrics("visitors").dims("visit:country_name"),
					Results: []Row{R("Japan", 3), R("Germany", 2), R("Poland", 1)}},
				{Name: "with codes", Query: metrics("visitors").dims("visit:country", "visit:country_name"),
					Results: []Row{R("JP", "Japan", 3), R("DE", "Germany", 2), R("PL", "Poland", 1)}},
				{Name: "filter", Query: metrics("visitors").filters(f("is", "visit:country_name", "Germany", "Poland")),
					Results: []Row{R(3)}},
				{Name: "contains, any case", Query: metrics("visitors").filters([]any{"contains", "visit:country_name", []string{"GERM"}, map[string]any{"case_sensitive": false}}),
					Results: []Row{R(2)}},
			},
		},
		Case{
			Name: "region and city names",
			Doc:  statsAPI + "#visit-dimensions — visit:region_name, visit:city_name; #logical-operations — and, or",
			Events: []Event{
				{Visitor: 1, Place: "EE-37"}, {Visitor: 2, Place: "EE-37"}, {Visitor: 3, Place: "DE-BE"},
				{Visitor: 4, Place: "NL-LI"}, {Visitor: 5, Place: "BE-VLI"}, {Visitor: 6, Place: "NL-LI"},
			},
			Checks: []Check{
				// Two provinces of two countries share the name Limburg: one row, as
				// a breakdown by name groups by the name.
				{Name: "region names", Query: metrics("visitors").dims("visit:region_name"),
					Results: []Row{R("Limburg", 3), R("Harjumaa", 2), R("Berlin", 1)}},
				{Name: "city names", Query: metrics("visitors").dims("visit:city_name").set("order_by", [][]string{{"visitors", "desc"}, {"visit:city_name", "asc"}}),
					Results: []Row{R("Maastricht", 2), R("Tallinn", 2), R("Berlin", 1), R("Hasselt", 1)}},
				{Name: "and", Query: metrics("visitors").filters([]any{"and", []any{
					f("is", "visit:country_name", "Germany"), f("is", "visit:city_name", "Berlin")}}),
					Results: []Row{R(1)}},
				{Name: "or", Query: metrics("visitors").filters([]any{"or", []any{
					f("is", "visit:country_name", "Germany"), f("is", "visit:city_name", "Tallinn")}}),
					Results: []Row{R(3)}},
				{Name: "not", Query: metrics("visitors").filters([]any{"not", f("is", "visit:region_name", "Limburg")}),
					Results: []Row{R(3)}},
			},
		},
		Case{
			Name: "time dimension picks the bucket",
			Doc:  statsAPI + "#time-dimensions — time: figures out the appropriate time:bucket from the date range",
			Events: []Event{
				{Visitor: 1, URL: "/"}, {Visitor: 2, URL: "/"},
			},
			ChecksFor: func(env Env) []Check {
				hourly := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:00:00$`)
				return []Check{
					{Name: "a day by hour", Query: metrics("visitors").dims("time"),
						Echo: map[string]any{"dimensions": []string{"time:hour"}},
						Test: func(t *testing.T, r *Response) {
							total := 0.0
							for _, row := range r.Results {
								if !hourly.MatchString(row.Dimensions[0]) {
									t.Errorf("bucket %q is not an hour", row.Dimensions[0])
								}
								total += row.Metrics[0].(float64)
							}
							if total != 2 {
								t.Errorf("visitors over the hours: %v, want 2", total)
							}
						}},
					{Name: "a week by day", Query: metrics("visitors").dims("time").set("date_range", "7d").set("include", map[string]any{"time_labels": true}),
						Echo:    map[string]any{"dimensions": []string{"time:day"}},
						Results: []Row{R(env.Date(0), 2)},
						Test: func(t *testing.T, r *Response) {
							labels, _ := r.Meta["time_labels"].([]any)
							if len(labels) != 7 || labels[0] != env.Date(-6) || labels[6] != env.Date(0) {
								t.Errorf("time_labels %v, want the 7 days to %s", labels, env.Date(0))
							}
						}},
					{Name: "ordered by time", Query: metrics("visitors").dims("time").set("date_range", "7d").set("order_by", [][]string{{"time", "desc"}}),
						Results: []Row{R(env.Date(0), 2)}},
				}
			},
		},
		Case{
			Name: "matches and matches_not",
			Doc:  statsAPI + "#operators — matches [\"^/user/\\d+$\"], matches_not (re2 syntax)",
			Events: []Event{
				{Visitor: 1, URL: "/user/12"}, {Visitor: 2, URL: "/user/abc"}, {Visitor: 3, URL: "/user/7/edit"},
				{Visitor: 4, URL: "/about"},
			},
			Checks: []Check{
				{Name: "matches", Query: metrics("visitors").dims("event:page").filters(f("matches", "event:page", `^/user/\d+$`)),
					Results: []Row{R("/user/12", 1)}},
				{Name: "matches any pattern", Query: metrics("visitors").filters(f("matches", "event:page", `^/user/\d+$`, `^/ab`)),
					Results: []Row{R(2)}},
				{Name: "matches_not", Query: metrics("visitors").dims("event:page").filters(f("matches_not", "event:page", `^/user/`)),
					Results: []Row{R("/about", 1)}},
				{Name: "not RE2", Query: metrics("visitors").filters(f("matches", "event:page", `(a)\1`)),
					Status: 400, ErrorContains: "filters[0][2][0]"},
				{Name: "refused where the databases differ", Query: metrics("visitors").filters(f("matches", "event:page", `(?i)/USER`)),
					Status: 400, ErrorContains: "case-insensitive"},
			},
		},
		Case{
			Name:   "include imports",
			Doc:    statsAPI + "#include.imports — if set, meta.imports_included is set as a boolean",
			Events: []Event{{Visitor: 1}},
			Checks: []Check{{Query: metrics("visitors").set("include", map[string]any{"imports": true}),
				Results: []Row{R(1)}, Meta: map[string]any{"imports_included": false}}},
		},
		Case{
			Name: "pagination",
			Doc:  statsAPI + "#pagination — default { \"limit\": 10000, \"offset\": 0 }",
			Events: []Event{
				{Visitor: 1, URL: "/a"}, {Visitor: 2, URL: "/a"}, {Visitor: 3, URL: "/a"},
				{Visitor: 4, URL: "/b"}, {Visitor: 5, URL: "/b"}, {Visitor: 6, URL: "/c"},
			},
			Checks: []Check{
				{Name: "offset alone", Query: metrics("visitors").dims("event:page").set("pagination", map[string]any{"offset": 1}),
					Results: []Row{R("/b", 2), R("/c", 1)}, Echo: map[string]any{"pagination": map[string]any{"limit": 10000, "offset": 1}}},
				{Name: "limit and offset", Query: metrics("visitors").dims("event:page").set("pagination", map[string]any{"limit": 1, "offset": 1}).
					set("include", map[string]any{"total_rows": true}),
					Results: []Row{R("/b", 2)}, Meta: map[string]any{"total_rows": 3}},
				{Name: "limit zero", Query: metrics("visitors").dims("event:page").set("pagination", map[string]any{"limit": 0}),
					Status: 400, ErrorContains: "pagination.limit"},
				{Name: "limit not a number", Query: metrics("visitors").dims("event:page").set("pagination", map[string]any{"limit": "ten"}),
					Status: 400, ErrorContains: "pagination.limit"},
				{Name: "negative offset", Query: metrics("visitors").dims("event:page").set("pagination", map[string]any{"offset": -2}),
					Status: 400, ErrorContains: "pagination.offset"},
			},
		},
		Case{
			Name: "direct and not set buckets",
			Doc:  "https://plausible.io/docs/metrics-definitions — Direct / None; " + statsAPI + "#visit-dimensions — visit:source, visit:referrer, visit:utm_source",
			Events: []Event{
				{Visitor: 1, URL: "/"}, {Visitor: 2, URL: "/"}, {Visitor: 3, URL: "/", Referrer: "https://news.example/item"},
				{Visitor: 4, URL: "/?utm_source=newsletter&utm_medium=email"},
			},
			Checks: []Check{
				{Name: "source", Query: metrics("visitors").dims("visit:source"), AnyOrder: true,
					Results: []Row{R("Direct / None", 2), R("news.example", 1), R("newsletter", 1)}},
				{Name: "referrer", Query: metrics("visitors").dims("visit:referrer"),
					Results: []Row{R("Direct / None", 3), R("news.example", 1)}},
				{Name: "utm_source", Query: metrics("visitors").dims("visit:utm_source"),
					Results: []Row{R("(not set)", 3), R("newsletter", 1)}},
				{Name: "filter not set", Query: metrics("visitors").filters(f("is", "visit:utm_medium", "(not set)")),
					Results: []Row{R(3)}},
				{Name: "filter direct", Query: metrics("visitors").filters(f("is", "visit:referrer", "Direct / None")),
					Results: []Row{R(3)}},
				{Name: "filter out direct", Query: metrics("visitors").filters(f("is_not", "visit:source", "Direct / None")),
					Results: []Row{R(2)}},
			},
		},
		Case{
			Name:   "week labels for a range starting mid-week",
			Doc:    statsAPI + "#time-dimensions — time:week, time grouped by start of the week; #include.time_labels",
			Events: []Event{{Visitor: 1}, {Visitor: 2}},
			ChecksFor: func(env Env) []Check {
				monday := env.Today.AddDate(0, 0, -((int(env.Today.Weekday()) + 6) % 7))
				start := env.Today.AddDate(0, 0, -10)
				labels := []any{start.Format("2006-01-02")}
				for m := start.AddDate(0, 0, 7-(int(start.Weekday())+6)%7); !m.After(env.Today.AddDate(0, 0, 3)); m = m.AddDate(0, 0, 7) {
					labels = append(labels, m.Format("2006-01-02"))
				}
				if (int(start.Weekday())+6)%7 == 0 { // a Monday: its own label already
					labels = labels[1:]
				}
				return []Check{
					{Name: "range from today", Query: metrics("visitors").dims("time:week").set("date_range", []string{env.Date(0), env.Date(3)}),
						Results: []Row{R(env.Date(0), 2)}},
					{Name: "range from ten days ago", Query: metrics("visitors").dims("time:week").
						set("date_range", []string{env.Date(-10), env.Date(3)}).set("include", map[string]any{"time_labels": true}),
						Results: []Row{R(monday.Format("2006-01-02"), 2)}, Meta: map[string]any{"time_labels": labels}},
				}
			},
		},
		Case{
			Name:   "invalid country codes",
			Doc:    statsAPI + "#visit-dimensions — visit:country: ISO 3166-1 alpha-2 code",
			Events: []Event{{Visitor: 1, Place: "DE-BE"}},
			Checks: []Check{
				{Name: "three letters", Query: metrics("visitors").filters(f("is", "visit:country", "DEU")), Status: 400,
					ErrorContains: "2-letter country code"},
				{Name: "is_not", Query: metrics("visitors").filters(f("is_not", "visit:country", "DE", "Germany")), Status: 400,
					ErrorContains: "2-letter country code"},
				{Name: "valid", Query: metrics("visitors").filters(f("is", "visit:country", "DE")), Results: []Row{R(1)}},
			},
		},
		Case{
			Name:   "hostname filter only at the top level",
			Doc:    statsAPI + "#filters — event:hostname (Plausible's query parser takes it only among the top-level filters)",
			Events: []Event{{Visitor: 1}},
			Checks: []Check{
				{Name: "top level", Query: metrics("visitors").filters(f("contains", "event:hostname", "compat")), Results: []Row{R(1)}},
				{Name: "inside not", Query: metrics("visitors").filters([]any{"not", f("is", "event:hostname", "x.org")}),
					Status: 400, ErrorContains: "top level"},
				{Name: "inside or", Query: metrics("visitors").filters([]any{"or", []any{f("is", "event:hostname", "x.org"), f("is", "event:page", "/")}}),
					Status: 400, ErrorContains: "top level"},
			},
		},
		Case{
			Name:   "authentication and unknown sites",
			Doc:    statsAPI + "#authentication — Authorization: Bearer YOUR-KEY",
			Events: []Event{{Visitor: 1}},
			Checks: []Check{
				{Name: "valid key, unknown site", Query: metrics("visitors").set("site_id", "not-counted.example"), Status: 401,
					ErrorContains: "site ID"},
				{Name: "no key", Query: metrics("visitors"), Token: "-", Status: 401},
				{Name: "wrong key", Query: metrics("visitors"), Token: "not-the-key", Status: 401},
				{Name: "no site", Body: `{"metrics":["visitors"],"date_range":"day"}`, Status: 400, ErrorContains: "site_id"},
			},
		},
		Case{
			Name:   "errors name the field",
			Doc:    statsAPI + "#request-structure — metrics, dimensions, filters, date_range",
			Events: []Event{{Visitor: 1}},
			Checks: []Check{
				{Name: "metrics not a list", Body: `{"site_id":"{{site}}","metrics":"visitors","date_range":"day"}`, Status: 400, ErrorContains: "metrics"},
				{Name: "filters not a list", Body: `{"site_id":"{{site}}","metrics":["visitors"],"date_range":"day","filters":{"a":1}}`, Status: 400, ErrorContains: "filters"},
				{Name: "bad metric", Query: metrics("visitors", "visitorz"), Status: 400, ErrorContains: "metrics[1]"},
				{Name: "bad dimension", Query: metrics("visitors").dims("visit:shoe_size"), Status: 400, ErrorContains: "dimensions[0]"},
				{Name: "bad date range", Query: metrics("visitors").set("date_range", "3d"), Status: 400, ErrorContains: "date_range"},
				{Name: "include not an object", Body: `{"site_id":"{{site}}","metrics":["visitors"],"date_range":"day","include":{"total_rows":"yes"}}`, Status: 400, ErrorContains: "include.total_rows"},
				{Name: "not an object", Body: `[1]`, Status: 400},
			},
		},
	)
}
