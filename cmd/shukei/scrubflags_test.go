package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestScrubRuleFlag: -scrub-rule rules reach the collector: a kept page id
// of the site's CMS stays, a scrub rule replaces what it names, and the
// built-in detectors still apply elsewhere.
func TestScrubRuleFlag(t *testing.T) {
	srv := startTestServer(t, testOptions{args: []string{"-site", "a.example",
		"-scrub-rule", "a.example=keep /soshiki/*/0*.html", "-scrub-rule", "A.example=scrub /staff/*"}})
	for i, u := range []string{
		"https://a.example/soshiki/3/0312345678.html",
		"https://a.example/tel/0312345678",
		"https://a.example/staff/tanaka-hanako",
		"https://a.example/kurashi/1000123.html",
	} {
		p := map[string]any{"n": "pageview", "u": u, "d": "a.example"}
		if status, body := srv.hit(fmt.Sprintf("198.51.%d.1", i), "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", p, nil); status != 202 {
			t.Fatalf("hit: %d %s", status, body)
		}
	}
	srv.flush()
	pages := srv.query(`{"site_id":"a.example","metrics":["pageviews"],"dimensions":["event:page"],"date_range":"all"}`).table()
	for _, want := range []string{"/soshiki/3/0312345678.html", "/tel/:phone", "/staff/:id", "/kurashi/1000123.html"} {
		if pages[want] == nil {
			t.Errorf("page %q not stored; pages: %v", want, pages)
		}
	}
}

func TestScrubRuleFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-site", "a.example", "-scrub-rule", "b.example=keep /x/*"},
		{"-site", "a.example", "-scrub-rule", "a.example=drop /x"},
		{"-site", "a.example", "-scrub-rule", "keep /x"},
	} {
		cfg := &serveConfig{}
		fs := newServeFlagSet(cfg)
		err := fs.Parse(append([]string{"-data", t.TempDir()}, args...))
		if err == nil {
			_, err = cfg.siteRegistry()
		}
		if err == nil || !strings.Contains(err.Error(), "scrub-rule") && !strings.Contains(err.Error(), "scrub rule") {
			t.Errorf("%q: error %v", args, err)
		}
	}
}
