package dashboard

import (
	"fmt"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/dashtest"
	"github.com/shukei-analytics/shukei/site"
)

// TestPublishingPagesLayout renders what a site owner reads about
// publishing — the settings' publishing rules with their links, and the
// privacy notice with its Markdown and HTML to copy — at phone and
// desktop width in both languages: the page never scrolls sideways and
// the browser reports no error (a CSP violation is one). Each is saved as
// a screenshot (artifacts/screenshots/publishing-*.png: the publishing fieldset
// and the HTML copy box).
func TestPublishingPagesLayout(t *testing.T) {
	h := newHarness(t, harnessOpts{flagSites: []*site.Site{{Domain: "flag.example", Location: time.UTC,
		Publish: site.Publishing{Public: true}}}})
	h.setupOwner("owner")
	base := h.serve()
	b := dashtest.New(t, base, "en", "")
	b.SignIn("owner", testPassword)
	for _, lang := range []string{"en", "ja"} {
		b.SetLanguage(lang)
		for _, vp := range []dashtest.Viewport{dashtest.Phone, dashtest.Desktop} {
			t.Run(lang+"/"+vp.Name, func(t *testing.T) {
				b.T = t
				b.SetViewport(vp)
				prefix := fmt.Sprintf("publishing-%s-%s", lang, vp.Name)
				b.Navigate("/sites/flag.example/settings")
				if got := dashtest.Eval[string](b, `document.documentElement.lang`); got != lang {
					t.Fatalf("settings in %q", got)
				}
				if n := dashtest.Eval[int](b, `document.querySelectorAll('#published-links a[href^="/public/flag.example"]').length`); n != 5 {
					t.Errorf("%d links to the published page and files, want 5", n)
				}
				for _, p := range b.CheckLayout(dashtest.LayoutRules{}) {
					t.Errorf("settings: %s", p)
				}
				b.ScreenshotOf("fieldset", prefix+"-settings")
				b.Navigate("/sites/flag.example/privacy-notice?lang=" + lang)
				if !dashtest.Eval[bool](b, `document.querySelector('#notice-html').textContent.startsWith('<section class="shukei-privacy-notice"')`) {
					t.Error("the notice page has no HTML to copy")
				}
				for _, p := range b.CheckLayout(dashtest.LayoutRules{}) {
					t.Errorf("notice: %s", p)
				}
				b.ScreenshotOf(`[aria-labelledby="notice-html-h"]`, prefix+"-notice-html")
				b.CheckClean()
			})
		}
	}
}
