package dashboard

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/dashtest"
	"github.com/shukei-analytics/shukei/event"
)

// TestDateRangesInTheBrowser runs the dashboard's own date module in
// Chromium: no period ends after today, and each comparison mode gives the
// dates a reader expects.
func TestDateRangesInTheBrowser(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.setupOwner("owner")
	b := dashtest.New(t, h.serve(), "en-US", "")
	b.SignIn("owner", testPassword)
	got := dashtest.Eval[map[string]string](b, `(async () => {
  const base = document.querySelector('script[src*="/js/common.js"]').src.replace('common.js', '');
  const d = await import(base + 'dates.js');
  const today = d.parseDate('2026-03-10');
  const show = (r) => r ? d.fmtDate(r.from) + '..' + d.fmtDate(r.to) : 'null';
  const out = {};
  for (const p of ['day', '7d', '30d', 'month', '6mo', '12mo', 'year']) {
    const r = d.periodRange(p, today);
    out[p] = show(r);
    out[p + '/previous'] = show(d.compareRange('previous', p, r));
    out[p + '/year'] = show(d.compareRange('year', p, r));
    out[p + '/api'] = JSON.stringify(d.apiRange(p, r));
  }
  out['custom/custom'] = show(d.compareRange('custom', 'custom', d.periodRange('custom', today, d.parseDate('2026-02-01'), d.parseDate('2026-02-28')), d.parseDate('2025-02-01'), d.parseDate('2025-02-28')));
  out['custom/bad'] = show(d.compareRange('custom', '30d', d.periodRange('30d', today), d.parseDate('2026-02-10'), d.parseDate('2026-02-01')));
  out['off'] = show(d.compareRange('off', '30d', d.periodRange('30d', today)));
  out['leap'] = show(d.compareRange('previous', 'month', d.periodRange('month', d.parseDate('2024-03-31'))));
  return out;
})()`)
	want := map[string]string{
		"day": "2026-03-10..2026-03-10", "day/previous": "2026-03-09..2026-03-09", "day/year": "2025-03-10..2025-03-10", "day/api": `"day"`,
		"7d": "2026-03-04..2026-03-10", "7d/previous": "2026-02-25..2026-03-03", "7d/year": "2025-03-04..2025-03-10",
		"30d": "2026-02-09..2026-03-10", "30d/previous": "2026-01-10..2026-02-08", "30d/api": `"30d"`,
		// Month-based periods end today, and compare with the same days of
		// the earlier months.
		"month": "2026-03-01..2026-03-10", "month/previous": "2026-02-01..2026-02-10", "month/year": "2025-03-01..2025-03-10",
		"month/api": `["2026-03-01","2026-03-10"]`,
		"6mo":       "2025-10-01..2026-03-10", "6mo/previous": "2025-04-01..2025-09-10", "6mo/api": `["2025-10-01","2026-03-10"]`,
		"12mo": "2025-04-01..2026-03-10", "12mo/previous": "2024-04-01..2025-03-10",
		"year": "2026-01-01..2026-03-10", "year/previous": "2025-01-01..2025-03-10", "year/year": "2025-01-01..2025-03-10",
		"custom/custom": "2025-02-01..2025-02-28", "custom/bad": "null", "off": "null",
		"leap": "2024-02-01..2024-02-29",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	b.CheckClean()
}

// TestChartEdges: one hour of data draws (as a point), the bucket being
// counted is marked "so far", and "this month" ends today.
func TestChartEdges(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	now := h.clock.Now() // 2026-03-10 03:00 UTC, in flag.example's zone (UTC)
	var rows []event.Row
	for i := range 5 {
		rows = append(rows, event.Row{Site: "flag.example", TS: now.Add(-time.Duration(10+i) * time.Minute), Kind: event.KindPageview,
			Name: event.PageviewName, Hostname: "flag.example", Path: "/", EntryPath: "/",
			Counters: event.Counters{Pageviews: 1, Visitors: 1, PageVisitors: 1, Visits: 1, Bounces: 1, Exits: 1, EntryVisitors: 1, SourceVisitors: 1}})
	}
	if err := h.events.Append(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	h.setupOwner("owner")
	b := dashtest.New(t, h.serve(), "en-US", "")
	b.SignIn("owner", testPassword)

	// All time: a single day of data, one bucket.
	b.Navigate("/sites/flag.example?period=all&interval=day")
	b.WaitLoaded(1)
	if n := dashtest.Eval[int](b, `document.querySelectorAll('#chart svg circle.dot:not([visibility])').length`); n != 1 {
		t.Errorf("a single bucket of data: %d points drawn, want 1", n)
	}
	// Today by hour: the data is in the hour before now's (02:00), the
	// current hour (03:00) is being counted, the later ones are empty.
	b.Navigate("/sites/flag.example?period=day")
	b.WaitLoaded(1)
	line := dashtest.Eval[string](b, `document.querySelector('#chart svg path.line').getAttribute('d')`)
	if strings.Count(line, "L") < 2 {
		t.Errorf("today's line %q: not drawn", line)
	}
	partial := dashtest.Eval[[]string](b, `[...document.querySelectorAll('#chart-table tbody tr')].filter(tr => tr.textContent.includes('so far')).map(tr => tr.querySelector('th').textContent)`)
	if len(partial) != 1 || !strings.Contains(partial[0], "3:00") {
		t.Errorf("buckets marked so far: %q, want the 3:00 one", partial)
	}
	if n := dashtest.Eval[int](b, `document.querySelectorAll('#chart svg .partial').length`); n != 2 {
		t.Errorf("%d partial marks (dashed segment and hollow point), want 2", n)
	}
	// This month by day ends today.
	b.Navigate("/sites/flag.example?period=month&interval=day")
	b.WaitLoaded(1)
	last := dashtest.Eval[string](b, `[...document.querySelectorAll('#chart-table tbody th')].pop().textContent`)
	if last != "Mar 10, 2026" {
		t.Errorf("this month's chart ends on %q, want today", last)
	}
	if r := dashtest.Eval[string](b, `document.getElementById('range-label').textContent`); !strings.Contains(r, "10") || strings.Contains(r, "31") {
		t.Errorf("range label %q", r)
	}
	b.CheckClean()
}
