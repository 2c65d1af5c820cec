package browser

import (
	"slices"
	"testing"
	"time"
)

// pageviews lists the paths of the recorded page views, in arrival order.
func (s *stats) pageviews() []string {
	var out []string
	for _, h := range s.all() {
		if h.name() == "pageview" {
			out = append(out, h.path())
		}
	}
	return out
}

// TestSnippetSPANavigation: every history change to a new page counts
// once; a change of the query only, or to the same URL, does not. Calls
// queued before the script loaded are sent after the first page view.
func TestSnippetSPANavigation(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	// The page records the order in which the snippet hands its reports to
	// the browser: two beacons travel on separate connections, so the
	// server may receive them in either order.
	e.pages.setHead(privacyDomain, `<script>window.sentNames=[];window.sentPages=[];const beacon=navigator.sendBeacon.bind(navigator);
navigator.sendBeacon=(url,body)=>{const b=JSON.parse(body);window.sentNames.push(b.n);if(b.n==='pageview'){window.sentPages.push(new URL(b.u).pathname)}return beacon(url,body)}</script>
<script>window.shukei=window.shukei||function(){(shukei.q=shukei.q||[]).push(arguments)}
shukei('Queued', {props: {early: true}})</script>
<script defer data-domain="`+privacyDomain+`" src="`+e.st.origin+`/js/script.js"></script>`)
	tb := newTab(t, nil)
	tb.navigate(e.pages.url(privacyDomain, "/"))
	e.st.waitCount("Queued", "/", 1)
	if sent := evalAs[[]string](tb, `window.sentNames`); len(sent) < 2 || sent[0] != "pageview" || sent[1] != "Queued" {
		t.Errorf("the snippet sent %v: the queued event should follow the first page view", sent)
	}
	tb.eval(`history.pushState({}, '', '/a')`)
	tb.eval(`history.pushState({}, '', '/a?tab=2')`)
	tb.eval(`history.replaceState(history.state, '', location.href)`)
	tb.eval(`history.replaceState({}, '', '/b')`)
	tb.eval(`history.back()`)
	e.st.waitCount("pageview", "/a", 2)
	// The order is the one the snippet sent them in; the server receives
	// the same page views, in whatever order the connections deliver them.
	want := []string{"/", "/a", "/b", "/a"}
	if sent := evalAs[[]string](tb, `window.sentPages`); !slices.Equal(sent, want) {
		t.Errorf("the snippet sent page views %v, want %v", sent, want)
	}
	tb.close()
	e.st.quiet()
	got := e.st.pageviews()
	slices.Sort(got)
	sorted := slices.Clone(want)
	slices.Sort(sorted)
	if !slices.Equal(got, sorted) {
		t.Errorf("page views received %v, want %v in any order; sent:\n%s", got, want, e.st.dump())
	}
}

// TestSnippetHashRouting: the hash build counts fragment changes as pages.
func TestSnippetHashRouting(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	e.pages.setHead(privacyDomain, snippetHead(privacyDomain, e.st.origin, "script.hash.js", ""))
	tb := newTab(t, nil)
	tb.navigate(e.pages.url(privacyDomain, "/app#/home"))
	e.st.waitCount("pageview", "/app#/home", 1)
	tb.eval(`location.hash = '#/settings'`)
	e.st.waitCount("pageview", "/app#/settings", 1)
	tb.eval(`location.hash = '#/settings'`)
	tb.close()
	e.st.quiet()
	for _, h := range e.st.all() {
		if h.Body["h"] != 1.0 {
			t.Errorf("%s without h=1", h)
		}
	}
	if got := e.st.pageviews(); len(got) != 2 {
		t.Errorf("page views %v", got)
	}
}

// TestSnippetBackForward: coming back to a page by the back button counts
// it again, whether the browser restores it from its back/forward cache
// or loads it anew.
func TestSnippetBackForward(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	e.pages.setHead(privacyDomain, snippetHead(privacyDomain, e.st.origin, "script.js", ""))
	tb := newTab(t, nil)
	tb.navigate(e.pages.url(privacyDomain, "/"))
	e.st.waitCount("pageview", "/", 1)
	tb.follow("about")
	e.st.waitCount("pageview", "/about", 1)
	tb.eval(`history.back()`)
	e.st.waitCount("pageview", "/", 2)
}

// TestSnippetEngagementAcrossTabSwitches: engaged time is reported each
// time the page is hidden, counts only while it is visible, and keeps
// adding up after the visitor comes back.
func TestSnippetEngagementAcrossTabSwitches(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	e.pages.setHead(privacyDomain, snippetHead(privacyDomain, e.st.origin, "script.js", ""))
	tb := newTab(t, nil)
	const visible, hidden = 1500 * time.Millisecond, 3 * time.Second
	loading := time.Now()
	tb.navigate(e.pages.url(privacyDomain, "/"))
	time.Sleep(visible)
	back := tb.switchAway(hidden)
	time.Sleep(visible)
	tb.close()
	e.st.waitCount("engagement", "/", 2)
	// Upper bounds, measured: the page was shown at most from the load to
	// the return, and from the return to the arrival of the last report.
	firstShown, secondShown := back.Sub(loading), time.Since(back)
	e.st.quiet()

	var reports []float64
	for _, h := range e.st.all() {
		if h.name() == "engagement" {
			reports = append(reports, h.Body["e"].(float64))
		}
	}
	if len(reports) != 2 {
		t.Fatalf("engagement reports %v, want one when hidden and one when closed:\n%s", reports, e.st.dump())
	}
	ms := func(d time.Duration) float64 { return float64(d.Milliseconds()) }
	if reports[0] < ms(visible) || reports[0] > ms(firstShown) {
		t.Errorf("first report %vms, want between %v and %v", reports[0], visible, firstShown)
	}
	// The second report cannot exceed the time since the page came back:
	// the hidden seconds are not counted.
	if reports[1] < ms(visible) || reports[1] > ms(secondShown) {
		t.Errorf("second report %vms, want between %v and %v", reports[1], visible, secondShown)
	}
	e.srv.settle()
	res := e.srv.query(map[string]any{"site_id": privacyDomain, "date_range": "all",
		"metrics": []string{"time_on_page"}, "dimensions": []string{"event:page"}})
	// Both reports add up (each rounds to at least 2 s).
	if top := res["/"]; len(top) != 1 || top[0] < 3 {
		t.Errorf("time on page of / = %v, want both reports added", top)
	}
}
