package dashboard

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/dashboard/dashtest"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

const layoutSite = "city.example"

// municipalPath turns the generator's short paths into the long ones of a
// municipal site, some in Japanese, so that the layout is tested with the
// names that broke it: a path as long as a table is wide.
func municipalPath(p string) string {
	switch {
	case strings.HasPrefix(p, "/blog/post-"):
		return "/kurashi/kosodate/hoikuen-nyuen/moushikomi-tetsuzuki-" + strings.TrimPrefix(p, "/blog/post-") + ".html"
	case strings.HasPrefix(p, "/docs/page-"):
		return "/soshiki/kikaku-seisaku/お知らせ/令和7年度当初予算の概要-" + strings.TrimPrefix(p, "/docs/page-") + ".html"
	}
	return p
}

// layoutRows are twelve weeks of generated traffic ending at now, with the
// long names of a municipal site and event names as long as Plausible's.
func layoutRows(now time.Time, n int) []event.Row {
	from := now.Add(-84 * 24 * time.Hour).Truncate(time.Hour)
	var rows []event.Row
	for r := range storetest.GenerateRows(7, n, storetest.GenOptions{Start: from, Days: 84, Sites: []string{layoutSite}}) {
		r.Path, r.EntryPath = municipalPath(r.Path), municipalPath(r.EntryPath)
		if r.Name == "Signup" {
			r.Name = "Newsletter Signup: Monthly Residents' Bulletin"
		}
		rows = append(rows, r)
	}
	return rows
}

// layoutHarness serves the dashboard over twelve weeks of traffic on a
// site in Asia/Tokyo, signed in as its owner.
func layoutHarness(t *testing.T) (*harness, string) {
	t.Helper()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	goals := []site.Goal{{ID: "1", EventName: "Newsletter Signup: Monthly Residents' Bulletin"}, {ID: "2", EventName: "File Download"},
		{ID: "3", PagePath: "/kurashi/kosodate/*", DisplayName: "子育てのページ（保育園の入園申し込み）を見た"}}
	h := newHarness(t, harnessOpts{flagSites: []*site.Site{{Domain: layoutSite, Location: tokyo, PropKeys: []string{"plan"}, Goals: goals}}})
	if err := h.events.Append(context.Background(), layoutRows(h.clock.Now(), 6000)); err != nil {
		t.Fatal(err)
	}
	h.setupOwner("owner")
	return h, h.serve()
}

// TestDashboardLayout renders every tab of every panel at phone and
// desktop width in both languages: the page never scrolls sideways, no
// table header is cut or runs into the next, every table's first column
// stays readable. Each view is saved as a screenshot.
func TestDashboardLayout(t *testing.T) {
	_, base := layoutHarness(t)
	for _, lang := range []string{"en", "ja"} {
		b := dashtest.NewTimeout(t, base, lang, "", 10*time.Minute)
		b.SignIn("owner", testPassword)
		b.SetLanguage(lang)
		for _, vp := range []dashtest.Viewport{dashtest.Phone, dashtest.Desktop} {
			t.Run(lang+"/"+vp.Name, func(t *testing.T) {
				b.T = t
				b.SetViewport(vp)
				b.Navigate("/sites/" + layoutSite + "?period=30d")
				b.WaitLoaded(1)
				rules := dashtest.LayoutRules{MinFirstColumn: 120}
				if lang == "ja" && dashtest.Eval[string](b, `document.documentElement.lang`) != "ja" {
					t.Fatal("the page is not in Japanese")
				}
				prefix := fmt.Sprintf("layout-%s-%s", lang, vp.Name)
				for _, p := range b.CheckLayout(rules) {
					t.Errorf("dashboard: %s", p)
				}
				b.Screenshot(prefix + "-dashboard")
				b.ScreenshotOf(".board-head", prefix+"-head")
				b.ScreenshotOf("#cards", prefix+"-cards")
				b.ScreenshotOf(".chart-box", prefix+"-chart")
				// The live view, open, with its lists of the last 30 minutes.
				b.Do(chromedp.Click(chromedp.CSS(`#live summary`)))
				b.WaitFor(`Number(document.getElementById('live').dataset.runs) >= 1`)
				rules.Scope = "#live table"
				for _, p := range b.CheckLayout(rules) {
					t.Errorf("live view: %s", p)
				}
				b.ScreenshotOf("#live", prefix+"-live")
				b.Do(chromedp.Click(chromedp.CSS(`#live summary`)))
				rules.Scope = ""
				tabs := dashtest.Eval[[]string](b, `[...document.querySelectorAll('[data-panel] .tabs button')].map(b => b.closest('[data-panel]').dataset.panel + '/' + b.dataset.tab)`)
				for _, tab := range tabs {
					panel, id, _ := strings.Cut(tab, "/")
					b.Do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('[data-panel=%q] [data-tab=%q]').click()`, panel, id)))
					b.WaitFor(`document.querySelectorAll('.panel-body[aria-busy="true"]').length === 0`)
					rules.Scope = fmt.Sprintf(`[data-panel=%q] table`, panel)
					for _, p := range b.CheckLayout(rules) {
						t.Errorf("%s: %s", tab, p)
					}
					b.ScreenshotOf(fmt.Sprintf(`[data-panel=%q]`, panel), prefix+"-"+panel+"-"+id)
				}
				b.CheckClean()
			})
		}
	}
}
