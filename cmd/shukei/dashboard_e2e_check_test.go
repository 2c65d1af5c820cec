package main

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/shukei-analytics/shukei/dashboard/dashtest"
)

// panelQueries are the default tab of each panel: dimension and metrics.
var panelQueries = map[string]struct {
	dim     string
	metrics []string
	exclude []any
}{
	"sources":   {"visit:source", []string{"visitors", "bounce_rate", "visit_duration"}, nil},
	"pages":     {"event:page", []string{"visitors", "pageviews", "bounce_rate", "time_on_page"}, nil},
	"locations": {"visit:country", []string{"visitors"}, nil},
	"devices":   {"visit:browser", []string{"visitors"}, nil},
	"goals":     {"event:goal", []string{"visitors", "events", "conversion_rate"}, nil},
	"search":    {"event:search_term", []string{"pageviews"}, nil},
	"props":     {"event:props:url", []string{"visitors", "events"}, []any{"is", "event:name", []string{"File Download"}}},
}

// compareWithAPI reads the cards and every panel from the DOM and checks
// them against the Stats API, with the same filters.
func compareWithAPI(t *testing.T, srv *testServer, b *dashtest.Browser, filters []any) {
	t.Helper()
	if filters == nil {
		filters = []any{}
	}
	fjson, _ := json.Marshal(filters)
	cardMetrics := []string{"visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration"}
	mjson, _ := json.Marshal(cardMetrics)
	totals := srv.query(fmt.Sprintf(`{"site_id":%q,"metrics":%s,"date_range":"30d","filters":%s}`, e2eSite, mjson, fjson))
	for i, m := range cardMetrics {
		dom := dashtest.Eval[string](b, `document.querySelector('.card .value[data-metric="`+m+`"]').dataset.value`)
		want := totals.Results[0].Metrics[i]
		if want == nil || !sameNumber(dom, *want) {
			t.Errorf("card %s shows %q, the API says %v", m, dom, deref(want))
		}
	}
	if v := dashtest.Eval[string](b, `document.querySelector('.card .value[data-metric="visitors"]').textContent`); v == "" || v == "—" {
		t.Errorf("visitors card text %q", v)
	}
	panels := dashtest.Eval[map[string][]struct {
		Label  string            `json:"label"`
		Values map[string]string `json:"vals"`
	}](b, `(() => { const out = {}; for (const p of document.querySelectorAll('[data-panel]')) { out[p.dataset.panel] = [...p.querySelectorAll('.panel-body tbody tr')].map(tr => { const a = tr.querySelector('[data-filter]'); const vals = {}; for (const td of tr.querySelectorAll('td[data-metric]')) vals[td.dataset.metric] = td.dataset.value; return { label: a ? a.dataset.filter : tr.querySelector('.label span').textContent, vals }; }); } return out; })()`)
	for name, pq := range panelQueries {
		f := filters
		if pq.exclude != nil {
			f = append(append([]any{}, filters...), pq.exclude)
		}
		fj, _ := json.Marshal(f)
		mj, _ := json.Marshal(pq.metrics)
		api := srv.query(fmt.Sprintf(`{"site_id":%q,"metrics":%s,"date_range":"30d","dimensions":[%q],"filters":%s}`, e2eSite, mj, pq.dim, fj)).table()
		rows := panels[name]
		if len(rows) != min(len(api), 9) {
			t.Errorf("panel %s: %d rows, the API has %d", name, len(rows), len(api))
		}
		if len(api) == 0 {
			t.Errorf("panel %s: the API has no rows: the test traffic should fill every panel", name)
		}
		for _, r := range rows {
			want, ok := api[r.Label]
			if !ok {
				t.Errorf("panel %s: row %q is not in the API's answer", name, r.Label)
				continue
			}
			for i, m := range pq.metrics {
				if !sameNumber(r.Values[m], want[i]) {
					t.Errorf("panel %s row %q: %s = %q, API %v", name, r.Label, m, r.Values[m], want[i])
				}
			}
		}
	}
	if len(filters) > 0 {
		if rows := panels["locations"]; len(rows) != 1 || rows[0].Label != "JP" {
			t.Errorf("countries panel under the JP filter: %+v", rows)
		}
	}
}

func sameNumber(dom string, want float64) bool {
	if want == -1 { // null in table()
		return dom == ""
	}
	got, err := strconv.ParseFloat(dom, 64)
	return err == nil && math.Abs(got-want) < 1e-9
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// keyboard uses the dashboard with keys only: arrow keys move between a
// panel's tabs, Enter on a row filters by it.
func keyboard(t *testing.T, b *dashtest.Browser) {
	t.Helper()
	b.Do(chromedp.Focus(chromedp.CSS(`[data-panel="devices"] [role="tab"][aria-selected="true"]`)), chromedp.KeyEvent(kb.ArrowRight))
	b.WaitFor(`document.activeElement.dataset.tab === 'os' && document.activeElement.getAttribute('aria-selected') === 'true'`)
	b.WaitFor(`document.querySelector('[data-panel="devices"] .panel-body[aria-busy="false"] a[data-filter]') !== null`)
	loads := dashtest.Eval[string](b, `document.getElementById('board').dataset.loads`)
	b.Do(chromedp.Focus(chromedp.CSS(`[data-panel="devices"] a[data-filter]`)), chromedp.KeyEvent(kb.Enter))
	n, _ := strconv.Atoi(loads)
	b.WaitLoaded(n + 1)
	if q := dashtest.Eval[string](b, `location.search`); !strings.Contains(q, "visit%3Aos") {
		t.Errorf("Enter on an OS row did not filter by it: %s", q)
	}
}

// otherViews visits the other pages for their screenshots.
func otherViews(t *testing.T, b *dashtest.Browser) {
	t.Helper()
	b.Navigate("/sites/" + e2eSite)
	b.WaitLoaded(1)
	b.EmulateMedia("", map[string]string{"prefers-color-scheme": "dark"})
	b.Screenshot("13-dashboard-dark")
	// Printed, the page keeps the numbers and drops the controls; the
	// chart's data table is shown.
	b.EmulateMedia("print", nil)
	if hidden := dashtest.Eval[bool](b, `getComputedStyle(document.getElementById('controls')).display === 'none' && getComputedStyle(document.querySelector('.panel-foot')).display === 'none'`); !hidden {
		t.Error("the controls are printed")
	}
	if shown := dashtest.Eval[bool](b, `(() => { const t = document.querySelector('.chart-data table'); return t !== null && t.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true }); })()`); !shown {
		t.Error("the chart's data table is not printed")
	}
	b.Screenshot("14-dashboard-print")
	b.EmulateMedia("", nil)
	for _, v := range []struct{ path, name, ready string }{
		{"/tokens", "09-tokens", "form[action='/tokens']"},
		{"/users", "10-users", "table.list"},
		{"/account", "11-account", "form[action='/account/password']"},
		{"/account/two-factor", "12-two-factor", ".qr-box svg"},
		{"/sites/" + e2eSite + "/privacy-notice?lang=ja", "15-privacy-notice-ja", ".notice-text h2"},
	} {
		b.Navigate(v.path)
		b.WaitFor(`document.querySelector(` + dashtest.JSString(v.ready) + `) !== null`)
		b.Screenshot(v.name)
	}
}

// refusalsShown filters by a page, which the identifier-free rows cannot
// split visits by (docs/metrics.md): the refused metrics show "—" with an
// explanation, in the cards and the panels, and nothing fails.
func refusalsShown(t *testing.T, b *dashtest.Browser) {
	t.Helper()
	b.Navigate("/sites/" + e2eSite + "?f=is%7Cevent%3Apage%7C%2Fpricing")
	b.WaitLoaded(1)
	type mark struct {
		Text  string `json:"text"`
		Title string `json:"title"`
		Value string `json:"value"`
	}
	card := dashtest.Eval[mark](b, `(() => { const v = document.querySelector('.card .value[data-metric="visits"]'); return { text: v.firstChild.textContent, title: v.title, value: v.dataset.value }; })()`)
	if card.Text != "—" || card.Value != "refused" || card.Title == "" {
		t.Errorf("visits card under a page filter: %+v", card)
	}
	if v := dashtest.Eval[string](b, `document.querySelector('.card .value[data-metric="visitors"]').dataset.value`); v != "2" {
		t.Errorf("visitors card under a page filter: %q", v)
	}
	cells := dashtest.Eval[[]mark](b, `[...document.querySelectorAll('[data-panel="sources"] td[data-metric="visit_duration"]')].map(td => ({ text: td.textContent, title: td.title, value: td.dataset.value }))`)
	if len(cells) == 0 {
		t.Error("no sources rows under a page filter")
	}
	for _, c := range cells {
		if c.Text != "—" || c.Title == "" {
			t.Errorf("visit duration by source under a page filter: %+v", c)
		}
	}
	if n := dashtest.Eval[int](b, `document.querySelectorAll('.failed, [role="alert"]').length`); n != 0 {
		t.Errorf("%d errors shown under a page filter", n)
	}
}
