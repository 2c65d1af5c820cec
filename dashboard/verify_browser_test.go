package dashboard

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/dashboard/dashtest"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// sitePage is the site's page the installation check fetches: its HTML
// and Content-Security-Policy change as the administrator fixes them.
type sitePage struct {
	mu        sync.Mutex
	html, csp string
}

func (p *sitePage) set(html, csp string) {
	p.mu.Lock()
	p.html, p.csp = html, csp
	p.mu.Unlock()
}

func (p *sitePage) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.csp != "" {
		w.Header().Set("Content-Security-Policy", p.csp)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(p.html))
}

// TestWaitingAndVerifyInstallation: a site with nothing counted shows the
// tag to paste and the installation check rather than zeros; the check
// fetches the site's page (a real HTTP server standing for the site) and
// says what is wrong — no tag, the wrong domain, a Content-Security-Policy
// that blocks the script — until the tag is right; the first page view
// then replaces the waiting box with the statistics.
func TestWaitingAndVerifyInstallation(t *testing.T) {
	page := &sitePage{}
	pages := httptest.NewServer(page)
	t.Cleanup(pages.Close)
	// The site's host name leads to the page server, as DNS would.
	dial := &net.Dialer{Timeout: 5 * time.Second}
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dial.DialContext(ctx, network, pages.Listener.Addr().String())
	}}}
	const domain = "new.example"
	h := newHarness(t, harnessOpts{flagSites: []*site.Site{{Domain: domain, Location: time.UTC}}, verify: client})
	h.setupOwner("owner")
	base := h.serve()

	// Japanese first: the English run ends with the first page view.
	for _, lang := range []string{"ja", "en"} {
		b := dashtest.New(t, base, lang, "")
		b.SignIn("owner", testPassword)
		b.SetLanguage(lang)
		b.SetViewport(dashtest.Phone)
		b.Navigate("/sites/" + domain)
		b.WaitFor(`document.getElementById('board').dataset.waiting === 'true' && !document.getElementById('waiting').hidden`)
		snippet := dashtest.Eval[string](b, `document.getElementById('waiting-snippet').textContent`)
		if !strings.Contains(snippet, `data-domain="`+domain+`"`) || !strings.Contains(snippet, base+"/js/script.js") {
			t.Fatalf("the waiting box's tag: %s", snippet)
		}
		if problems := b.CheckLayout(dashtest.LayoutRules{MinFirstColumn: 0}); len(problems) > 0 {
			t.Errorf("%s: layout of the waiting box at 390 px: %q", lang, problems)
		}
		b.Screenshot("waiting-" + lang + "-phone")
		if lang == "ja" {
			b.CheckClean()
			continue
		}

		verify := func(url, want string) []string {
			t.Helper()
			b.Do(chromedp.SetValue(chromedp.CSS(`#verify-url`), url), chromedp.Click(chromedp.CSS(`#verify-form button[type=submit]`)))
			b.WaitFor(`document.querySelector('#verify-result .checks, #verify-result .error') !== null && !document.querySelector('#verify-form button').disabled`)
			got := dashtest.Eval[[]string](b, `[...document.querySelectorAll('#verify-result li, #verify-result .error')].map(li => li.className + ': ' + li.textContent)`)
			if !strings.Contains(strings.Join(got, "\n"), want) {
				t.Errorf("verifying %s: %q, want %q", url, got, want)
			}
			return got
		}
		// A page of another site is not fetched.
		verify("https://elsewhere.example/", "Give the address of a page of new.example")
		// No tag yet.
		page.set(`<!doctype html><title>City</title><p>Welcome`, "")
		verify("http://"+domain+"/", "check-bad: No Shukei tag on the page")
		// The tag of another site.
		page.set(`<script defer data-domain="old.example" src="`+base+`/js/script.js"></script>`, "")
		verify("http://"+domain+"/", `check-bad: Wrong domain: the tag says data-domain="old.example"`)
		// The right tag, blocked by the page's policy.
		page.set(snippet, "default-src 'self'; script-src 'self' https://cdn.example")
		verify("http://www."+domain+"/", "check-bad: Blocked: the page's Content-Security-Policy (script-src) does not allow "+base)
		// Allowed: the check passes.
		page.set("<html><head>"+snippet+"</head></html>", "default-src 'self'; script-src 'self' "+base+"; connect-src "+base)
		got := verify("http://"+domain+"/", "check-ok: The tag is in place.")
		for _, l := range got {
			if strings.HasPrefix(l, "check-bad") {
				t.Errorf("a passing check still reports %q", l)
			}
		}
		b.Screenshot("verify-ok-en-phone")

		// The first page view arrives: the waiting box gives way to the
		// statistics at its next look.
		var rows []event.Row
		for r := range storetest.GenerateRows(3, 5, storetest.GenOptions{Start: h.clock.Now().Add(-time.Hour), Days: 1, Sites: []string{domain}}) {
			rows = append(rows, r)
		}
		if err := h.events.Append(context.Background(), rows); err != nil {
			t.Fatal(err)
		}
		b.Do(chromedp.Evaluate[chromedp.Void](`document.dispatchEvent(new Event('visibilitychange'))`))
		b.WaitFor(`document.getElementById('waiting').hidden && document.getElementById('board').dataset.waiting === 'false'`)
		b.CheckClean()
	}
}
