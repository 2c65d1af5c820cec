package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// snippetHead loads Shukei's snippet build file with extra attributes,
// after the queue stub, and defines signup() as in the walk.
func snippetHead(domain, stats, file, attrs string) string {
	return `<script>window.shukei=window.shukei||function(){(shukei.q=shukei.q||[]).push(arguments)}
window.signup=()=>shukei('Signup')</script>
<script defer data-domain="` + domain + `" ` + attrs + ` src="` + stats + `/js/` + file + `"></script>`
}

// privacyEnv is a server, its recording proxy and the test site.
type privacyEnv struct {
	srv   *shukei
	st    *stats
	pages *site
}

const privacyDomain = "privacy.site.test"

func newPrivacyEnv(t *testing.T) *privacyEnv {
	t.Helper()
	srv := startShukei(t, privacyDomain)
	return &privacyEnv{srv: srv, st: startStats(t, srv), pages: startSite(t)}
}

// browse loads a page, fires a custom event, navigates by pushState and
// closes the tab: each of these would send a hit if the snippet ran.
func browse(tb *tab, url string) {
	tb.navigate(url)
	tb.click("signup")
	tb.click("push")
	tb.close()
}

// sendsNothing checks that no request at all reached the event endpoint.
func (e *privacyEnv) sendsNothing(t *testing.T, why string) {
	t.Helper()
	e.st.quiet()
	if hits := e.st.all(); len(hits) > 0 {
		t.Errorf("%s: the browser sent\n%s", why, e.st.dump())
	}
}

// withGPC makes the browser signal Global Privacy Control, as browsers
// that support it (and privacy extensions) do: navigator.globalPrivacyControl.
func withGPC(tb *tab) {
	tb.t.Helper()
	tb.must(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true, configurable: true})`,
		})
		return err
	}))
}

func TestGPCSendsNothingWhenTheSiteRespectsIt(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	e.pages.setHead(privacyDomain, snippetHead(privacyDomain, e.st.origin, "script.js", "data-respect-gpc"))
	tb := newTab(t, nil)
	withGPC(tb)
	browse(tb, e.pages.url(privacyDomain, "/"))
	e.sendsNothing(t, "GPC on, data-respect-gpc")
}

// TestGPCIgnoredWithoutTheAttribute is the control: the same browser is
// counted on a site that did not ask to respect GPC, so the test above
// would see hits if the snippet sent them.
func TestGPCIgnoredWithoutTheAttribute(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	e.pages.setHead(privacyDomain, snippetHead(privacyDomain, e.st.origin, "script.js", ""))
	tb := newTab(t, nil)
	withGPC(tb)
	browse(tb, e.pages.url(privacyDomain, "/"))
	e.st.waitCount("pageview", "/about/team", 1)
	e.st.waitCount("Signup", "/", 1)
}

// TestDoNotTrackSendsNothing turns on Chromium's own "Send a Do Not Track
// request" setting in the profile.
func TestDoNotTrackSendsNothing(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	e.pages.setHead(privacyDomain, snippetHead(privacyDomain, e.st.origin, "script.js", "data-respect-gpc"))
	profile := t.TempDir()
	if err := os.MkdirAll(filepath.Join(profile, "Default"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(profile, "Default", "Preferences"), []byte(`{"enable_do_not_track": true}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, map[string]any{"user-data-dir": profile})
	tb.navigate(e.pages.url(privacyDomain, "/"))
	if dnt := evalAs[string](tb, `String(navigator.doNotTrack)`); dnt != "1" {
		t.Fatalf("navigator.doNotTrack = %q; the profile setting did not apply", dnt)
	}
	tb.click("signup")
	tb.close()
	e.sendsNothing(t, "Do Not Track on, data-respect-gpc")
}

func TestOptOutSendsNothing(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	e.pages.setHead(privacyDomain, snippetHead(privacyDomain, e.st.origin, "script.js", ""))
	tb := newTab(t, nil)
	origin := e.pages.url(privacyDomain, "")
	tb.navigate(origin + "/")
	e.st.waitCount("pageview", "/", 1)
	if got := tb.storageEntries(origin); len(got) > 0 {
		t.Fatalf("stored before any choice: %v", got)
	}
	tb.eval(`shukei('optout')`)
	if got := tb.storageEntries(origin); strings.Join(got, ",") != "storage shukei_ignore=1" {
		t.Errorf("after shukei('optout') the origin stores %v, want only the flag", got)
	}
	before := len(e.st.all())
	tb.click("signup")
	tb.click("push")
	tb.navigate(origin + "/about")
	tb.click("signup")
	e.st.quiet()
	if n := len(e.st.all()); n != before {
		t.Errorf("opted out, the browser still sent:\n%s", e.st.dump())
	}
	// Opting in again removes the flag, and counting resumes.
	tb.eval(`shukei('optin')`)
	if got := tb.storageEntries(origin); len(got) > 0 {
		t.Errorf("after shukei('optin') the origin stores %v", got)
	}
	tb.click("signup")
	e.st.waitCount("Signup", "/about", 1)
}

// TestOptOutLink: a site's link to #shukei-optout records the choice, and
// the page it opens is not counted.
func TestOptOutLink(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	e.pages.setHead(privacyDomain, snippetHead(privacyDomain, e.st.origin, "script.js", ""))
	tb := newTab(t, nil)
	origin := e.pages.url(privacyDomain, "")
	tb.navigate(origin + "/privacy#shukei-optout")
	if got := tb.storageEntries(origin); strings.Join(got, ",") != "storage shukei_ignore=1" {
		t.Errorf("after the opt-out link the origin stores %v, want only the flag", got)
	}
	browse(tb, origin+"/")
	e.sendsNothing(t, "after following the opt-out link")
}

func TestLocalhostSendsNothingUnlessAllowed(t *testing.T) {
	t.Parallel()
	e := newPrivacyEnv(t)
	tb := newTab(t, nil)
	// The snippet says why it sends nothing, in the console, so that a
	// test page on a developer's machine is not taken for a broken install.
	var mu sync.Mutex
	var warnings []string
	go func() {
		for ev, err := range chromedp.Events(tb.ctx, runtime.ConsoleAPICalled) {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeWarning && len(ev.Args) > 0 {
				mu.Lock()
				warnings = append(warnings, string(ev.Args[0].Value))
				mu.Unlock()
			}
		}
	}()
	for _, host := range []string{"localhost", "127.0.0.1"} {
		e.pages.setHead(host, snippetHead(privacyDomain, e.st.origin, "script.js", ""))
		tb.navigate(e.pages.url(host, "/"))
		tb.click("signup")
		tb.click("push")
	}
	tb.navigate("about:blank")
	e.sendsNothing(t, "pages on localhost and 127.0.0.1")
	mu.Lock()
	if len(warnings) != 2 || !strings.Contains(warnings[0], "Shukei: local page, not counted") {
		t.Errorf("console warnings on the two local pages: %q", warnings)
	}
	mu.Unlock()

	// The local build counts there.
	e.pages.setHead("localhost", snippetHead(privacyDomain, e.st.origin, "script.local.js", ""))
	tb.navigate(e.pages.url("localhost", "/"))
	e.st.waitCount("pageview", "/", 1)
}
