package visitor

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
)

// perKey sums a counter of rows by a key of the row.
func perKey(rows []event.Row, key func(event.Row) string, c func(event.Counters) int32) map[string]int32 {
	out := map[string]int32{}
	for _, r := range rows {
		if v := c(r.Counters); v != 0 {
			out[key(r)] += v
		}
	}
	return out
}

func publicPages(c event.Counters) int32   { return c.PublicPageVisitors }
func publicSources(c event.Counters) int32 { return c.PublicSourceVisitors }
func rowPath(r event.Row) string           { return r.Path }
func rowSource(r event.Row) string         { return r.ReferrerSource }

// A visitor who views very many pages, each several times, counts once
// on at most MaxPublicPages of them in public, while the dashboard's page
// visitors count each page once.
func TestPublicPagesAreBounded(t *testing.T) {
	tr := newTracker(t, Config{})
	var visits []visit
	for i := range 600 {
		visits = append(visits, visit{at: time.Duration(i) * time.Second, kind: Pageview, path: fmt.Sprintf("/p%d", i%300)})
	}
	rows := track(t, tr, utc, ipA, uaA, visits...)
	pub := perKey(rows, rowPath, publicPages)
	total := int32(0)
	for p, n := range pub {
		if n != 1 {
			t.Errorf("%s counted %d times in public", p, n)
		}
		total += n
	}
	if total != event.MaxPublicPages {
		t.Errorf("public page visitors %d, want the bound %d", total, event.MaxPublicPages)
	}
	dash := perKey(rows, rowPath, func(c event.Counters) int32 { return c.PageVisitors })
	// seen also holds the source, the entry page, the event name and the
	// public source: the first 252 pages fill the rest of MaxSeen (256).
	if len(dash) != 252 {
		t.Errorf("dashboard counted %d pages, want the 252 that fit in MaxSeen", len(dash))
	}
	for p, n := range dash {
		if n != 1 {
			t.Errorf("%s counted %d times on the dashboard", p, n)
		}
	}
}

// Sources publish by name: visits from one source with many campaigns
// count it once, and a visitor counts in at most MaxPublicSources names.
func TestPublicSourcesAreDeduplicatedByName(t *testing.T) {
	tr := newTracker(t, Config{})
	var visits []visit
	at := time.Duration(0)
	for i := range 12 {
		// A new session each time (gaps over the 30-minute timeout).
		src := "Google"
		if i >= 6 {
			src = fmt.Sprintf("Source %d", i)
		}
		visits = append(visits, visit{at: at, kind: Pageview, path: fmt.Sprintf("/c%d", i), source: src})
		at += 40 * time.Minute
	}
	rows := track(t, tr, utc, ipA, uaA, visits...)
	pub := perKey(rows, rowSource, publicSources)
	if pub["Google"] != 1 {
		t.Errorf("Google counted %d times in public, want 1", pub["Google"])
	}
	total := int32(0)
	for _, n := range pub {
		total += n
	}
	if total != event.MaxPublicSources {
		t.Errorf("public source visitors %d, want the bound %d (%v)", total, event.MaxPublicSources, pub)
	}
}

// The set of what a visitor did today saturates instead of wrapping: a
// page seen before never counts again, even after many others.
func TestSeenNeverCountsTwice(t *testing.T) {
	tr := newTracker(t, Config{MaxSeen: 8})
	var visits []visit
	for round := range 3 {
		for i := range 20 {
			visits = append(visits, visit{at: time.Duration(round*20+i) * time.Second, kind: Pageview, path: fmt.Sprintf("/p%d", i)})
		}
	}
	rows := track(t, tr, utc, ipA, uaA, visits...)
	for p, n := range perKey(rows, rowPath, func(c event.Counters) int32 { return c.PageVisitors }) {
		if n != 1 {
			t.Errorf("%s counted %d times", p, n)
		}
	}
	for p, n := range perKey(rows, rowPath, publicPages) {
		if n != 1 {
			t.Errorf("%s counted %d times in public", p, n)
		}
	}
}

// A visitor forgotten early to bound memory and coming back the same day
// is not counted again: not as a visitor, not on new pages or sources.
func TestEvictedVisitorIsNotCountedAgain(t *testing.T) {
	tr := newTracker(t, Config{MaxVisitors: numShards})
	var rows []event.Row
	for i := range event.MaxPublicPages {
		rows = append(rows, track(t, tr, utc, ipA, uaA, visit{at: time.Duration(i) * time.Second, kind: Pageview, path: fmt.Sprintf("/a%d", i), source: "Google"})...)
	}
	// Others push the visitor out of memory.
	for i := range 50 * numShards {
		ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24, 48)
		track(t, tr, utc, ip, uaB, visit{at: time.Minute, kind: Pageview, path: "/"})
	}
	if tr.Evicted() == 0 {
		t.Fatal("no eviction")
	}
	rows = append(rows, track(t, tr, utc, ipA, uaA,
		visit{at: 2 * time.Hour, kind: Pageview, path: "/new", source: "Bing"},
		visit{at: 2*time.Hour + time.Minute, kind: Pageview, path: "/newer"})...)
	c := totals(rows, nil)
	if c.Visitors != 1 || c.PublicPageVisitors != event.MaxPublicPages || c.PublicSourceVisitors != 1 {
		t.Errorf("after eviction: visitors %d, public pages %d, public sources %d; want 1, %d, 1",
			c.Visitors, c.PublicPageVisitors, c.PublicSourceVisitors, event.MaxPublicPages)
	}
	if tr.spent.bytes() == 0 {
		t.Error("the spent filter holds nothing")
	}
}

// The spent filter forgets a key only after a whole generation, longer
// than any visitor-day, and never reports a key it was not given when
// empty.
func TestSpentRotation(t *testing.T) {
	s := newSpent(1000)
	if s.has(42) {
		t.Fatal("empty filter has a key")
	}
	at := t0
	s.add(42, at)
	for _, d := range []time.Duration{time.Hour, 26 * time.Hour, spentGeneration - time.Second} {
		s.rotate(at.Add(d))
		if !s.has(42) {
			t.Fatalf("key forgotten %v after it was added", d)
		}
	}
	s.rotate(at.Add(spentGeneration)) // the key's generation becomes the previous one
	if !s.has(42) {
		t.Fatal("key forgotten at the first rotation")
	}
	s.rotate(at.Add(2 * spentGeneration))
	if s.has(42) || s.bytes() != 0 {
		t.Errorf("key kept two generations later (%d bytes)", s.bytes())
	}
	// False positives stay rare at the sized load.
	for k := range uint64(1000) {
		s.add(k*0x9e3779b97f4a7c15+1, at)
	}
	fp := 0
	for k := range uint64(10000) {
		if s.has(k*0xbf58476d1ce4e5b9 + 7) {
			fp++
		}
	}
	if fp > 600 {
		t.Errorf("%d false positives in 10000", fp)
	}
}
