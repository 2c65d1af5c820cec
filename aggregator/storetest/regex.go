package storetest

import (
	"regexp"
	"slices"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// regexPaths are page paths on which RE2 engines could disagree: a
// newline, multi-byte characters, ASCII and non-ASCII capitals, a dot.
var regexPaths = []string{"/a\nb", "/日本", "/É", "/x.y", "/xay", "/ab", "/AB"}

// testRegex checks that the store's matches and matches_not agree with
// query.CheckPattern's promise, the reference's (Go's regexp): patterns
// are RE2 and unanchored, "." matches any character (a newline too, and a
// whole multi-byte character), classes are ASCII, ^ and $ anchor the value
// unless (?m). The expectations are written by hand, so a store whose
// engine reads a pattern differently fails here, not only against the
// oracle.
func testRegex(t *testing.T, open Opener) {
	sess := sessJP
	var rows []event.Row
	for _, p := range regexPaths {
		rows = append(rows, sess.row("2024-05-06T10:00:00Z", event.KindPageview, event.PageviewName, p, event.Counters{Pageviews: 1}))
	}
	s := newStore(t, open, rows...)
	match := func(op query.Op, pattern string, want ...string) tcase {
		for i := range want {
			want[i] += ": 1"
		}
		if want == nil {
			want = []string{}
		}
		return tcase{name: string(op) + " " + pattern, want: want, q: query.Query{Metrics: m(query.Pageviews), Dimensions: dims(query.EventPage),
			Filters: filters(query.Filter{Op: op, Dimension: query.EventPage, Values: []string{pattern}}),
			OrderBy: []query.Order{order("event:page", false)}}}
	}
	is, not := query.OpMatches, query.OpMatchesNot
	runCases(t, s, fixtureQuery, []tcase{
		match(is, `^/a.b$`, "/a\nb"),
		match(is, `^/..$`, "/AB", "/ab", "/日本"),
		match(is, `^/.$`, "/É"),
		match(is, `x\.y`, "/x.y"),
		match(is, `^/[^a-z]+$`, "/AB", "/É", "/日本"),
		match(is, `^/[[:upper:]]+$`, "/AB"),
		match(is, `\bab\b`, "/ab"),
		match(is, `(?m)^b$`, "/a\nb"),
		match(is, `^b$`),
		match(is, `^/a$|^/ab$`, "/ab"),
		match(is, `日`, "/日本"),
		match(is, `É|x\.`, "/x.y", "/É"),
		match(not, `^/[a-z]`, "/AB", "/É", "/日本"),
		match(not, `.`),
	})
	// Every syntax CheckPattern accepts compiles and answers as Go's
	// regexp does, on every store (an RE2 of 2018 refuses some newer
	// syntax: such a pattern must be refused before it reaches SQL).
	var syntax []tcase
	for _, p := range []string{`(?U)a+`, `b\z`, `\A/`, `a*?`, `a{2,}?`, `(?:)`, `a|`, `\v`, `[[:word:]]{2}`, `\141`,
		`(?m:^b)`, `\x61`, `[\d]`, `(?-s:a.b)`, `(?sm)^b`, `[\x{3000}-\x{10FFFF}]`, `(?P<n>a)b`, `\Qx.y\E`, `[^\n]{3}`,
		`^\S\W`, `a{0,100}`, `[[:^alpha:]]`, `\B`, `(a|ab)(c|bcd)?`, `^/(?:日|É)`, `[^[:ascii:]]`} {
		if err := query.CheckPattern(p); err != nil {
			t.Fatalf("CheckPattern(%q): %v", p, err)
		}
		re := regexp.MustCompile("(?s)" + p)
		var want []string
		for _, path := range regexPaths {
			if re.MatchString(path) {
				want = append(want, path)
			}
		}
		slices.Sort(want)
		syntax = append(syntax, match(query.OpMatches, p, want...))
	}
	runCases(t, s, fixtureQuery, syntax)
}
