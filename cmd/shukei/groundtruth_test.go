package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/collector/geo/geotest"
	"github.com/shukei-analytics/shukei/internal/loggen"
)

// simUAs are the log generator's browsers, so that live hits and imported
// logs are checked against one table of User-Agents and their classes.
var simUAs = func() []struct{ ua, browser, os, device string } {
	var out []struct{ ua, browser, os, device string }
	for _, u := range loggen.UserAgents {
		out = append(out, struct{ ua, browser, os, device string }{u.UA, u.Browser, u.OS, u.Device})
	}
	return out
}()

var simSources = []simSource{
	{name: "Direct / None", channel: "Direct"},
	{referrer: "https://www.google.com/", name: "Google", host: "google.com", channel: "Organic Search"},
	{referrer: "https://t.co/abc", name: "Twitter", host: "t.co", channel: "Organic Social"},
	{query: "utm_source=newsletter&utm_medium=email&utm_campaign=spring", name: "newsletter", utmSource: "newsletter", utmMedium: "email", utmCampaign: "spring", channel: "Email"},
	{referrer: "https://news.ycombinator.com/item?id=1", name: "Hacker News", host: "news.ycombinator.com", channel: "Organic Social"},
	{referrer: "https://www.google.com/", query: "gclid=Cj0KCQiA", name: "Google", host: "google.com", utmMedium: "(gclid)", channel: "Paid Search"},
}

// simGeo is the test GeoIP database: the first octet decides the place.
var simGeo = loggen.Places

func simVisitors() []simVisitor {
	langs := []struct{ header, lang string }{{"ja,en;q=0.8", "ja"}, {"en-US,en;q=0.9", "en"}, {"de-DE,de;q=0.9", "de"}}
	widths := []struct {
		w      int
		screen string
	}{{390, "Mobile"}, {800, "Tablet"}, {1280, "Laptop"}, {1920, "Desktop"}}
	var vs []simVisitor
	for i := range 45 {
		first, second, last := 11+i%5, i, 10+i
		ua := simUAs[i%len(simUAs)]
		if i >= 40 {
			// Same /24 as visitors 0..4 with another browser: other visitors.
			second, last, ua = i-40, 200, simUAs[(i+1)%len(simUAs)]
		}
		v := simVisitor{
			ip: fmt.Sprintf("%d.%d.7.%d", first, second, last), ua: ua.ua,
			browser: ua.browser, os: ua.os, device: ua.device,
			lang: langs[i%3].header, language: langs[i%3].lang,
			width: widths[i%4].w, screen: widths[i%4].screen,
			country: simGeo[first][0], region: simGeo[first][1],
		}
		for j, s := range simSources {
			if (i+j)%3 != 0 || j == 0 {
				v.acquisitions = append(v.acquisitions, s)
			}
		}
		vs = append(vs, v)
	}
	return vs
}

func writeSimGeo(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "geo.mmdb")
	var recs []geotest.Record
	for first, g := range simGeo {
		recs = append(recs, geotest.Record{Network: fmt.Sprintf("%d.0.0.0/8", first), Country: g[0], Subdivision: strings.TrimPrefix(g[1], g[0]+"-")})
	}
	geotest.WriteCityDB(t, path, recs)
	return path
}

// TestGroundTruth drives the real HTTP endpoint with a simulation of known
// visitors and checks every metric, for several breakdowns and filters,
// against values computed from the simulation's own records.
// TestGroundTruthClickHouse runs the same scenario on ClickHouse.
func TestGroundTruth(t *testing.T) {
	groundTruth(t)
}

// groundTruth runs the scenario on a server started with the extra flags
// (a -store).
func groundTruth(t *testing.T, storeArgs ...string) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	sim := newSimulation(7, "gt.example", tokyo, 4, simVisitors())
	t.Log(sim)
	args := append([]string{"-site", "gt.example=Asia/Tokyo,other.example", "-geoip", writeSimGeo(t), "-prop-key", "gt.example=plan",
		"-goal", "gt.example=event:Signup", "-goal", "gt.example=visit:/blog*"}, storeArgs...)
	srv := startTestServer(t, testOptions{args: args})
	noise := sim.noise()
	for _, h := range sim.hits {
		for len(noise) > 0 && !noise[0].at.After(h.at) {
			srv.clock.Set(noise[0].at)
			srv.hit(noise[0].ip, noise[0].ua, noise[0].payload, nil)
			noise = noise[1:]
		}
		srv.clock.Set(h.at)
		v := sim.visitors[h.visitor]
		status, body := srv.hit(v.ip, v.ua, sim.payload(h), map[string]string{"Accept-Language": v.lang})
		if status != 202 {
			t.Fatalf("hit %+v: %d %s", h, status, body)
		}
	}
	end := sim.hits[len(sim.hits)-1].at
	srv.clock.Set(end.Add(time.Minute))
	srv.flush()

	tr := truth{sim}
	cases := groundTruthCases(tr)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := srv.query(c.query).table()
			compareTables(t, c.query, got, c.want)
		})
	}
	defer groundTruthAged(t, srv, end, cases)
	t.Run("realtime", func(t *testing.T) {
		req := fmt.Sprintf("%s/api/v1/stats/realtime/visitors?site_id=gt.example", srv.url)
		_, body := srv.get(req)
		if want := fmt.Sprint(tr.realtime(end.Add(time.Minute))); body != want {
			t.Errorf("realtime visitors %s, want %s", body, want)
		}
	})
}

type gtCase struct {
	name  string
	query string
	want  map[string][]float64
}

const gtRange = `"site_id":"gt.example","date_range":["2026-03-09","2026-03-12"]`

func groundTruthCases(tr truth) []gtCase {
	s := tr.s
	none := constGroup("")
	country := func(h *simHit) string { return tr.visitor(h).country }
	entry := func(h *simHit) string { return tr.session(h).hits[0].path }
	source := func(h *simHit) string { return tr.session(h).source.name }
	channel := func(h *simHit) string { return tr.session(h).source.channel }
	paid := func(h *simHit) bool { return tr.session(h).source.channel == "Paid Search" }
	downloads := func(h *simHit) bool { return h.kind == "event" && h.name == "File Download" }
	path := func(h *simHit) string { return h.path }
	day := func(h *simHit) string { return s.day(h.at) }
	isJP := func(h *simHit) bool { return tr.visitor(h).country == "JP" }
	notDirect := func(h *simHit) bool { return tr.session(h).source.name != "Direct / None" }
	blog := func(h *simHit) bool { return strings.Contains(h.path, "/blog") }
	visits := tr.perSession(all, none, one)
	tops, timed := tr.timeOnPage(none)
	pathSeconds, pathTimed := tr.timeOnPage(path)

	return append([]gtCase{
		{"totals", `{` + gtRange + `,"metrics":["visitors","visits","pageviews","views_per_visit","bounce_rate","visit_duration","events","time_on_page"]}`,
			columns(tr.visitors(all, none), visits, tr.count(isView, none),
				ratio(tr.perSession(all, none, views), visits, 1, 2, false),
				ratio(tr.perSession(all, none, bounced), visits, 100, 0, false),
				ratio(tr.perSession(all, none, duration), visits, 1, 0, false),
				tr.count(isViewOrEvent, none), ratio(tops, timed, 1, 0, true))},
		{"by day", `{` + gtRange + `,"metrics":["visitors","visits","pageviews","bounce_rate"],"dimensions":["time:day"]}`,
			columns(tr.visitors(all, day), tr.perSession(all, day, one), tr.count(isView, day),
				ratio(tr.perSession(all, day, bounced), tr.perSession(all, day, one), 100, 0, false))},
		{"by page", `{` + gtRange + `,"metrics":["visitors","pageviews","bounce_rate","time_on_page"],"dimensions":["event:page"]}`,
			columns(tr.pageVisitors(all, path), tr.count(isView, path),
				ratio(tr.perSession(all, path, bounced), tr.perSession(all, path, one), 100, 0, false),
				ratio(pathSeconds, pathTimed, 1, 0, true))},
		{"by entry page", `{` + gtRange + `,"metrics":["visitors","visits","bounce_rate","visit_duration"],"dimensions":["visit:entry_page"]}`,
			columns(tr.entryVisitors(entry), tr.perSession(all, entry, one),
				ratio(tr.perSession(all, entry, bounced), tr.perSession(all, entry, one), 100, 0, false),
				ratio(tr.perSession(all, entry, duration), tr.perSession(all, entry, one), 1, 0, false))},
		{"by exit page", `{` + gtRange + `,"metrics":["visits"],"dimensions":["visit:exit_page"]}`,
			columns(tr.exits(path))},
		{"by source", `{` + gtRange + `,"metrics":["visitors","visits","bounce_rate","visit_duration"],"dimensions":["visit:source"]}`,
			columns(tr.sourceVisitors(all, source), tr.perSession(all, source, one),
				ratio(tr.perSession(all, source, bounced), tr.perSession(all, source, one), 100, 0, false),
				ratio(tr.perSession(all, source, duration), tr.perSession(all, source, one), 1, 0, false))},
		{"by country", `{` + gtRange + `,"metrics":["visitors","visits","pageviews"],"dimensions":["visit:country"]}`,
			dropEmpty(columns(tr.visitors(all, country), tr.perSession(all, country, one), tr.count(isView, country)))},
		{"by region", `{` + gtRange + `,"metrics":["visitors"],"dimensions":["visit:region"]}`,
			dropEmpty(columns(tr.visitors(all, func(h *simHit) string { return tr.visitor(h).region })))},
		{"JP by browser", `{` + gtRange + `,"metrics":["visitors","pageviews"],"dimensions":["visit:browser"],"filters":[["is","visit:country",["JP"]]]}`,
			columns(tr.visitors(isJP, func(h *simHit) string { return tr.visitor(h).browser }),
				tr.count(func(h *simHit) bool { return isView(h) && isJP(h) }, func(h *simHit) string { return tr.visitor(h).browser }))},
		{"by event name", `{` + gtRange + `,"metrics":["visitors","events"],"dimensions":["event:name"]}`,
			columns(tr.eventVisitors(eventName), tr.count(isViewOrEvent, eventName))},
		{"blog pages by device", `{` + gtRange + `,"metrics":["visitors","pageviews"],"dimensions":["visit:device"],"filters":[["contains","event:page",["/blog"]]]}`,
			columns(tr.pageVisitors(blog, func(h *simHit) string { return tr.visitor(h).device }),
				tr.count(func(h *simHit) bool { return isView(h) && blog(h) }, func(h *simHit) string { return tr.visitor(h).device }))},
		{"not direct", `{` + gtRange + `,"metrics":["visitors","visits"],"filters":[["is_not","visit:source",["Direct / None"]]]}`,
			columns(tr.sourceVisitors(notDirect, none), tr.perSession(notDirect, none, one))},
		{"by channel", `{` + gtRange + `,"metrics":["visitors","visits","bounce_rate"],"dimensions":["visit:channel"]}`,
			columns(tr.sourceVisitors(all, channel), tr.perSession(all, channel, one),
				ratio(tr.perSession(all, channel, bounced), tr.perSession(all, channel, one), 100, 0, false))},
		{"paid search", `{` + gtRange + `,"metrics":["visitors","visits","pageviews"],"filters":[["is","visit:channel",["Paid Search"]]]}`,
			orZeros(columns(tr.sourceVisitors(paid, none), tr.perSession(paid, none, one), tr.count(func(h *simHit) bool { return isView(h) && paid(h) }, none)), 3)},
		{"downloads by url", `{` + gtRange + `,"metrics":["visitors","events"],"dimensions":["event:props:url"],"filters":[["is","event:name",["File Download"]]]}`,
			columns(tr.propVisitors("url", downloads), tr.count(downloads, keptProp("url")))},
		{"links by url", `{` + gtRange + `,"metrics":["visitors","events"],"dimensions":["event:props:url"]}`,
			columns(tr.propVisitors("url", all), tr.count(hasProp("url"), keptProp("url")))},
		{"by plan", `{` + gtRange + `,"metrics":["visitors","events"],"dimensions":["event:props:plan"]}`,
			columns(tr.propVisitors("plan", all), tr.count(hasProp("plan"), keptProp("plan")))},
		{"plan pro by country", `{` + gtRange + `,"metrics":["visitors"],"dimensions":["visit:country"],"filters":[["is","event:props:plan",["pro"]]]}`,
			dropEmpty(columns(tr.propVisitorsBy("plan", func(h *simHit) bool { return h.kept["plan"] == "pro" }, country)))},
		{"by campaign", `{` + gtRange + `,"metrics":["visitors","visits"],"dimensions":["visit:utm_campaign"]}`,
			blankAs("(not set)", columns(tr.sourceVisitors(all, func(h *simHit) string { return tr.session(h).source.utmCampaign }),
				tr.perSession(all, func(h *simHit) string { return tr.session(h).source.utmCampaign }, one)))},
		{"by screen", `{` + gtRange + `,"metrics":["visitors"],"dimensions":["visit:screen"]}`,
			columns(tr.visitors(all, func(h *simHit) string { return tr.visitor(h).screen }))},
		{"by language", `{` + gtRange + `,"metrics":["visitors"],"dimensions":["visit:language"]}`,
			columns(tr.visitors(all, func(h *simHit) string { return tr.visitor(h).language }))},
		{"by os", `{` + gtRange + `,"metrics":["visitors"],"dimensions":["visit:os"]}`,
			columns(tr.visitors(all, func(h *simHit) string { return tr.visitor(h).os }))},
		{"search terms", `{` + gtRange + `,"metrics":["pageviews"],"dimensions":["search_term"]}`,
			dropEmpty(columns(tr.count(isView, func(h *simHit) string { return h.searchTerm })))},
		{"DE by day", `{` + gtRange + `,"metrics":["visitors"],"dimensions":["time:day"],"filters":[["is","visit:country",["DE"]]]}`,
			columns(tr.visitors(func(h *simHit) bool { return tr.visitor(h).country == "DE" }, day))},
	}, goalCases(tr, country)...)
}

// goalCases check the goals of the scenario (-goal gt.example=event:Signup,
// -goal gt.example=visit:/blog*) and their conversion rates: a goal's
// visitors are the daily unique visitors who fired the event, or Σ the
// daily unique visitors of each matching page, capped per day at the
// day's visitors (docs/metrics.md, Goals).
func goalCases(tr truth, country group) []gtCase {
	signup := func(h *simHit) bool { return h.kind == "event" && h.name == "Signup" }
	blogView := func(h *simHit) bool { return isView(h) && strings.HasPrefix(h.path, "/blog") }
	goal := func(h *simHit) string {
		if signup(h) {
			return "Signup"
		}
		return "Visit /blog*"
	}
	goalVisitors := tr.dailyUnique(signup, goal, tr.whoVisitor)
	// The page goal's Σ per page is capped per day at the day's visitors.
	day := func(h *simHit) string { return tr.s.day(h.at) }
	dayVisitors := tr.visitors(all, day)
	for k, v := range tr.pageVisitors(blogView, func(h *simHit) string { return day(h) + "|" + goal(h) }) {
		d, g, _ := strings.Cut(k, "|")
		goalVisitors[g] += math.Min(v, dayVisitors[d])
	}
	completes := func(h *simHit) bool { return signup(h) || blogView(h) }
	total := tr.visitors(all, constGroup(""))[""]
	perGoal := map[string]float64{}
	for k := range goalVisitors {
		perGoal[k] = total
	}
	signupBy := tr.dailyUnique(signup, country, tr.whoVisitor)
	return []gtCase{
		{"by goal", `{` + gtRange + `,"metrics":["visitors","events","conversion_rate"],"dimensions":["event:goal"]}`,
			columns(goalVisitors, tr.count(completes, goal), ratio(goalVisitors, perGoal, 100, 2, false))},
		{"signup by country", `{` + gtRange + `,"metrics":["visitors","group_conversion_rate"],"dimensions":["visit:country"],"filters":[["is","event:goal",["Signup"]]]}`,
			dropEmpty(columns(signupBy, ratio(signupBy, tr.visitors(all, country), 100, 2, false)))},
	}
}

// orZeros is the answer of an aggregate without dimensions whose filter
// selects nothing: one row of zeros.
func orZeros(t map[string][]float64, n int) map[string][]float64 {
	if len(t) == 0 {
		t = map[string][]float64{"": make([]float64, n)}
	}
	return t
}

// columns zips per-group maps into rows of metric values.
func columns(maps ...map[string]float64) map[string][]float64 {
	out := map[string][]float64{}
	for i, m := range maps {
		for k, v := range m {
			if out[k] == nil {
				out[k] = make([]float64, len(maps))
			}
			out[k][i] = v
		}
		_ = i
	}
	return out
}

// blankAs renames the empty value's row to the label a breakdown shows it
// under (Plausible's "(not set)", "Direct / None").
func blankAs(label string, m map[string][]float64) map[string][]float64 {
	if v, ok := m[""]; ok {
		delete(m, "")
		m[label] = v
	}
	return m
}

func dropEmpty(m map[string][]float64) map[string][]float64 {
	delete(m, "")
	return m
}

func compareTables(t *testing.T, query string, got, want map[string][]float64) {
	t.Helper()
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	slices.Sort(sorted)
	for _, k := range sorted {
		g, w := got[k], want[k]
		if len(g) != len(w) || !slices.EqualFunc(g, w, func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }) {
			t.Errorf("%q: got %v, want %v", k, g, w)
		}
	}
	if t.Failed() {
		t.Logf("query %s", query)
	}
}

// realtime counts visitors whose last hit is within 5 minutes before now.
func (t truth) realtime(now time.Time) int {
	last := map[int]time.Time{}
	for _, h := range t.s.hits {
		last[h.visitor] = h.at
	}
	n := 0
	for _, at := range last {
		if !at.Before(now.Add(-5 * time.Minute)) {
			n++
		}
	}
	return n
}

// noiseHit is a hit that must not count: a bot, referrer spam, another site.
type noiseHit struct {
	at      time.Time
	ip, ua  string
	payload map[string]any
}

func (s *simulation) noise() []noiseHit {
	var out []noiseHit
	bots := []string{
		"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
		"curl/8.5.0",
		"python-requests/2.31.0",
	}
	for i := range 40 {
		at := s.days[0].Add(time.Duration(i) * 97 * time.Minute)
		p := map[string]any{"n": "pageview", "u": "https://" + s.site + "/", "d": s.site}
		h := noiseHit{at: at, ip: fmt.Sprintf("11.%d.9.9", i), ua: simUAs[0].ua, payload: p}
		switch i % 3 {
		case 0:
			h.ua = bots[i%len(bots)]
		case 1:
			p["r"] = "https://semalt.com/offer"
		case 2:
			p["d"], p["u"] = "other.example", "https://other.example/"
		}
		out = append(out, h)
	}
	return out
}

// groundTruthAged runs an ageing pass 60 days after the last hit, which
// merges every row to days and generalises them, and asks every case
// again: each is answered exactly as the truth says, or refused with a
// 400 that names the ageing policy — never answered differently.
func groundTruthAged(t *testing.T, srv *testServer, end time.Time, cases []gtCase) {
	ager := ageingStore(t, srv)
	job, err := ageing.New(ageing.Config{Now: func() time.Time { return end.AddDate(0, 0, 60) }}, ageing.Deps{Store: ager, Sites: srv.inst.sites})
	if err != nil {
		t.Fatal(err)
	}
	// The audit's share of unique visitor tuples, before and after: the
	// measured privacy effect on the ground-truth scenario.
	gt, _ := srv.inst.sites.Lookup("gt.example")
	share := func(when string) {
		a, err := ager.(ageing.Auditor).Audit(context.Background(), gt.Domain, gt.Location, end)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := a.Write(&b); err != nil {
			t.Fatal(err)
		}
		t.Logf("audit %s ageing:\n%s", when, b.String())
	}
	share("before")
	st, err := job.Once(context.Background())
	if err != nil {
		t.Fatalf("ageing pass: %v", err)
	}
	share("after")
	if st.RowsAfter >= st.RowsBefore {
		t.Errorf("ageing pass: %+v, want fewer rows", st)
	}
	if ager != srv.inst.store {
		// The server reads its promise again after its cache's lifetime.
		time.Sleep(chAgeingStateTTL + time.Second)
	}
	answered := 0
	for _, c := range cases {
		t.Run("aged/"+c.name, func(t *testing.T) {
			status, body := srv.post("/api/v2/query", "application/json", []byte(c.query), map[string]string{"Authorization": "Bearer " + srv.inst.token})
			if status == http.StatusBadRequest && strings.Contains(body, "ageing policy") {
				return
			}
			if status != http.StatusOK {
				t.Fatalf("query %s: %d %s", c.query, status, body)
			}
			var res queryResponse
			if err := json.Unmarshal([]byte(body), &res); err != nil {
				t.Fatal(err)
			}
			compareTables(t, c.query, res.table(), c.want)
			answered++
		})
	}
	t.Logf("after ageing: %d of %d cases answered, the others refused", answered, len(cases))
	if answered < len(cases)/2 {
		t.Errorf("only %d of %d cases answered on aged rows", answered, len(cases))
	}
}

// chAgeingStateTTL is chstore's default cache lifetime of a promise.
const chAgeingStateTTL = 5 * time.Second

// ageingStore is the store an ageing pass of the test runs on: the
// server's own (DuckDB), or a second handle on the same ClickHouse
// database that merges without waiting for other servers' queries to
// see its promise (the test waits for the server's cache instead).
func ageingStore(t *testing.T, srv *testServer) ageing.Store {
	t.Helper()
	if !strings.HasPrefix(srv.cfg.store.store, "clickhouse://") {
		return srv.inst.store
	}
	cfg, err := srv.cfg.store.clickhouseConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.AgeingGrace = time.Millisecond
	st, err := chstore.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}
