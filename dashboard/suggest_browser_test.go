package dashboard

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/shukei-analytics/shukei/dashboard/dashtest"
)

// TestFilterSuggestions adds filters by hand the way an administrator
// does: typing part of a name, a name in Japanese or English, or a code,
// with the site's values suggested from the Stats API as they type.
func TestFilterSuggestions(t *testing.T) {
	_, base := layoutHarness(t)
	b := dashtest.New(t, base, "en-US", "")
	b.SignIn("owner", testPassword)
	b.Navigate("/sites/" + layoutSite)
	b.WaitLoaded(1)

	openForm := func(dim string) {
		b.Do(chromedp.Evaluate[chromedp.Void](`document.getElementById('add-filter').open = true`))
		b.Do(chromedp.SetValue(chromedp.CSS(`#filter-dim`), dim))
		b.Do(chromedp.Evaluate[chromedp.Void](`document.getElementById('filter-dim').dispatchEvent(new Event('change'))`))
	}
	suggestions := func() []string {
		b.WaitFor(`(() => { const l = document.getElementById('filter-value-list'); return !l.hidden && l.dataset.query === document.getElementById('filter-value').value.trim() && l.querySelector('[role=option]') !== null })()`)
		return dashtest.Eval[[]string](b, `[...document.querySelectorAll('#filter-value-list [role=option]')].map(li => li.dataset.value + '=' + li.querySelector('.suggest-label').textContent)`)
	}
	filters := func() []string {
		q, _ := url.ParseQuery(strings.TrimPrefix(dashtest.Eval[string](b, `location.search`), "?"))
		return q["f"]
	}

	// A part of the name: Japan is suggested with its code; picking it
	// with the keyboard filters by the code.
	openForm("visit:country")
	b.Do(chromedp.Click(chromedp.CSS(`#filter-value`)), chromedp.SendKeys(chromedp.CSS(`#filter-value`), "jap"))
	if got := suggestions(); len(got) != 1 || got[0] != "JP=Japan (JP)" {
		t.Fatalf("suggestions for jap: %q", got)
	}
	b.Screenshot("suggest-country")
	if role := dashtest.Eval[string](b, `document.getElementById('filter-value').getAttribute('aria-expanded')`); role != "true" {
		t.Errorf("the combobox is not expanded: %s", role)
	}
	b.Do(chromedp.SendKeys(chromedp.CSS(`#filter-value`), kb.ArrowDown+kb.Enter))
	b.WaitLoaded(2)
	if f := filters(); len(f) != 1 || f[0] != "is|visit:country|JP" {
		t.Errorf("filters after picking Japan: %q", f)
	}

	// A whole name typed and submitted without picking: Germany becomes DE.
	openForm("visit:country")
	b.Do(chromedp.SetValue(chromedp.CSS(`#filter-value`), "germany"))
	b.Do(chromedp.Click(chromedp.CSS(`#filter-form button[type=submit]`)))
	b.WaitLoaded(3)
	if f := filters(); len(f) != 1 || f[0] != "is|visit:country|DE" {
		t.Errorf("filters after typing germany: %q", f)
	}

	// A prefecture by its Japanese name, on a Japanese page.
	b.SetLanguage("ja")
	b.Navigate("/sites/" + layoutSite)
	b.WaitLoaded(1)
	openForm("visit:region")
	b.Do(chromedp.Click(chromedp.CSS(`#filter-value`)), chromedp.SendKeys(chromedp.CSS(`#filter-value`), "東京"))
	if got := suggestions(); len(got) != 1 || got[0] != "JP-13=東京都" {
		t.Errorf("suggestions for 東京: %q", got)
	}
	b.Do(chromedp.SetValue(chromedp.CSS(`#filter-value`), "大阪"))
	b.Do(chromedp.Click(chromedp.CSS(`#filter-form button[type=submit]`)))
	b.WaitLoaded(2)
	if f := filters(); len(f) != 1 || f[0] != "is|visit:region|JP-27" {
		t.Errorf("filters after typing 大阪: %q", f)
	}

	// Pages are searched by the Stats API as one types, within the
	// current filters.
	b.Navigate("/sites/" + layoutSite)
	b.WaitLoaded(1)
	openForm("event:page")
	b.Do(chromedp.Click(chromedp.CSS(`#filter-value`)), chromedp.SendKeys(chromedp.CSS(`#filter-value`), "HOIKUEN"))
	got := suggestions()
	if len(got) == 0 || len(got) > 10 {
		t.Errorf("%d page suggestions for HOIKUEN", len(got))
	}
	for _, s := range got {
		if !strings.Contains(s, "hoikuen") {
			t.Errorf("page suggestion %q does not contain hoikuen", s)
		}
	}
	b.Screenshot("suggest-page-ja")
	b.Do(chromedp.SendKeys(chromedp.CSS(`#filter-value`), kb.Escape))
	if !dashtest.Eval[bool](b, `document.getElementById('filter-value-list').hidden`) {
		t.Error("Escape did not close the suggestions")
	}
	b.CheckClean()
}
