package browser

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// A tracker a walk runs with: Shukei's snippet, or one of Plausible's
// official trackers from npm pointed at Shukei.
type trackerSetup struct {
	name string
	// head is the page markup that loads the tracker for domain, sending
	// to the stats origin; it defines signup() for the custom event.
	head func(domain, stats string) string
	npm  bool
}

var ownTracker = trackerSetup{name: "shukei", head: func(domain, stats string) string {
	return `<script>window.shukei=window.shukei||function(){(shukei.q=shukei.q||[]).push(arguments)}
window.signup=()=>shukei('Signup',{props:{plan:'free'}})</script>
<script defer data-domain="` + domain + `" src="` + stats + `/js/script.outbound-links.file-downloads.js"></script>`
}}

// plausibleTracker is @plausible-analytics/tracker, configured as its
// README says, with its outbound-link and file-download tracking on.
var plausibleTracker = trackerSetup{name: "@plausible-analytics/tracker", npm: true, head: func(domain, stats string) string {
	return `<script type="module">
import { init, track } from '/npm/@plausible-analytics/tracker/plausible.js'
init({ domain: '` + domain + `', endpoint: '` + stats + `/api/event', outboundLinks: true, fileDownloads: true })
window.signup = () => track('Signup', { props: { plan: 'free' } })
</script>`
}}

// legacyTracker is the older plausible-tracker. It has no engagement
// reports and no download tracking, and its outbound tracking sends the
// tab itself to the link, so the page counts those clicks with
// trackEvent, as sites using it do.
var legacyTracker = trackerSetup{name: "plausible-tracker", npm: true, head: func(domain, stats string) string {
	return `<script type="module">
import Plausible from '/npm/plausible-tracker/build/module/index.js'
const { trackEvent, enableAutoPageviews } = Plausible({ domain: '` + domain + `', apiHost: '` + stats + `' })
enableAutoPageviews()
window.signup = () => trackEvent('Signup', { props: { plan: 'free' } })
for (const [id, name] of [['out', 'Outbound Link: Click'], ['dl', 'File Download']])
  document.getElementById(id).addEventListener('click', (e) => trackEvent(name, { props: { url: e.currentTarget.href } }))
</script>`
}}

// dwell is how long the walk stays on a page, visible.
const dwell = 2 * time.Second

// walk is the visit of the issue: load, follow a link, navigate by
// pushState (and a replaceState to the same URL, which must not count), go
// back, click an outbound link and a download, fire a custom event,
// switch tabs and come back, close the page. beforeClose runs just before
// the close. It returns how long the walk took.
func walk(tb *tab, st *stats, start string, beforeClose func()) time.Duration {
	began := time.Now()
	tb.navigate(start + "/")
	st.waitCount("pageview", "/", 1)
	time.Sleep(dwell)

	tb.follow("about")
	st.waitCount("pageview", "/about", 1)
	time.Sleep(dwell)

	tb.click("push")
	st.waitCount("pageview", "/about/team", 1)
	tb.click("replace")
	time.Sleep(dwell)

	tb.eval(`history.back()`)
	st.waitCount("pageview", "/about", 2)
	time.Sleep(dwell)

	tb.clickToNewTab("out", "elsewhere.test")
	st.waitCount("Outbound Link: Click", "/about", 1)
	tb.click("dl")
	st.waitCount("File Download", "/about", 1)
	tb.click("signup")
	st.waitCount("Signup", "/about", 1)

	tb.switchAway(2 * time.Second)
	// Plausible's tracker reports engaged time again only past 3 s.
	time.Sleep(3500 * time.Millisecond)
	beforeClose()
	tb.close()
	st.quiet()
	return time.Since(began)
}

func TestWalkShukeiSnippet(t *testing.T)    { runWalk(t, ownTracker) }
func TestWalkPlausibleTracker(t *testing.T) { runWalk(t, plausibleTracker) }
func TestWalkLegacyPlausible(t *testing.T)  { runWalk(t, legacyTracker) }

// runWalk walks a site embedding the tracker, checks that the Stats API
// reports exactly that visit, and that the browser keeps nothing of it.
func runWalk(t *testing.T, tr trackerSetup) {
	// Walks may run side by side: each has its own browser, server and
	// site, and its time checks are bounds measured around its own steps.
	t.Parallel()
	if tr.npm {
		requireNPM(t)
	}
	tb := newTab(t, nil)
	const domain = "walk.site.test"
	srv := startShukei(t, domain)
	st := startStats(t, srv)
	pages := startSite(t)
	pages.setHead(domain, tr.head(domain, st.origin))

	var stored []string
	took := walk(tb, st, pages.url(domain, ""), func() {
		// The tracker runs in the page's origin; the stats origin has no
		// page, and its cookies are checked below.
		stored = tb.storageEntries(pages.url(domain, ""))
	})
	if len(stored) > 0 {
		t.Errorf("after the walk the browser keeps %v", stored)
	}
	if c := tb.cookies(); len(c) > 0 {
		t.Errorf("cookies after the walk: %v", c)
	}
	for _, h := range st.all() {
		if h.Status != 202 {
			t.Errorf("%s was answered %d", h, h.Status)
		}
	}
	srv.settle()
	checkWalkStats(t, srv, tr, took)
	t.Logf("%s sent:\n%s", tr.name, st.dump())
}

// want is one line of the expected-versus-reported table.
type want struct {
	what     string
	expected string
	reported string
	ok       bool
}

func checkWalkStats(t *testing.T, srv *shukei, tr trackerSetup, took time.Duration) {
	var table []want
	add := func(what string, expected, reported float64) {
		table = append(table, want{what, fmt.Sprint(expected), fmtNum(reported), expected == reported})
	}
	q := func(metrics []string, dims ...string) map[string][]float64 {
		m := map[string]any{"site_id": "walk.site.test", "date_range": "all", "metrics": metrics}
		if len(dims) > 0 {
			m["dimensions"] = dims
		}
		return srv.query(m)
	}
	agg := q([]string{"visitors", "visits", "pageviews", "events", "bounce_rate", "visit_duration"})[""]
	for i, name := range []string{"visitors", "visits", "pageviews", "events", "bounce_rate"} {
		add(name, []float64{1, 1, 4, 7, 0}[i], agg[i])
	}
	pages := q([]string{"pageviews", "time_on_page"}, "event:page")
	for _, p := range []struct {
		path  string
		views float64
	}{{"/", 1}, {"/about", 2}, {"/about/team", 1}} {
		add("pageviews of "+p.path, p.views, pages[p.path][0])
	}
	add("pages", 3, float64(len(pages)))
	entries := q([]string{"visits"}, "visit:entry_page")
	add("entry page / (visits)", 1, entries["/"][0])
	add("entry pages", 1, float64(len(entries)))
	exits := q([]string{"visits"}, "visit:exit_page")
	add("exit page /about (visits)", 1, exits["/about"][0])
	add("exit pages", 1, float64(len(exits)))
	names := q([]string{"events"}, "event:name")
	for _, n := range []string{"Outbound Link: Click", "File Download", "Signup"} {
		add("events "+n, 1, names[n][0])
	}
	// Time on page: each page was visible at least `dwell` (rounded to
	// whole seconds) and nothing can exceed the walk itself.
	lo, hi := math.Floor(dwell.Seconds()), math.Ceil(took.Seconds())
	for _, p := range []string{"/", "/about", "/about/team"} {
		top := pages[p][1]
		table = append(table, want{"time on page " + p + " (s)", fmt.Sprintf("%g..%g", lo, hi), fmtNum(top), top >= lo && top <= hi})
	}
	dur := agg[5]
	table = append(table, want{"visit duration (s)", fmt.Sprintf("%g..%g", 4*lo, hi), fmtNum(dur), dur >= 4*lo && dur <= hi})

	reportTable(t, fmt.Sprintf("%s, walk of %.1fs", tr.name, took.Seconds()), table)
}

// reportTable logs the expected-versus-reported table, as an error when a
// line does not hold.
func reportTable(t *testing.T, title string, table []want) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:\n| what | expected | reported |\n|---|---|---|\n", title)
	failed := false
	for _, w := range table {
		mark := ""
		if !w.ok {
			mark, failed = " ✗", true
		}
		fmt.Fprintf(&b, "| %s | %s | %s%s |\n", w.what, w.expected, w.reported, mark)
	}
	if failed {
		t.Error(b.String())
	} else {
		t.Log(b.String())
	}
}

func fmtNum(v float64) string {
	if v < 0 {
		return "null"
	}
	return fmt.Sprint(v)
}
