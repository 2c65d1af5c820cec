package visitor

import (
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
)

var (
	utc    = &site.Site{Domain: "example.org", Location: time.UTC}
	t0     = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	ipA    = ipaddr.Truncate(netip.MustParseAddr("203.0.113.7"), 24, 48)
	ipB    = ipaddr.Truncate(netip.MustParseAddr("198.51.100.9"), 24, 48)
	uaA    = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
	uaB    = "Mozilla/5.0 (iPhone) Safari/605.1.15"
	tokyo  = mustZone("Asia/Tokyo")
	jpSite = &site.Site{Domain: "example.jp", Location: tokyo}
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func newTracker(t *testing.T, cfg Config) *Tracker {
	t.Helper()
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return New(cfg)
}

// visit is one hit of a test script.
type visit struct {
	at      time.Duration // since t0
	kind    HitKind
	path    string
	name    string
	source  string
	engaged int32
	inter   bool
}

func (v visit) hit(s *site.Site) *Hit {
	h := &Hit{Site: s, Time: t0.Add(v.at), Kind: v.kind, Name: v.name, Interactive: v.inter, EngagedSeconds: v.engaged}
	h.Row = event.Row{Site: s.Domain, Hostname: s.Domain, Path: v.path, ReferrerSource: v.source, Country: "JP", Browser: "Firefox"}
	return h
}

func track(t *testing.T, tr *Tracker, s *site.Site, ip ipaddr.Truncated, ua string, visits ...visit) []event.Row {
	t.Helper()
	var rows []event.Row
	for _, v := range visits {
		var err error
		rows, err = tr.Track(v.hit(s), ip, ua, rows)
		if err != nil && err != ErrNoSession {
			t.Fatal(err)
		}
	}
	return rows
}

// totals sums the counters of rows, optionally only those matching keep.
func totals(rows []event.Row, keep func(event.Row) bool) event.Counters {
	var c event.Counters
	for _, r := range rows {
		if keep != nil && !keep(r) {
			continue
		}
		c.Pageviews += r.Pageviews
		c.Events += r.Events
		c.Visitors += r.Visitors
		c.PageVisitors += r.PageVisitors
		c.SourceVisitors += r.SourceVisitors
		c.EventVisitors += r.EventVisitors
		c.EntryVisitors += r.EntryVisitors
		c.Visits += r.Visits
		c.Bounces += r.Bounces
		c.Duration += r.Duration
		c.Exits += r.Exits
		c.TimeOnPage += r.TimeOnPage
		c.TimedViews += r.TimedViews
		c.PublicPageVisitors += r.PublicPageVisitors
		c.PublicSourceVisitors += r.PublicSourceVisitors
	}
	return c
}

func byPath(p string) func(event.Row) bool { return func(r event.Row) bool { return r.Path == p } }

func TestSessionCounters(t *testing.T) {
	tr := newTracker(t, Config{})
	rows := track(t, tr, utc, ipA, uaA,
		visit{at: 0, kind: Pageview, path: "/", source: "Google"},
		visit{at: time.Minute, kind: Pageview, path: "/about"},
		visit{at: 3 * time.Minute, kind: Pageview, path: "/"},
	)
	got := totals(rows, nil)
	want := event.Counters{Pageviews: 3, Visitors: 1, PageVisitors: 2, SourceVisitors: 1, EventVisitors: 1,
		EntryVisitors: 1, Visits: 1, Bounces: 0, Duration: 180, Exits: 1, TimeOnPage: 180, TimedViews: 2,
		PublicPageVisitors: 2, PublicSourceVisitors: 1}
	if got != want {
		t.Fatalf("totals\n got %+v\nwant %+v", got, want)
	}
	if c := totals(rows, byPath("/about")); c.Exits != 0 || c.TimeOnPage != 120 || c.TimedViews != 1 {
		t.Errorf("/about: %+v", c)
	}
	if c := totals(rows, byPath("/")); c.Exits != 1 || c.Bounces != 0 || c.Visits != 1 || c.Pageviews != 2 {
		t.Errorf("/: %+v", c)
	}
	for _, r := range rows {
		if r.EntryPath != "/" || r.ReferrerSource != "Google" {
			t.Errorf("row %s: entry %q source %q, want the session's", r.Kind, r.EntryPath, r.ReferrerSource)
		}
		if r.TS.Second() != 0 || r.TS.Nanosecond() != 0 || r.TS.Location() != time.UTC {
			t.Errorf("ts %v not a UTC minute", r.TS)
		}
	}
}

func TestBounceAndTimeout(t *testing.T) {
	tr := newTracker(t, Config{})
	rows := track(t, tr, utc, ipA, uaA,
		visit{at: 0, kind: Pageview, path: "/a"},
		// 31 minutes later: a new visit, same source (Direct), new entry page.
		visit{at: 31 * time.Minute, kind: Pageview, path: "/b"},
		visit{at: 40 * time.Minute, kind: Pageview, path: "/c"},
		// Another new visit entering on /b again.
		visit{at: 90 * time.Minute, kind: Pageview, path: "/b"},
	)
	got := totals(rows, nil)
	want := event.Counters{Pageviews: 4, Visitors: 1, PageVisitors: 3, SourceVisitors: 1, EventVisitors: 1,
		EntryVisitors: 2, Visits: 3, Bounces: 2, Duration: 9 * 60, Exits: 3, TimeOnPage: 9 * 60, TimedViews: 1,
		PublicPageVisitors: 3, PublicSourceVisitors: 1}
	if got != want {
		t.Fatalf("totals\n got %+v\nwant %+v", got, want)
	}
	if c := totals(rows, func(r event.Row) bool { return r.EntryPath == "/b" }); c.Visits != 2 || c.Bounces != 1 {
		t.Errorf("entry /b: %+v", c)
	}
}

func TestCustomEventEndsBounceOnlyWhenInteractive(t *testing.T) {
	for _, interactive := range []bool{true, false} {
		tr := newTracker(t, Config{})
		rows := track(t, tr, utc, ipA, uaA,
			visit{at: 0, kind: Pageview, path: "/"},
			visit{at: 10 * time.Second, kind: CustomEvent, name: "Signup", path: "/", inter: interactive},
			visit{at: 20 * time.Second, kind: CustomEvent, name: "Signup", path: "/", inter: interactive},
		)
		c := totals(rows, nil)
		wantBounces := int32(1)
		if interactive {
			wantBounces = 0
		}
		if c.Bounces != wantBounces || c.Events != 2 || c.EventVisitors != 2 || c.PageVisitors != 2 || c.Visits != 1 {
			t.Errorf("interactive=%v: %+v", interactive, c)
		}
		if c.Exits != 1 || c.Pageviews != 1 {
			t.Errorf("interactive=%v: events must not touch page views or exits: %+v", interactive, c)
		}
	}
}

func TestEngagementReportsTimeOnce(t *testing.T) {
	tr := newTracker(t, Config{})
	rows := track(t, tr, utc, ipA, uaA,
		visit{at: 0, kind: Pageview, path: "/"},
		visit{at: 30 * time.Second, kind: Engagement, path: "/", engaged: 25},
		visit{at: 90 * time.Second, kind: Engagement, path: "/", engaged: 10},
		visit{at: 100 * time.Second, kind: Pageview, path: "/next"},
		visit{at: 200 * time.Second, kind: Engagement, path: "/next", engaged: 70},
	)
	if c := totals(rows, byPath("/")); c.TimeOnPage != 35 || c.TimedViews != 1 || c.Exits != 0 || c.Bounces != 0 {
		t.Errorf("/: %+v", c)
	}
	if c := totals(rows, byPath("/next")); c.TimeOnPage != 70 || c.TimedViews != 1 || c.Exits != 1 {
		t.Errorf("/next: %+v", c)
	}
	// Plausible's rule: the visit lasts until its last page view (100 s);
	// the engagement report at 200 s keeps it alive but does not lengthen it.
	if c := totals(rows, nil); c.Duration != 100 || c.Pageviews != 2 || c.Events != 0 {
		t.Errorf("totals: %+v", c)
	}
}

// TestEngagementKeepsTheVisitAlive: an engagement report keeps the session
// open (a page view 25 minutes after it continues the visit, 40 minutes
// after the first view) without lengthening it by itself, and leaves the
// bounce as it was, as in Plausible.
func TestEngagementKeepsTheVisitAlive(t *testing.T) {
	tr := newTracker(t, Config{})
	rows := track(t, tr, utc, ipA, uaA,
		visit{at: 0, kind: Pageview, path: "/"},
		visit{at: 15 * time.Minute, kind: Engagement, path: "/", engaged: 600},
	)
	if c := totals(rows, nil); c.Duration != 0 || c.Bounces != 1 || c.Visits != 1 {
		t.Errorf("after the report: %+v, want a bounced visit of 0 s", c)
	}
	rows = append(rows, track(t, tr, utc, ipA, uaA, visit{at: 40 * time.Minute, kind: Pageview, path: "/b"})...)
	if c := totals(rows, nil); c.Visits != 1 || c.Duration != 40*60 || c.Bounces != 0 {
		t.Errorf("after the next view: %+v, want one visit of 2400 s", c)
	}
}

func TestEngagementWithoutPageIsRefused(t *testing.T) {
	tr := newTracker(t, Config{})
	_, err := tr.Track(visit{kind: Engagement, path: "/", engaged: 3}.hit(utc), ipA, uaA, nil)
	if err != ErrNoSession {
		t.Fatalf("err = %v, want ErrNoSession", err)
	}
	if tr.Live() != 0 {
		t.Errorf("an engagement without a page view created state")
	}
	track(t, tr, utc, ipA, uaA, visit{kind: Pageview, path: "/a"})
	if _, err := tr.Track(visit{at: time.Second, kind: Engagement, path: "/other", engaged: 3}.hit(utc), ipA, uaA, nil); err != ErrNoSession {
		t.Errorf("engagement for another page: err = %v", err)
	}
}

func TestVisitorIdentity(t *testing.T) {
	tr := newTracker(t, Config{})
	sameNet := ipaddr.Truncate(netip.MustParseAddr("203.0.113.200"), 24, 48)
	var rows []event.Row
	rows = append(rows, track(t, tr, utc, ipA, uaA, visit{kind: Pageview, path: "/"})...)
	rows = append(rows, track(t, tr, utc, sameNet, uaA, visit{at: time.Second, kind: Pageview, path: "/"})...)
	rows = append(rows, track(t, tr, utc, ipA, uaB, visit{at: 2 * time.Second, kind: Pageview, path: "/"})...)
	rows = append(rows, track(t, tr, utc, ipB, uaA, visit{at: 3 * time.Second, kind: Pageview, path: "/"})...)
	other := &site.Site{Domain: "other.example", Location: time.UTC}
	rows = append(rows, track(t, tr, other, ipA, uaA, visit{at: 4 * time.Second, kind: Pageview, path: "/"})...)
	// The same /24 and UA is the same visitor (truncation happens first).
	if c := totals(rows, nil); c.Visitors != 4 || c.Visits != 4 {
		t.Errorf("visitors %d visits %d, want 4 and 4", c.Visitors, c.Visits)
	}
}

func TestMidnightOverlapContinuesSessionAndRecountsVisitor(t *testing.T) {
	tr := newTracker(t, Config{})
	// 23:50 and 00:10 JST: one session across midnight in the site's zone.
	before := time.Date(2026, 3, 10, 23, 50, 0, 0, tokyo)
	after := before.Add(20 * time.Minute)
	h1 := visit{kind: Pageview, path: "/a"}.hit(jpSite)
	h1.Time = before
	h2 := visit{kind: Pageview, path: "/b"}.hit(jpSite)
	h2.Time = after
	rows, _ := tr.Track(h1, ipA, uaA, nil)
	rows, _ = tr.Track(h2, ipA, uaA, rows)
	c := totals(rows, nil)
	if c.Visits != 1 || c.Visitors != 2 || c.Bounces != 0 || c.Duration != 1200 {
		t.Errorf("across midnight: %+v; want one visit and one visitor per day", c)
	}
	if tr.Live() != 1 {
		t.Errorf("live = %d, want the carried state only", tr.Live())
	}
	// Past the overlap, yesterday's salt and state are destroyed.
	tr.Sweep(time.Date(2026, 3, 11, 0, 31, 0, 0, tokyo))
	if _, ok := tr.salts.lookup(saltDay{zone: "Asia/Tokyo", day: dayNumber(before)}); ok {
		t.Error("yesterday's salt survived the overlap")
	}
	// A hit after the session timeout on the new day starts a new visit.
	h3 := visit{kind: Pageview, path: "/c"}.hit(jpSite)
	h3.Time = after.Add(45 * time.Minute)
	rows, _ = tr.Track(h3, ipA, uaA, nil)
	if c := totals(rows, nil); c.Visits != 1 || c.Visitors != 0 {
		t.Errorf("same day later: %+v", c)
	}
}

func TestSweepForgetsPastDays(t *testing.T) {
	tr := newTracker(t, Config{})
	track(t, tr, utc, ipA, uaA, visit{kind: Pageview, path: "/"})
	track(t, tr, utc, ipB, uaB, visit{kind: Pageview, path: "/"})
	tr.Sweep(t0.Add(time.Hour))
	if tr.Live() != 2 || tr.salts.len() != 1 {
		t.Fatalf("same day: live %d salts %d", tr.Live(), tr.salts.len())
	}
	tr.Sweep(t0.Add(13 * time.Hour)) // 01:00 next day, past the overlap
	if tr.Live() != 0 || tr.salts.len() != 0 {
		t.Errorf("next day: live %d salts %d, want 0 and 0", tr.Live(), tr.salts.len())
	}
}

func TestMemoryIsBounded(t *testing.T) {
	tr := newTracker(t, Config{MaxVisitors: 2 * numShards})
	for i := range 10_000 {
		ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24, 48)
		track(t, tr, utc, ip, uaA, visit{at: time.Duration(i) * time.Millisecond, kind: Pageview, path: "/"})
		if tr.Live() > 2*numShards {
			t.Fatalf("live %d exceeds the bound %d", tr.Live(), 2*numShards)
		}
	}
	if tr.Evicted() == 0 {
		t.Error("no eviction counted")
	}
}

func TestSeenIsBoundedPerVisitor(t *testing.T) {
	tr := newTracker(t, Config{MaxSeen: 8})
	var visits []visit
	for i := range 100 {
		visits = append(visits, visit{at: time.Duration(i) * time.Second, kind: Pageview, path: "/p" + string(rune('a'+i%26)) + string(rune('a'+i/26))})
	}
	track(t, tr, utc, ipA, uaA, visits...)
	for i := range tr.shards {
		for _, st := range tr.shards[i].m {
			if len(st.seen) > 8 {
				t.Errorf("seen has %d entries, bound 8", len(st.seen))
			}
		}
	}
}

func TestConcurrentTracking(t *testing.T) {
	tr := newTracker(t, Config{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var all []event.Row
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rows []event.Row
			for i := range 500 {
				ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{10, 0, byte(i % 50), 0}), 24, 48)
				h := visit{at: time.Duration(g*1000+i) * time.Millisecond, kind: Pageview, path: "/"}.hit(utc)
				var err error
				if rows, err = tr.Track(h, ip, uaA, rows); err != nil {
					t.Error(err)
					return
				}
			}
			mu.Lock()
			all = append(all, rows...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if c := totals(all, nil); c.Visitors != 50 || c.Pageviews != 4000 {
		t.Errorf("visitors %d pageviews %d, want 50 and 4000", c.Visitors, c.Pageviews)
	}
}

func TestEngagementAfterMidnightContinuesTheVisit(t *testing.T) {
	tr := newTracker(t, Config{})
	view := visit{kind: Pageview, path: "/a"}.hit(jpSite)
	view.Time = time.Date(2026, 3, 10, 23, 58, 0, 0, tokyo)
	engage := visit{kind: Engagement, path: "/a", engaged: 150}.hit(jpSite)
	engage.Time = view.Time.Add(3 * time.Minute)
	next := visit{kind: Pageview, path: "/b"}.hit(jpSite)
	next.Time = view.Time.Add(5 * time.Minute)
	rows, err := tr.Track(view, ipA, uaA, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rows, err = tr.Track(engage, ipA, uaA, rows); err != nil {
		t.Fatalf("engagement after midnight: %v", err)
	}
	if rows, err = tr.Track(next, ipA, uaA, rows); err != nil {
		t.Fatal(err)
	}
	c := totals(rows, nil)
	if c.Visits != 1 || c.Visitors != 2 || c.TimeOnPage != 150 || c.TimedViews != 1 || c.Duration != 300 {
		t.Errorf("%+v: want one visit, a visitor on each day, the engaged time once", c)
	}
}

// TestEngagementCrossingTheNextView: trackers send a page's last
// engagement report and the next page view at once; when the view arrives
// first, the report still replaces the gap time, so the totals equal those
// of the reports arriving in order.
func TestEngagementCrossingTheNextView(t *testing.T) {
	inOrder := track(t, newTracker(t, Config{}), utc, ipA, uaA,
		visit{at: 0, kind: Pageview, path: "/a"},
		visit{at: 40 * time.Second, kind: Engagement, path: "/a", engaged: 12},
		visit{at: 40 * time.Second, kind: Pageview, path: "/b"},
		visit{at: 90 * time.Second, kind: Engagement, path: "/b", engaged: 30},
	)
	crossed := track(t, newTracker(t, Config{}), utc, ipA, uaA,
		visit{at: 0, kind: Pageview, path: "/a"},
		visit{at: 40 * time.Second, kind: Pageview, path: "/b"},
		visit{at: 40 * time.Second, kind: Engagement, path: "/a", engaged: 12},
		visit{at: 90 * time.Second, kind: Engagement, path: "/b", engaged: 30},
	)
	for _, p := range []string{"/a", "/b"} {
		// Which row carries the visit's duration differs; the page's own
		// counters and the totals do not.
		want, got := totals(inOrder, byPath(p)), totals(crossed, byPath(p))
		want.Duration, got.Duration = 0, 0
		if got != want {
			t.Errorf("%s: crossed %+v, in order %+v", p, got, want)
		}
	}
	if a, b := totals(inOrder, nil), totals(crossed, nil); a != b {
		t.Errorf("totals: crossed %+v, in order %+v", b, a)
	}
	if c := totals(crossed, byPath("/a")); c.TimeOnPage != 12 || c.TimedViews != 1 || c.Exits != 0 {
		t.Errorf("/a: %+v, want 12 s over one timed view and no exit", c)
	}
	if c := totals(crossed, nil); c.Duration != 40 || c.Visits != 1 {
		t.Errorf("totals %+v", c)
	}
}

// TestLateReportsAddUp: reports are increments (time since the tracker's
// previous report), before and after the next view overtook them.
func TestLateReportsAddUp(t *testing.T) {
	rows := track(t, newTracker(t, Config{}), utc, ipA, uaA,
		visit{at: 0, kind: Pageview, path: "/a"},
		visit{at: 10 * time.Second, kind: Engagement, path: "/a", engaged: 5},
		visit{at: 60 * time.Second, kind: Pageview, path: "/b"},
		visit{at: 61 * time.Second, kind: Engagement, path: "/a", engaged: 7},
		visit{at: 62 * time.Second, kind: Engagement, path: "/a", engaged: 1},
	)
	if c := totals(rows, byPath("/a")); c.TimeOnPage != 13 || c.TimedViews != 1 {
		t.Errorf("/a: %+v, want 5+7+1 s over one timed view", c)
	}
}

func TestLateEngagementOnlyForThePreviousPage(t *testing.T) {
	tr := newTracker(t, Config{})
	track(t, tr, utc, ipA, uaA,
		visit{at: 0, kind: Pageview, path: "/a"},
		visit{at: 10 * time.Second, kind: Pageview, path: "/b"},
		visit{at: 20 * time.Second, kind: Pageview, path: "/c"},
	)
	if _, err := tr.Track(visit{at: 21 * time.Second, kind: Engagement, path: "/a", engaged: 3}.hit(utc), ipA, uaA, nil); err != ErrNoSession {
		t.Errorf("report for a page two views back: err = %v", err)
	}
	// A new session forgets the previous session's pages.
	track(t, tr, utc, ipA, uaA, visit{at: time.Hour, kind: Pageview, path: "/d"})
	if _, err := tr.Track(visit{at: time.Hour + time.Second, kind: Engagement, path: "/c", engaged: 3}.hit(utc), ipA, uaA, nil); err != ErrNoSession {
		t.Errorf("report for the previous session's page: err = %v", err)
	}
}
