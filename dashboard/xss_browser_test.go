package dashboard

import (
	"context"
	"encoding/csv"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/dashboard/dashtest"
	"github.com/shukei-analytics/shukei/event"
)

// xssPayloads would run script if any of them reached the page as markup
// or as a link: each sets a global flag or opens a dialog.
var xssPayloads = []string{
	`<script>window.__xss=1</script>`,
	`"><img src=x onerror="window.__xss=2">`,
	`javascript:alert(3)`,
	`<svg onload=alert(4)>`,
	`'-alert(5)-'`,
	`{{constructor.constructor('alert(6)')()}}`,
	`//evil.example/steal`,
	// Spreadsheet formula injection, for the CSV export.
	`=HYPERLINK("https://evil.example/","open")`,
}

// hostileRows are sessions whose every free-text dimension carries a
// payload. They go straight into the store, bypassing the collector's
// scrubbing, so the dashboard's own rendering is what is tested.
func hostileRows(site string, at time.Time) []event.Row {
	var rows []event.Row
	for i, p := range xssPayloads {
		base := event.Row{
			Site: site, TS: at.Add(time.Duration(i) * time.Minute), Hostname: p, Path: "/" + p, EntryPath: "/" + p,
			ReferrerSource: p, ReferrerHost: p, UTMSource: p, UTMMedium: p, UTMCampaign: p, UTMContent: p, UTMTerm: p,
			Country: "JP", Region: p, Browser: p, OS: p, Device: p, Screen: p, Language: p,
		}
		pv := base
		pv.Kind, pv.Name, pv.SearchTerm = event.KindPageview, event.PageviewName, p
		pv.Counters = event.Counters{Pageviews: 1, Visitors: 1, PageVisitors: 1, SourceVisitors: 1, EventVisitors: 1,
			PublicPageVisitors: 1, PublicSourceVisitors: 1,
			EntryVisitors: 1, Visits: 1, Bounces: 1, Exits: 1, Duration: 0}
		ev := base
		ev.Kind, ev.Name = event.KindEvent, p
		ev.Counters = event.Counters{Events: 1, EventVisitors: 1, PageVisitors: 1}
		rows = append(rows, pv, ev)
	}
	return rows
}

func TestStoredXSSRendersInert(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	owner := h.setupOwner("owner")
	h.addSite(owner, "xss.example")
	if err := h.events.Append(context.Background(), hostileRows("xss.example", h.clock.Now().Add(-20*time.Hour))); err != nil {
		t.Fatal(err)
	}
	base := h.serve()
	b := dashtest.New(t, base, "en-US", "")
	b.SignIn("owner", testPassword)
	b.Navigate("/sites/xss.example?period=7d")
	b.WaitLoaded(1)
	// Show every tab of every panel, then the details dialog.
	tabs := dashtest.Eval[int](b, `document.querySelectorAll('.tabs button').length`)
	for i := range tabs {
		b.Do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('.tabs button')[` + itoa(int64(i)) + `].click()`))
		b.WaitFor(`document.querySelectorAll('.panel-body[aria-busy="true"]').length === 0`)
		checkInert(b, i)
	}
	b.Do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-panel="pages"] .panel-foot button').click()`))
	b.WaitFor(`document.querySelector('#details-body table') !== null`)
	checkInert(b, -1)
	b.Screenshot("xss-details")
	b.Do(chromedp.Evaluate[chromedp.Void](`document.getElementById('details').close()`))
	checkCSV(b)

	// The payloads are shown as text.
	for _, p := range xssPayloads {
		found := dashtest.Eval[bool](b, `[...document.querySelectorAll('#panels a[data-filter]')].some(a => a.dataset.filter === `+dashtest.JSString(p)+`)`)
		if !found {
			t.Errorf("payload %q is not shown as a row", p)
		}
	}
	// Clicking a hostile row filters by it, shown as text in the chip.
	b.Do(chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#panels a[data-filter]')].find(a => a.dataset.filter.includes('<script>')).click()`))
	b.WaitLoaded(2)
	chip := dashtest.Eval[string](b, `document.querySelector('#filter-list li .value').textContent`)
	if !strings.Contains(chip, "<script>") {
		t.Errorf("filter chip %q", chip)
	}
	if q := dashtest.Eval[string](b, `location.search`); !strings.Contains(q, url.QueryEscape("<script>")) {
		t.Errorf("filter not in the URL: %s", q)
	}
	checkInert(b, -2)
	b.Screenshot("xss-filtered")
	b.CheckClean()
}

// checkInert fails when a payload ran or became markup or a link.
func checkInert(b *dashtest.Browser, step int) {
	b.T.Helper()
	if v := dashtest.Eval[string](b, `String(window.__xss)`); v != "undefined" {
		b.T.Fatalf("step %d: a payload ran (window.__xss = %s)", step, v)
	}
	markup := dashtest.Eval[int](b, `document.querySelectorAll('img[src="x"], #panels svg:not(.map > svg), #details svg, script:not([src]):not([type="application/json"]), [onerror], [onload]').length`)
	if markup != 0 {
		b.T.Errorf("step %d: %d elements made from payloads", step, markup)
	}
	bad := dashtest.Eval[[]string](b, `[...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => !h.startsWith(location.origin + '/') && !(h.startsWith('https://') && ['xss.example'].includes(new URL(h).hostname)))`)
	if len(bad) != 0 {
		b.T.Errorf("step %d: links out of the site: %q", step, bad)
	}
	b.CheckClean()
}

// checkCSV exports the sources panel: one row per payload, read back as
// the text it is, with cells a spreadsheet would run as a formula kept as
// text.
func checkCSV(b *dashtest.Browser) {
	b.T.Helper()
	dir := b.AllowDownloads()
	b.Do(chromedp.Click(chromedp.CSS(`[data-panel="sources"] [data-tab="source"]`)))
	b.WaitFor(`document.querySelectorAll('.panel-body[aria-busy="true"]').length === 0`)
	b.Do(chromedp.Click(chromedp.CSS(`[data-panel="sources"] button[data-action="csv"]`)))
	name, body := b.WaitDownload(dir, ".csv")
	if !strings.HasPrefix(name, "shukei-xss.example-source-") {
		b.T.Errorf("CSV file name %q", name)
	}
	text, ok := strings.CutPrefix(string(body), "\ufeff")
	if !ok {
		b.T.Error("the CSV has no byte order mark (spreadsheets would misread Japanese)")
	}
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		b.T.Fatalf("CSV: %v\n%s", err, text)
	}
	if len(records) != len(xssPayloads)+1 || records[0][0] != "Source" {
		b.T.Fatalf("CSV has %d records, header %q; want %d rows", len(records), records[0], len(xssPayloads))
	}
	got := map[string]bool{}
	for _, r := range records[1:] {
		if strings.ContainsAny(r[0][:1], "=+-@") {
			b.T.Errorf("CSV cell %q would run as a formula", r[0])
		}
		got[r[0]] = true
		if rest, ok := strings.CutPrefix(r[0], "'"); ok && rest != "" && strings.ContainsAny(rest[:1], "=+-@") {
			got[rest] = true // the apostrophe may be the one that keeps a formula text
		}
		if r[1] != "1" {
			b.T.Errorf("CSV row %q: visitors %q", r[0], r[1])
		}
	}
	for _, p := range xssPayloads {
		if !got[p] {
			b.T.Errorf("payload %q is not in the CSV", p)
		}
	}
}
