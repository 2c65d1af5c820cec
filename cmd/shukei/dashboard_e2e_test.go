package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/collector/geo/geotest"
	"github.com/shukei-analytics/shukei/dashboard/dashtest"
)

const (
	e2eSite     = "shop.example"
	e2eOwner    = "tanaka@city.example.jp"
	e2ePassword = "kawa no nagare wa taezu shite"
)

// User agents of the generated traffic: three browsers on three systems.
var (
	uaChromeWin = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	uaIPhone    = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
	uaFirefox   = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
)

// e2eVisit is one visitor's session of generated traffic.
type e2eVisit struct {
	ip, ua, referrer string
	pages            []string
	event            string
	width            int
}

var e2eVisits = []e2eVisit{
	{"192.0.2.10", uaChromeWin, "https://www.google.com/", []string{"/", "/pricing"}, "Signup", 1280},
	{"192.0.2.11", uaIPhone, "https://twitter.com/", []string{"/blog/launch"}, "", 390},
	{"192.0.2.12", uaFirefox, "", []string{"/", "/search?q=parking", "/about"}, "", 1920},
	{"2001:db8:1::5", uaChromeWin, "https://www.google.co.jp/", []string{"/?utm_source=newsletter&utm_medium=email&utm_campaign=spring"}, "Signup", 1280},
	{"2001:db8:1::6", uaIPhone, "", []string{"/blog/launch", "/"}, "", 390},
	{"198.51.100.7", uaChromeWin, "https://duckduckgo.com/", []string{"/pricing"}, "", 1440},
	{"198.51.100.8", uaFirefox, "https://news.ycombinator.com/", []string{"/blog/launch", "/docs"}, "Download", 1280},
	{"203.0.113.9", uaChromeWin, "", []string{"/"}, "", 1920},
}

func writeE2EGeo(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "city.mmdb")
	geotest.WriteCityDB(t, path, []geotest.Record{
		{Network: "192.0.2.0/24", Country: "JP", Subdivision: "13", City: "Tokyo"},
		{Network: "2001:db8:1::/48", Country: "JP", Subdivision: "27", City: "Osaka"},
		{Network: "198.51.100.0/24", Country: "US", Subdivision: "CA", City: "San Francisco"},
		{Network: "203.0.113.0/24", Country: "DE", Subdivision: "BE", City: "Berlin"},
	})
	return path
}

// sendE2ETraffic posts the visits through the collector, a minute apart.
func sendE2ETraffic(t *testing.T, srv *testServer) {
	t.Helper()
	for _, v := range e2eVisits {
		ref := v.referrer
		for i, p := range v.pages {
			status, body := srv.hit(v.ip, v.ua, map[string]any{"n": "pageview", "u": "https://" + e2eSite + p, "d": e2eSite, "r": ref, "w": v.width}, nil)
			if status != http.StatusAccepted {
				t.Fatalf("hit %s: %d %s", p, status, body)
			}
			ref = ""
			srv.clock.Set(srv.clock.Now().Add(40 * time.Second))
			if i == 0 && v.event != "" {
				srv.hit(v.ip, v.ua, map[string]any{"n": v.event, "u": "https://" + e2eSite + p, "d": e2eSite, "w": v.width}, nil)
			}
		}
		srv.clock.Set(srv.clock.Now().Add(time.Minute))
	}
	srv.flush()
}

// TestDashboardEndToEnd walks an administrator's first day: setup, sign-in,
// adding the site, pasting the snippet into a page, traffic through the
// collector, the dashboard's numbers against the Stats API, a click on a
// country filtering every panel, and the switch to Japanese. Screenshots
// of each view go to the artefacts directory.
func TestDashboardEndToEnd(t *testing.T) {
	start := time.Now()
	step := func(name string) { t.Logf("%6.1fs %s", time.Since(start).Seconds(), name) }
	srv := startTestServer(t, testOptions{args: []string{"-geoip", writeE2EGeo(t), "-geoip-city"}})
	b := dashtest.New(t, srv.url, "en-US", "MAP "+e2eSite+" 127.0.0.1")
	step("server and browser started")

	// First run: the setup page, with the code printed at start.
	m := regexp.MustCompile(`setup\?code=([A-Z0-9-]+)`).FindStringSubmatch(srv.stdout.String())
	if m == nil {
		t.Fatalf("no setup code printed: %s", srv.stdout.String())
	}
	b.Navigate("/")
	b.WaitFor(`location.pathname === '/setup'`)
	b.Screenshot("01-setup")
	b.SubmitForm(map[string]string{"#code": m[1], "#username": e2eOwner, "#password": e2ePassword, "#password2": e2ePassword}, `button[type=submit].primary`)
	b.WaitFor(`location.pathname === '/add-site'`)
	b.Screenshot("02-add-site")
	step("owner created")

	// The session cookie is __Host-, Secure, HttpOnly, SameSite=Lax.
	if js := dashtest.Eval[string](b, `document.cookie`); strings.Contains(js, "shukei_session") {
		t.Errorf("the session cookie is readable by scripts: %q", js)
	}

	// Add the site; its settings page shows the snippet to paste.
	b.SubmitForm(map[string]string{"#domain": e2eSite, "#timezone": "Asia/Tokyo"}, `button[type=submit].primary`)
	b.WaitFor(`location.pathname === '/sites/` + e2eSite + `/settings'`)
	snippet := dashtest.Eval[string](b, `document.getElementById('snippet-script').textContent`)
	wantSrc := srv.url + "/js/script.js"
	if !strings.Contains(snippet, `data-domain="`+e2eSite+`"`) || !strings.Contains(snippet, `src="`+wantSrc+`"`) {
		t.Fatalf("snippet %q", snippet)
	}
	b.Screenshot("03-settings")
	pasteSnippet(t, srv, b, snippet)
	step("snippet pasted and counted")

	sendE2ETraffic(t, srv)
	step("traffic sent")
	b.Navigate("/sites/" + e2eSite)
	b.WaitLoaded(1)
	b.Screenshot("04-dashboard")
	compareWithAPI(t, srv, b, nil)
	step("dashboard checked")
	realtime := dashtest.Eval[string](b, `document.getElementById('realtime').dataset.value`)
	if _, body := srv.get(srv.url + "/api/v1/stats/realtime/visitors?site_id=" + e2eSite); realtime != strings.TrimSpace(body) || realtime == "0" {
		t.Errorf("realtime shows %q, the API %q", realtime, body)
	}
	english := dashtest.Eval[string](b, `document.querySelector('[data-panel="sources"] h2').textContent`)

	// Click Japan in the countries panel: every panel filters.
	b.Do(chromedp.Click(chromedp.CSS(`[data-panel="locations"] a[data-filter="JP"]`)))
	b.WaitLoaded(2)
	if q := dashtest.Eval[string](b, `location.search`); !strings.Contains(q, "f=is%7Cvisit%3Acountry%7CJP") {
		t.Errorf("the filter is not in the URL: %s", q)
	}
	b.Screenshot("05-dashboard-japan")
	compareWithAPI(t, srv, b, []any{[]any{"is", "visit:country", []string{"JP"}}})

	// Switch to Japanese: the choice persists, texts and formats change.
	b.Do(chromedp.Click(chromedp.CSS(`button[data-set-lang="ja"]`)))
	b.WaitFor(`document.documentElement.lang === 'ja'`)
	b.WaitLoaded(1)
	japanese := dashtest.Eval[string](b, `document.querySelector('[data-panel="sources"] h2').textContent`)
	if english != "Sources" || japanese != "参照元" {
		t.Errorf("panel title %q → %q", english, japanese)
	}
	chip := dashtest.Eval[string](b, `document.querySelector('#filter-list li').textContent`)
	if !strings.Contains(chip, "日本") {
		t.Errorf("filter chip in Japanese: %q", chip)
	}
	if card := dashtest.Eval[string](b, `document.querySelector('.card[data-metric="visitors"] .label').textContent`); card != "訪問者数" {
		t.Errorf("card label %q", card)
	}
	compareWithAPI(t, srv, b, []any{[]any{"is", "visit:country", []string{"JP"}}})
	b.Screenshot("06-dashboard-ja")
	b.Navigate("/sites/" + e2eSite + "?period=day&f=is%7Cvisit%3Acountry%7CUS")
	b.WaitLoaded(1)
	if lang := dashtest.Eval[string](b, `document.documentElement.lang`); lang != "ja" {
		t.Errorf("language did not persist: %s", lang)
	}
	b.Screenshot("07-dashboard-ja-today")
	step("Japanese checked")
	otherViews(t, b)
	step("other views")
	b.CheckClean()
}

// pasteSnippet puts the snippet into a page of the site, served on
// loopback as shop.example, opens it in the browser and waits until the
// page view is counted.
func pasteSnippet(t *testing.T, srv *testServer, b *dashtest.Browser, snippet string) {
	t.Helper()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html><head><title>Landing</title>%s</head><body><h1>Welcome</h1></body></html>", snippet)
	}))
	defer page.Close()
	b.Do(chromedp.Navigate(strings.Replace(page.URL, "127.0.0.1", e2eSite, 1) + "/landing"))
	q := `{"site_id":"` + e2eSite + `","metrics":["pageviews"],"date_range":"day","filters":[["is","event:page",["/landing"]]]}`
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		srv.flush()
		if res := srv.query(q); len(res.Results) == 1 && *res.Results[0].Metrics[0] == 1 {
			return
		}
	}
	t.Fatal("the page with the pasted snippet was not counted")
}

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
	"goals":     {"event:name", []string{"visitors", "events"}, []any{"is_not", "event:name", []string{"pageview"}}},
	"search":    {"event:search_term", []string{"pageviews"}, nil},
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

// otherViews visits the other pages for their screenshots.
func otherViews(t *testing.T, b *dashtest.Browser) {
	t.Helper()
	for _, v := range []struct{ path, name, ready string }{
		{"/sites", "08-sites", "table.list"},
		{"/tokens", "09-tokens", "form[action='/tokens']"},
		{"/users", "10-users", "table.list"},
		{"/account", "11-account", "form[action='/account/password']"},
		{"/account/two-factor", "12-two-factor", ".qr-box svg"},
	} {
		b.Navigate(v.path)
		b.WaitFor(`document.querySelector(` + dashtest.JSString(v.ready) + `) !== null`)
		b.Screenshot(v.name)
	}
}

// TestEveryServedRouteIsInTheTable walks the routes of the fully wired
// server (collector, Stats API, dashboard) against the dashboard's route
// table of required access.
func TestEveryServedRouteIsInTheTable(t *testing.T) {
	srv := startTestServer(t, testOptions{args: []string{"-site", e2eSite}})
	if err := srv.inst.server.CheckRoutes(); err != nil {
		t.Error(err)
	}
}
