package public

import (
	"net/url"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/collector/referrer"
	"github.com/shukei-analytics/shukei/internal/scrubtest"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// scrubClaims are the notice's statements about what the URL scrubber
// replaces and keeps (DESIGN §1.9), each with the words that state it in
// each language and examples that make it true or false.
var scrubClaims = []struct {
	en, ja   string
	replaced []string // gone from paths, campaign tags and search words
	kept     []string // page paths stored unchanged
}{
	{en: "e-mail addresses", ja: "メールアドレス", replaced: []string{"alice.claim@example.jp"}},
	{en: "phone numbers", ja: "電話番号", replaced: []string{"090-1234-5678", "0312345678", "+81 3 1234 5678", "+1 (555) 123-4567"}},
	{en: "IP addresses", ja: "IP アドレス", replaced: []string{"203.0.113.77", "2001:db8:abcd:12::77"}},
	{en: "card numbers", ja: "カード番号", replaced: []string{"4111 1111 1111 1111"}},
	{en: "long random codes", ja: "長いランダムな符号", replaced: []string{"5f4dcc3b5aa765d61d8327deb882cf99", "550e8400-e29b-41d4-a716-446655440000"}},
	{en: `words such as "user", "member" or "order"`, ja: "「user」「member」「order」等の語に続く番号", replaced: []string{"user 4711932", "member-20261201", "order 1234567"}},
	{en: "Numbers that identify pages, such as page numbers and dates, are kept", ja: "ページ番号、日付等、ページを特定する番号は残します",
		kept: []string{"/kurashi/1000123.html", "/site/bousai/0000012345.html", "/docs/2026120100015/", "/event/2026-12-01/"}},
}

// TestNoticeScrubClaims checks each statement of the notice about
// scrubbing against the scrubber itself, in every place and form the
// notice names: page addresses, campaign tags and search words; as
// written, in full-width characters, percent-encoded once and twice.
func TestNoticeScrubClaims(t *testing.T) {
	for _, lang := range []string{"en", "ja"} {
		text, err := Notice(NoticeConfig{Site: &site.Site{Domain: "a.example"}, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range scrubClaims {
			if words := map[string]string{"en": c.en, "ja": c.ja}[lang]; !strings.Contains(text, words) {
				t.Errorf("%s notice does not state %q", lang, words)
			}
		}
		for _, words := range map[string][]string{
			"en": {"page addresses, campaign tags and search words", "full-width characters or percent-encoded", "only its domain is recorded"},
			"ja": {"ページのアドレス、広告の識別用のパラメータ及び検索語", "全角文字又はパーセントエンコード", "そのドメインのみを記録します"},
		}[lang] {
			if !strings.Contains(text, words) {
				t.Errorf("%s notice does not state %q", lang, words)
			}
		}
	}
	for _, c := range scrubClaims {
		for _, v := range c.replaced {
			for form, f := range map[string]string{"as written": v, "full-width": scrubtest.FullWidth(v),
				"percent-encoded": scrubtest.Percent(v, "%"), "percent-encoded twice": scrubtest.Percent(v, "%25")} {
				q := url.QueryEscape(f)
				if strings.HasPrefix(form, "percent") {
					q = f
				}
				p, err := urlscrub.Scrub("https://a.example/x/"+f+"?utm_campaign="+q+"&q="+q, nil)
				if err != nil {
					t.Fatal(err)
				}
				for where, got := range map[string]string{"page address": p.Path, "campaign tag": p.UTMCampaign, "search word": p.SearchTerm} {
					if claimDigits(got) != "" && strings.Contains(claimDigits(got), claimDigits(v)) ||
						strings.Contains(strings.ToLower(got), "alice.claim") {
						t.Errorf("%q (%s) kept in the %s: %q", v, form, where, got)
					}
				}
			}
		}
		for _, path := range c.kept {
			if p, _ := urlscrub.Scrub("https://a.example"+path, nil); p.Path != path {
				t.Errorf("page %q stored as %q", path, p.Path)
			}
		}
	}
	// "When the name of the website you came from contains an address,
	// only its domain is recorded."
	if src := referrer.Classify("https://203-0-113-77.dyn.isp.example/", "a.example", "", ""); src.Host != "isp.example" {
		t.Errorf("referrer host kept as %+v", src)
	}
}

// TestNoticeScrubRules: the sentences about a site's own rules appear
// exactly when it has such rules, and what they say holds: a keep rule
// keeps page numbers but never an e-mail or IP address.
func TestNoticeScrubRules(t *testing.T) {
	for _, tc := range []struct {
		rules      []string
		keep, more bool
	}{
		{nil, false, false},
		{[]string{"keep /soshiki/**"}, true, false},
		{[]string{"scrub /staff/*"}, false, true},
		{[]string{"keep /soshiki/**", "scrub /staff/*"}, true, true},
	} {
		for lang, s := range map[string][2]string{
			"en": {"are kept as the page's name; e-mail addresses and IP addresses are replaced there too", "also replaces further parts"},
			"ja": {"ページの名前として残します。その場合も、メールアドレス及び IP アドレスは置き換えます", "更に別の部分も置き換えます"},
		} {
			text, err := Notice(NoticeConfig{Site: &site.Site{Domain: "a.example", ScrubRules: tc.rules}, Lang: lang})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(text, s[0]) != tc.keep || strings.Contains(text, s[1]) != tc.more {
				t.Errorf("%s notice with rules %q: keep sentence %v, scrub sentence %v", lang, tc.rules, strings.Contains(text, s[0]), strings.Contains(text, s[1]))
			}
		}
	}
	rules, err := urlscrub.ParseRules([]string{"keep /soshiki/**"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := urlscrub.Scrub("https://a.example/soshiki/0312345678/alice.claim@example.jp/203.0.113.77", &urlscrub.Options{Rules: rules})
	if want := "/soshiki/0312345678/:email/:ip"; p.Path != want {
		t.Errorf("kept page stored as %q, want %q", p.Path, want)
	}
}

func claimDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'f' {
			return r
		}
		return -1
	}, strings.ToLower(s))
}
