package public

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/internal/browsertest"
)

// TestPublicPageInBrowser opens the public page in headless Chromium
// under its Content-Security-Policy: the style sheet applies, the chart
// is drawn, and the browser reports no error at all (a CSP violation, a
// failed load, an exception are each one).
func TestPublicPageInBrowser(t *testing.T) {
	server := serveHarness(t, newHarness(t, t.TempDir()))
	ctx := browsertest.New(t, browsertest.Options{})

	var mu sync.Mutex
	var problems []string
	note := func(s string) {
		mu.Lock()
		problems = append(problems, s)
		mu.Unlock()
	}
	entries := chromedp.Events(ctx, cdplog.EntryAdded)
	exceptions := chromedp.Events(ctx, runtime.ExceptionThrown)
	console := chromedp.Events(ctx, runtime.ConsoleAPICalled)
	go func() {
		for ev, err := range entries {
			if err != nil {
				return
			}
			if ev.Entry.Level == cdplog.EntryLevelError || ev.Entry.Level == cdplog.EntryLevelWarning {
				note(string(ev.Entry.Source) + ": " + ev.Entry.Text)
			}
		}
	}()
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			note("exception: " + ev.ExceptionDetails.Text)
		}
	}()
	go func() {
		for ev, err := range console {
			if err != nil {
				return
			}
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				note("console " + string(ev.Type))
			}
		}
	}()
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	base := server + "/public/" + exactSite
	for _, l := range []string{"ja", "en"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"?lang="+l)); err != nil {
			t.Fatal(err)
		}
		state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[document.documentElement.lang,
			getComputedStyle(document.body).maxWidth,
			document.querySelectorAll('figure.chart svg.wide .bars rect').length > 20,
			document.querySelectorAll('table').length,
			document.querySelector('#rules li').textContent].join('|')`))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(state, "|")
		if parts[0] != l || parts[1] != "1120px" || parts[2] != "true" || parts[3] != "19" {
			t.Errorf("%s: page state %q (want lang, styled body 1120px, a drawn chart, 19 tables)", l, state)
		}
		if !strings.Contains(parts[4], "10") {
			t.Errorf("%s: the first rule does not state k: %q", l, parts[4])
		}
	}
	// Let late events arrive, then check that there were none.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(r => setTimeout(() => r(true), 300))`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(problems) > 0 {
		t.Errorf("the browser reported: %q", problems)
	}
	mu.Unlock()

	// The listeners do hear a violation of the policy: an inline style
	// added to the page is refused with an error.
	_, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const d = document.createElement('div');
		d.setAttribute('style', 'color: red'); document.body.append(d); return true })()`))
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(problems)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an inline style was applied or not reported: the checks above would miss violations")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
