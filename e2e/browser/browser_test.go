package browser

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cachestorage"
	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/indexeddb"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/internal/browsertest"
)

// tab is one browser tab of a test.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// newTab starts Chromium with every *.test host mapped to loopback, as a
// person's browser would see a real site: focused, without the automation
// flag, downloads refused (so a download link changes nothing on disk).
// flags are extra Chromium flags.
func newTab(t *testing.T, flags map[string]any) *tab {
	t.Helper()
	all := map[string]any{"disable-blink-features": "AutomationControlled"}
	for k, v := range flags {
		all[k] = v
	}
	ctx := browsertest.New(t, browsertest.Options{HostRules: "MAP *.test 127.0.0.1", Flags: all, Timeout: 2 * time.Minute})
	tb := &tab{t: t, ctx: ctx}
	tb.focus(true)
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorDeny}); err != nil {
		t.Fatal(err)
	}
	return tb
}

// focus makes the page focused, as the window a person looks at is (a
// headless window has no focus; Plausible's tracker counts engaged time
// only while the page has it). It is turned off while another tab is in
// front, or the page would stay visible behind it.
func (tb *tab) focus(on bool) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: on}); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) must(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) navigate(url string) { tb.t.Helper(); tb.must(chromedp.Navigate(url)) }

// follow clicks a link and waits for the new page to load.
func (tb *tab) follow(id string) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.ID(id)))); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tab) click(id string) { tb.t.Helper(); tb.must(chromedp.Click(chromedp.ID(id))) }

func (tb *tab) eval(js string) {
	tb.t.Helper()
	tb.must(chromedp.Evaluate[chromedp.Void](js))
}

func evalAs[T any](tb *tab, js string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		tb.t.Fatal(err)
	}
	return v
}

func (tb *tab) id() target.ID { return chromedp.FromContext(tb.ctx).Target.TargetID }

// clickToNewTab clicks a target=_blank link, waits for the tab it opens
// and closes it, then brings this tab to the front again.
func (tb *tab) clickToNewTab(id, urlPart string) {
	tb.t.Helper()
	opened := chromedp.WaitNewTarget(tb.ctx, func(i *target.Info) bool { return strings.Contains(i.URL, urlPart) })
	tb.focus(false)
	tb.click(id)
	select {
	case other := <-opened:
		tb.closeTarget(other)
	case <-time.After(15 * time.Second):
		tb.t.Fatalf("clicking #%s opened no tab", id)
	}
	tb.activate()
}

// switchAway opens another tab in front of this one (hiding this page, as
// a visitor switching tabs does), waits, and comes back. It returns when
// it started to bring this tab back.
func (tb *tab) switchAway(hidden time.Duration) time.Time {
	tb.t.Helper()
	tb.focus(false)
	res, err := chromedp.CallBrowser(tb.ctx, target.CreateTarget, target.CreateTargetParams{URL: "about:blank"})
	if err != nil {
		tb.t.Fatal(err)
	}
	time.Sleep(hidden)
	back := time.Now()
	tb.activate()
	tb.closeTarget(res.TargetID)
	return back
}

// activate brings this tab to the front, focused.
func (tb *tab) activate() {
	tb.t.Helper()
	if _, err := chromedp.CallBrowser(tb.ctx, target.ActivateTarget, target.ActivateTargetParams{TargetID: tb.id()}); err != nil {
		tb.t.Fatal(err)
	}
	tb.focus(true)
}

func (tb *tab) closeTarget(id target.ID) {
	tb.t.Helper()
	if _, err := chromedp.CallBrowser(tb.ctx, target.CloseTarget, target.CloseTargetParams{TargetID: id}); err != nil {
		tb.t.Fatal(err)
	}
}

// close closes this tab as a visitor closing it would.
func (tb *tab) close() { tb.t.Helper(); tb.closeTarget(tb.id()) }

// storageEntries lists, through the DevTools protocol, everything the
// origin keeps in the browser: local and session storage items,
// IndexedDB databases and Cache Storage caches.
func (tb *tab) storageEntries(origin string) []string {
	tb.t.Helper()
	var found []string
	for _, local := range []bool{true, false} {
		res, err := chromedp.Call(tb.ctx, domstorage.GetDOMStorageItems, domstorage.GetDOMStorageItemsParams{
			StorageID: &domstorage.StorageID{SecurityOrigin: origin, IsLocalStorage: local}})
		if err != nil {
			tb.t.Fatal(err)
		}
		for _, item := range res.Entries {
			found = append(found, "storage "+strings.Join(item, "="))
		}
	}
	dbs, err := chromedp.Call(tb.ctx, indexeddb.RequestDatabaseNames, indexeddb.RequestDatabaseNamesParams{SecurityOrigin: origin})
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, name := range dbs.DatabaseNames {
		found = append(found, "indexeddb "+name)
	}
	caches, err := chromedp.Call(tb.ctx, cachestorage.RequestCacheNames, cachestorage.RequestCacheNamesParams{SecurityOrigin: origin})
	if err != nil {
		tb.t.Fatal(err)
	}
	for _, c := range caches.Caches {
		found = append(found, "cache "+c.CacheName)
	}
	return found
}

// cookies lists every cookie of the browser, of any site.
func (tb *tab) cookies() []string {
	tb.t.Helper()
	res, err := chromedp.CallBrowser(tb.ctx, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil {
		tb.t.Fatal(err)
	}
	var out []string
	for _, c := range res.Cookies {
		out = append(out, c.Domain+" "+c.Name)
	}
	return out
}
