package public

import (
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/site"
)

// TestNoticeStatesKeptProps checks the notice's claim about custom
// properties against the configuration: it always names the addresses of
// downloaded files and followed links, names exactly the keys the site
// keeps (and no key it does not), and says every other property is
// discarded, in each language.
func TestNoticeStatesKeptProps(t *testing.T) {
	kept := &site.Site{Domain: "a.example", PropKeys: []string{"author", "plan"}}
	none := &site.Site{Domain: "a.example"}
	for _, tc := range []struct {
		s        *site.Site
		lang     string
		has, not []string
	}{
		{kept, "en", []string{"download a file or follow a link", `names "author", "plan"`, `"(other)"`, "Any other information sent with a page view or an event is discarded"}, []string{`"logged_in"`}},
		{none, "en", []string{"download a file or follow a link", "Any other information sent with a page view or an event is discarded"}, []string{"under the names", `"(other)"`}},
		{kept, "ja", []string{"ファイルをダウンロード", "「author」、「plan」", "「(other)」", "その他の情報は破棄します"}, []string{"logged_in"}},
		{none, "ja", []string{"ファイルをダウンロード", "その他の情報は破棄します"}, []string{"「(other)」", "イベントに付けた"}},
	} {
		text, err := Notice(NoticeConfig{Site: tc.s, Lang: tc.lang})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range tc.has {
			if !strings.Contains(text, h) {
				t.Errorf("%s notice with keys %q lacks %q", tc.lang, tc.s.PropKeys, h)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(text, n) {
				t.Errorf("%s notice with keys %q says %q", tc.lang, tc.s.PropKeys, n)
			}
		}
	}
}
