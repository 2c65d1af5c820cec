package public

import (
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/site"
)

// TestNoticeGolden writes the notice of two configurations in both
// languages: a site that publishes nothing with the defaults, and one
// that publishes with noise and rounding, honours GPC, keeps data six
// months and records cities with coarser addresses.
func TestNoticeGolden(t *testing.T) {
	configs := map[string]NoticeConfig{
		"default": {Site: &site.Site{Domain: "example.org", Location: tokyo}},
		"public": {Site: &site.Site{Domain: "city.example.jp", Location: tokyo, RespectGPC: true, RetentionMonths: 6,
			Publish: site.Publishing{Public: true, MinCellSize: 20, Epsilon: 0.5, RoundTo: 10}},
			IPv4Bits: 16, IPv6Bits: 32, Geo: GeoCity, PublicURL: "https://stats.city.example.jp/"},
	}
	for name, c := range configs {
		for _, l := range []string{"en", "ja"} {
			c.Lang = l
			text, err := Notice(c)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "notice."+name+"."+l+".md", []byte(text))
		}
	}
}

// TestNoticeFollowsConfiguration checks the statements that depend on a
// setting, in each language, so a golden file cannot bless a wrong one.
func TestNoticeFollowsConfiguration(t *testing.T) {
	pub := &site.Site{Domain: "a.example", RespectGPC: true, RetentionMonths: 6,
		Publish: site.Publishing{Public: true, MinCellSize: 20, Epsilon: 0.5, RoundTo: 10}}
	plain := &site.Site{Domain: "a.example"}
	for _, tc := range []struct {
		s        *site.Site
		lang     string
		has, not []string
	}{
		{pub, "en", []string{"below 20", "ε = 0.5", "multiple of 10", "deleted 6 months", "Global Privacy Control", "https://s.example/public/a.example"}, []string{"not published"}},
		{plain, "en", []string{"deleted 14 months", "not published", "first 24 of its 32", "first 48 of its 128", "time zone"}, []string{"Global Privacy Control", "ε"}},
		{pub, "ja", []string{"20 未満", "ε = 0.5", "10 単位", "6 か月", "GPC", "https://s.example/public/a.example"}, []string{"管理者のみが利用し"}},
		{plain, "ja", []string{"14 か月", "公開しません", "先頭の 24 ビット", "先頭の 48 ビット"}, []string{"GPC", "ε"}},
	} {
		text, err := Notice(NoticeConfig{Site: tc.s, Lang: tc.lang, PublicURL: "https://s.example"})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range tc.has {
			if !strings.Contains(text, h) {
				t.Errorf("%s %s notice lacks %q", tc.s.Domain, tc.lang, h)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(text, n) {
				t.Errorf("%s %s notice says %q", tc.s.Domain, tc.lang, n)
			}
		}
	}
}

func TestNoticeRefusesBadInput(t *testing.T) {
	s := &site.Site{Domain: "a.example"}
	for _, c := range []NoticeConfig{
		{Site: s, Lang: "fr"}, {Site: s, Lang: ""}, {Lang: "en"},
		{Site: &site.Site{Domain: "a.example", Publish: site.Publishing{Public: true, RoundTo: 3}}, Lang: "en"},
	} {
		if _, err := Notice(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

// TestTextsComplete: both languages have every key, and every report,
// label, measure and withheld reason the aggregator can produce has
// words on the page.
func TestTextsComplete(t *testing.T) {
	for k := range texts["en"] {
		if texts["ja"][k] == "" {
			t.Errorf("ja lacks %q", k)
		}
	}
	for k := range texts["ja"] {
		if texts["en"][k] == "" {
			t.Errorf("en lacks %q", k)
		}
	}
	for _, reason := range opendata.WithheldReasons {
		if texts["en"]["withheld."+reason] == "" {
			t.Errorf("no words for withheld reason %q", reason)
		}
	}
	for _, name := range opendata.ReportNames() {
		if fam, _ := splitName(name); texts["en"]["report."+fam] == "" {
			t.Errorf("no title for report %q", name)
		}
	}
}

// TestNoticeHTML: the fragment has the notice's structure and links, and
// escapes everything else.
func TestNoticeHTML(t *testing.T) {
	c := NoticeConfig{Site: &site.Site{Domain: "city.example", RespectGPC: true, Publish: site.Publishing{Public: true}},
		Lang: "ja", PublicURL: "https://stats.city.example"}
	h, err := NoticeHTML(c)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "notice.public.ja.html", []byte(h))
	for _, want := range []string{"<h2>アクセス解析について</h2>", "<h3>", "<ul>\n<li>", `<a href="#shukei-optout">計測を停止する</a>`} {
		if !strings.Contains(string(h), want) {
			t.Errorf("fragment lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "style=", "javascript:"} {
		if strings.Contains(string(h), bad) {
			t.Errorf("fragment contains %q", bad)
		}
	}
	// The one address linked is the public page's.
	if n := strings.Count(string(h), `<a href="http`); n != 1 || !strings.Contains(string(h), `<a href="https://stats.city.example/public/city.example">`) {
		t.Errorf("%d web links; want one, to the public page", n)
	}
	sec, err := NoticeSection(c)
	if err != nil || !strings.HasPrefix(sec, `<section class="shukei-privacy-notice" lang="ja">`) || !strings.Contains(sec, string(h)) || !strings.HasSuffix(sec, "</section>\n") {
		t.Errorf("section: %v\n%.300s", err, sec)
	}
	for _, u := range []string{"javascript:alert(1)", "https://x.example/?q=<b>", "https://u:p@x.example", "https://x.example/#f", "ftp://x.example", "https://x.example/a b"} {
		c.PublicURL = u
		if _, err := NoticeHTML(c); err == nil {
			t.Errorf("public URL %q accepted", u)
		}
	}
	c.PublicURL, c.Site = "", &site.Site{Domain: "<script>alert(1)</script>"}
	if _, err := Notice(c); err == nil {
		t.Error("a hostile domain was accepted")
	}
}
