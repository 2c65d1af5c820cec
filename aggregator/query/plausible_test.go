package query

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// Rules taken from Plausible's Stats API v2 documentation
// (https://plausible.io/docs/stats-api).

func TestPatterns(t *testing.T) {
	for _, p := range []string{`^/user/\d+$`, `/blog/.*`, `^(a|b)c?$`, `[[:upper:]]`, `\bword`, `日本`, `(?m)^x`, `(?s).`, `\.pdf$`, `x{2,5}`} {
		if err := CheckPattern(p); err != nil {
			t.Errorf("CheckPattern(%q) = %v, want accepted", p, err)
		}
	}
	for p, why := range map[string]string{
		`(a)\1`:                  "RE2",
		`(?=x)`:                  "RE2",
		`(?i)abc`:                "case-insensitive",
		`a(?i:b)`:                "case-insensitive",
		`\pL`:                    "Unicode class",
		`\p{Greek}`:              "Unicode class",
		`\C`:                     `\C`,
		`(?<n>a)`:                "(?P<name>",
		`[`:                      "RE2",
		strings.Repeat("a", 600): "at most",
		`(abcdef){900}`:          "too complex",
		"a\x00":                  "NUL",
		string([]byte{0xff}):     "UTF-8",
	} {
		err := CheckPattern(p)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("CheckPattern(%q) = %v, want an error about %q", p, err, why)
		}
	}
	// An escaped backslash before p is a literal backslash and a p.
	if err := CheckPattern(`\\p`); err != nil {
		t.Errorf(`CheckPattern(\\p) = %v`, err)
	}
}

func TestPlausibleValidation(t *testing.T) {
	cases := []struct{ body, field, msg string }{
		// "#filters — only valid 2-letter country codes" (Plausible refuses "USA").
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","visit:country",["USA"]]]}`,
			"filters[0][2][0]", "2-letter country code"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is_not","visit:country",["JP","1"]]]}`,
			"filters[0][2][1]", "2-letter country code"},
		// A hostname filter only at the top level.
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["not",["is","event:hostname",["a.org"]]]]}`,
			"filters[0]", "top level"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["or",[["is","event:hostname",["a.org"]],["is","visit:country",["JP"]]]]]}`,
			"filters[0]", "top level"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["matches","event:page",["(a)\\1"]]]}`,
			"filters[0][2][0]", "RE2"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["matches","event:page",["a"],{"case_sensitive":false}]]}`,
			"filters[0][3]", "case_sensitive"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","pagination":{"limit":"ten"}}`,
			"pagination.limit", "whole number"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","pagination":{"offset":1.5}}`,
			"pagination.offset", "whole number"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","pagination":{"page":2}}`,
			"pagination.page", "unknown"},
		{`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","pagination":[1]}`,
			"pagination", "object"},
	}
	for _, c := range cases {
		_, err := decode(t, c.body)
		var qe *Error
		if !errors.As(err, &qe) || qe.Field != c.field || !strings.Contains(qe.Message, c.msg) {
			t.Errorf("%s:\n got %v\nwant field %s, message with %q", c.body, err, c.field, c.msg)
		}
	}
	for _, body := range []string{
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","event:hostname",["a.org"]]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","visit:country",["jp","US"]]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["contains","visit:country",["J"]]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["matches_not","event:page",["^/user/\\d+$"]]]}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","include":{"imports":true}}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","dimensions":["time"],"include":{"time_labels":true}}`,
		`{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","dimensions":["visit:country_name","visit:region_name","visit:city_name"]}`,
	} {
		if _, err := decode(t, body); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// "#pagination": offset without limit takes the default limit.
func TestPaginationDefaults(t *testing.T) {
	q, err := decode(t, `{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","dimensions":["event:page"],"pagination":{"offset":5}}`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(q, time.Now(), time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Limit != DefaultLimit || p.Offset != 5 {
		t.Errorf("limit %d offset %d, want %d and 5", p.Limit, p.Offset, DefaultLimit)
	}
}

// "#time-dimensions — time": the bucket suits the range as Plausible
// picks it (hours up to 48 hours, days up to 40 days, weeks up to 52).
func TestTimeResolves(t *testing.T) {
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    string
		want Dimension
	}{
		{`"day"`, TimeHour}, {`["2026-06-01","2026-06-02"]`, TimeHour}, {`["2026-06-01","2026-06-03"]`, TimeDay},
		{`"7d"`, TimeDay}, {`"30d"`, TimeDay}, {`"month"`, TimeDay}, {`["2026-01-01","2026-02-10"]`, TimeDay},
		{`["2026-01-01","2026-02-12"]`, TimeWeek}, {`"6mo"`, TimeWeek}, {`"12mo"`, TimeWeek}, {`"year"`, TimeWeek},
		{`["2024-01-01","2026-01-01"]`, TimeMonth},
	} {
		q, err := decode(t, `{"site_id":"e.org","metrics":["visitors"],"date_range":`+c.r+`,"dimensions":["time"],"order_by":[["time","desc"]]}`)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Build(q, now, time.UTC, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if p.Dimensions[0] != c.want || q.Dimensions[0] != c.want || q.OrderBy[0].By != string(c.want) {
			t.Errorf("%s: time became %s (echo %s, order %s), want %s", c.r, p.Dimensions[0], q.Dimensions[0], q.OrderBy[0].By, c.want)
		}
	}
}

// Week buckets of a range that starts mid-week: the first is labelled
// with the range's first day, the others with their Monday.
func TestWeekLabelsMidWeek(t *testing.T) {
	q, err := decode(t, `{"site_id":"e.org","metrics":["visitors"],"date_range":["2026-06-03","2026-06-20"],"dimensions":["time:week"],"include":{"time_labels":true}}`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(q, time.Now(), time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(p.TimeLabels(TimeWeek), " ")
	if want := "2026-06-03 2026-06-08 2026-06-15"; got != want {
		t.Errorf("labels %s, want %s", got, want)
	}
	if l := p.Label(TimeWeek, "2026-06-01"); l != "2026-06-03" {
		t.Errorf("first bucket labelled %s", l)
	}
	if l := p.Label(TimeWeek, "2026-06-08"); l != "2026-06-08" {
		t.Errorf("second bucket labelled %s", l)
	}
}

// Blank labels: a filter on "(not set)" or "Direct / None" also selects
// the empty value; the query's own filters are left as given.
func TestBlankLabelFilters(t *testing.T) {
	q, err := decode(t, `{"site_id":"e.org","metrics":["visitors"],"date_range":"7d","filters":[["is","visit:utm_source",["(not set)","x"]],["is_not","visit:referrer",["Direct / None"]],["contains","visit:os",["(not set)"]]]}`)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(q, time.Now(), time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Filter.Clauses
	if strings.Join(c[0].Values, "|") != "(not set)|x|" || strings.Join(c[1].Values, "|") != "Direct / None|" || len(c[2].Values) != 1 {
		t.Errorf("plan filters %+v", c)
	}
	if len(q.Filters[0].Values) != 2 {
		t.Errorf("the query's filter changed: %v", q.Filters[0].Values)
	}
}

func TestFloor(t *testing.T) {
	f := Formula{Num: []int{0}, Floor: []int{1, 2}}
	for _, c := range []struct {
		sums []int64
		want int64
	}{{[]int64{0, 1, 0}, 1}, {[]int64{0, 0, 0}, 0}, {[]int64{3, 1, 0}, 3}, {[]int64{0, 0, 2}, 1}} {
		if got := f.Count(c.sums); got != c.want {
			t.Errorf("Count(%v) = %d, want %d", c.sums, got, c.want)
		}
	}
}
