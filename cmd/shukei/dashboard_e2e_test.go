package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/collector/geo/geotest"
	"github.com/shukei-analytics/shukei/dashboard/dashtest"
	"github.com/shukei-analytics/shukei/route"
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
	{"2001:db8:1::5", uaChromeWin, "https://www.google.co.jp/", []string{"/?utm_source=newsletter&utm_medium=email&utm_campaign=spring"}, "File Download", 1280},
	{"2001:db8:1::6", uaIPhone, "", []string{"/blog/launch", "/"}, "", 390},
	{"198.51.100.7", uaChromeWin, "https://duckduckgo.com/", []string{"/pricing"}, "", 1440},
	{"198.51.100.8", uaFirefox, "https://news.ycombinator.com/", []string{"/blog/launch", "/docs"}, "File Download", 1280},
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
				ev := map[string]any{"n": v.event, "u": "https://" + e2eSite + p, "d": e2eSite, "w": v.width}
				if v.event == "File Download" {
					ev["p"] = map[string]string{"url": "https://" + e2eSite + "/files/guide.pdf?session=x"}
				}
				srv.hit(v.ip, v.ua, ev, nil)
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

	snippet := setupAndAddSite(t, srv, b)
	addGoals(t, srv, `{"goal_type":"event","event_name":"Signup"}`, `{"goal_type":"page","page_path":"/pricing*"}`)
	step("owner created, site added, goals set")
	b.Screenshot("03-settings")
	pasteSnippet(t, srv, b, snippet)
	step("snippet pasted and counted")

	// Sign out and in again through the sign-in form.
	b.Navigate("/sites")
	b.Do(chromedp.Click(chromedp.CSS(`form.logout button[type=submit]`)))
	b.WaitFor(`location.pathname === '/login'`)
	b.SignIn(e2eOwner, e2ePassword)
	b.Screenshot("08-sites")
	step("signed out and in")

	trafficFrom := srv.clock.Now()
	sendE2ETraffic(t, srv)
	step("traffic sent")
	b.Navigate("/sites/" + e2eSite)
	b.WaitLoaded(1)
	b.Screenshot("04-dashboard")
	compareWithAPI(t, srv, b, nil)
	step("dashboard checked")
	realtime := dashtest.Eval[string](b, `document.getElementById('realtime').dataset.value`)
	_, body := srv.get(srv.url + "/api/v1/stats/realtime/visitors?site_id=" + e2eSite)
	if realtime != strings.TrimSpace(body) || realtime == "0" {
		t.Errorf("realtime shows %q, the API %q", realtime, body)
	}
	liveView(t, srv, b, trafficFrom, strings.TrimSpace(body))
	step("live view checked")
	english := dashtest.Eval[string](b, `document.querySelector('[data-panel="sources"] h2').textContent`)

	// Click Japan in the countries panel: every panel filters.
	b.Do(chromedp.Click(chromedp.CSS(`[data-panel="locations"] a[data-filter="JP"]`)))
	b.WaitLoaded(2)
	if q := dashtest.Eval[string](b, `location.search`); !strings.Contains(q, "f=is%7Cvisit%3Acountry%7CJP") {
		t.Errorf("the filter is not in the URL: %s", q)
	}
	b.Screenshot("05-dashboard-japan")
	compareWithAPI(t, srv, b, []any{[]any{"is", "visit:country", []string{"JP"}}})

	switchToJapanese(t, b, english)
	compareWithAPI(t, srv, b, []any{[]any{"is", "visit:country", []string{"JP"}}})
	b.Screenshot("06-dashboard-ja")
	b.Navigate("/sites/" + e2eSite + "?period=day&f=is%7Cvisit%3Acountry%7CUS")
	b.WaitLoaded(1)
	if lang := dashtest.Eval[string](b, `document.documentElement.lang`); lang != "ja" {
		t.Errorf("language did not persist: %s", lang)
	}
	b.Screenshot("07-dashboard-ja-today")
	step("Japanese checked")
	keyboard(t, b)
	refusalsShown(t, b)
	step("keyboard and refusals checked")
	otherViews(t, b)
	step("other views")
	b.CheckClean()
}

// setupAndAddSite creates the owner with the code printed at start, adds
// the site and returns the snippet its settings page shows.
func setupAndAddSite(t *testing.T, srv *testServer, b *dashtest.Browser) string {
	t.Helper()
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

	// The session cookie is __Host-, Secure, HttpOnly, SameSite=Lax.
	if js := dashtest.Eval[string](b, `document.cookie`); strings.Contains(js, "shukei_session") {
		t.Errorf("the session cookie is readable by scripts: %q", js)
	}

	// Add the site; its settings page shows the snippet to paste.
	b.SubmitForm(map[string]string{"#domain": e2eSite, "#timezone": "Asia/Tokyo"}, `button[type=submit].primary`)
	b.WaitFor(`location.pathname === '/sites/` + e2eSite + `/settings' && document.getElementById('snippet-script') !== null`)
	snippet := dashtest.Eval[string](b, `document.getElementById('snippet-script').textContent`)
	wantSrc := srv.url + "/js/script.js"
	if !strings.Contains(snippet, `data-domain="`+e2eSite+`"`) || !strings.Contains(snippet, `src="`+wantSrc+`"`) {
		t.Fatalf("snippet %q", snippet)
	}
	return snippet
}

// switchToJapanese uses the language switch: texts and formats change.
func switchToJapanese(t *testing.T, b *dashtest.Browser, english string) {
	t.Helper()
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
	q := `{"site_id":"` + e2eSite + `","metrics":["pageviews","time_on_page"],"date_range":"day","filters":[["is","event:page",["/landing"]]]}`
	waitCounted := func(what string, done func(m []*float64) bool) {
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			srv.flush()
			if res := srv.query(q); len(res.Results) == 1 && done(res.Results[0].Metrics) {
				return
			}
		}
		t.Fatalf("the page with the pasted snippet: %s was not counted", what)
	}
	waitCounted("the page view", func(m []*float64) bool { return m[0] != nil && *m[0] == 1 })
	// Leaving the page sends its engagement time: wait for it too, so that
	// it is not counted in the middle of the dashboard's checks.
	b.Do(chromedp.Navigate("about:blank"))
	waitCounted("the time on the page", func(m []*float64) bool { return m[1] != nil })
}

// TestEveryServedRouteIsInTheTable walks the routes of the fully wired
// server (every role) against the route table the app mounted.
func TestEveryServedRouteIsInTheTable(t *testing.T) {
	srv := startTestServer(t, testOptions{args: []string{"-site", e2eSite}})
	if err := route.CheckRouter(srv.inst.app.server.app, srv.inst.app.routes()); err != nil {
		t.Error(err)
	}
}

// addGoals sets the site's goals through the goals API with the start-up
// token (the dashboard's Goals panel lists configured goals only).
func addGoals(t *testing.T, srv *testServer, goals ...string) {
	t.Helper()
	for _, g := range goals {
		body := strings.Replace(g, "{", `{"site_id":"`+e2eSite+`",`, 1)
		req, err := http.NewRequest(http.MethodPut, srv.url+"/api/v1/sites/goals", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+srv.inst.token)
		if status, resp := srv.do(req); status != http.StatusOK {
			t.Fatalf("PUT goal %s: %d %s", g, status, resp)
		}
	}
}

// liveView opens the live view: it shows the current visitors the realtime
// endpoint counts, and the pages and sources of the last 30 minutes as the
// Stats API gives them (the traffic was sent within them).
func liveView(t *testing.T, srv *testServer, b *dashtest.Browser, from time.Time, current string) {
	t.Helper()
	to := srv.clock.Now()
	if to.Sub(from) >= 29*time.Minute {
		t.Fatalf("the traffic spans %s, more than the live view's 30 minutes", to.Sub(from))
	}
	b.Do(chromedp.Click(chromedp.CSS(`#live summary`)))
	b.WaitFor(`Number(document.getElementById('live').dataset.runs) >= 1`)
	b.Screenshot("04b-live")
	rows := func(n int) []string {
		return dashtest.Eval[[]string](b, fmt.Sprintf(`[...document.querySelectorAll('#live-body section:nth-of-type(%d) tbody tr')].map(r => [...r.cells].map(c => c.textContent).join('|'))`, n))
	}
	want := func(dim, metrics string) []string {
		var out []string
		res := srv.query(fmt.Sprintf(`{"site_id":%q,"metrics":[%s],"dimensions":[%q],"date_range":[%q,%q],"order_by":[["visitors","desc"]],"pagination":{"limit":10}}`,
			e2eSite, metrics, dim, from.Add(-time.Minute).UTC().Format(time.RFC3339), to.Add(time.Minute).UTC().Format(time.RFC3339)))
		for _, r := range res.Results {
			cells := []string{r.Dimensions[0]}
			for _, m := range r.Metrics {
				cells = append(cells, strconv.Itoa(int(*m)))
			}
			out = append(out, strings.Join(cells, "|"))
		}
		return out
	}
	if got, w := rows(1), want("event:page", `"visitors","pageviews"`); len(got) == 0 || !slices.Equal(got, w) {
		t.Errorf("live pages %q, the Stats API %q", got, w)
	}
	if got, w := rows(2), want("visit:source", `"visitors"`); len(got) == 0 || !slices.Equal(got, w) {
		t.Errorf("live sources %q, the Stats API %q", got, w)
	}
	if got := dashtest.Eval[string](b, `document.getElementById('live-current').textContent`); got != current {
		t.Errorf("live current visitors %q, the realtime API %q", got, current)
	}
	b.Do(chromedp.Click(chromedp.CSS(`#live summary`)))
}
