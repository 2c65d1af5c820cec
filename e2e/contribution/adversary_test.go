package contribution

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
)

// adversary is one person: one network and one browser, and the hits it
// sends. Everything it does is attributed to it, so its contribution per
// day can be measured.
type adversary struct {
	name string
	ip   ipaddr.Truncated
	ua   string
	hits []*visitor.Hit
	// unmeasured skips measuring a person (most of a flood's one-hit
	// visitors: a few of them are measured, the rest only evict).
	unmeasured bool
}

var (
	tokyo = mustZone("Asia/Tokyo")
	sites = []*site.Site{
		{Domain: "tokyo.example", Location: tokyo},
		{Domain: "utc.example", Location: time.UTC},
	}
	// start is a Monday 00:00 in Tokyo, so hits around midnight there
	// straddle two visitor-days.
	start = time.Date(2026, 3, 2, 0, 0, 0, 0, tokyo)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// newAdversary gives the i-th person its own network and browser.
func newAdversary(name string, i int) *adversary {
	ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{198, 18, byte(i >> 8), byte(i)}), 24, 48)
	return &adversary{name: name, ip: ip, ua: fmt.Sprintf("Mozilla/5.0 (X11; Linux x86_64) Firefox/%d.0", 100+i%50)}
}

// hitOpts are the hit's dimensions an adversary controls.
type hitOpts struct {
	kind                  visitor.HitKind
	name                  string
	path, source, refHost string
	utmCampaign, utmTerm  string
	country, browser      string
	engaged               int32
	interactive           bool
}

func (a *adversary) add(s *site.Site, at time.Time, o hitOpts) {
	if o.kind == 0 {
		o.kind = visitor.Pageview
	}
	h := &visitor.Hit{Site: s, Time: at, Kind: o.kind, Name: o.name, Interactive: o.interactive, EngagedSeconds: o.engaged}
	h.Row = event.Row{
		Site: s.Domain, Hostname: s.Domain, Path: o.path,
		ReferrerSource: o.source, ReferrerHost: o.refHost, UTMCampaign: o.utmCampaign, UTMTerm: o.utmTerm,
		Country: o.country, Browser: o.browser, OS: "Linux", Device: "Desktop", Screen: "Desktop", Language: "ja",
	}
	if h.Row.Country == "" {
		h.Row.Country = "JP"
	}
	if h.Row.Browser == "" {
		h.Row.Browser = "Firefox"
	}
	a.hits = append(a.hits, h)
}

// crawler views n distinct pages, every one several times, in one day.
func crawler(i, n int) *adversary {
	a := newAdversary(fmt.Sprintf("crawler-%d", n), i)
	at := start.Add(9 * time.Hour)
	for round := range 3 {
		for p := range n {
			a.add(sites[0], at, hitOpts{path: fmt.Sprintf("/page/%d", p), source: "Google", country: []string{"JP", "US", "DE"}[round]})
			at = at.Add(2 * time.Second)
		}
	}
	return a
}

// sourceHopper starts a new session from a new source (and the same
// source under many campaigns) again and again in one day.
func sourceHopper(i int) *adversary {
	a := newAdversary("source-hopper", i)
	at := start.Add(time.Hour)
	for s := range 30 {
		src := fmt.Sprintf("Source %d", s%10)
		a.add(sites[0], at, hitOpts{path: "/", source: src, refHost: fmt.Sprintf("s%d.example", s), utmCampaign: fmt.Sprintf("c%d", s), utmTerm: fmt.Sprint(s)})
		at = at.Add(31 * time.Minute)
	}
	return a
}

// nightOwl browses across midnight in the site's time zone for three
// nights, touching many pages and sources on each side.
func nightOwl(i int) *adversary {
	a := newAdversary("night-owl", i)
	for night := range 3 {
		at := start.Add(time.Duration(night+1)*24*time.Hour - 40*time.Minute)
		for p := range 80 {
			o := hitOpts{path: fmt.Sprintf("/n/%d", p), source: fmt.Sprintf("S%d", p%7)}
			if p%9 == 0 {
				o.kind, o.name, o.interactive = visitor.CustomEvent, fmt.Sprintf("Goal %d", p), true
			}
			a.add(sites[0], at, o)
			// Some gaps end the session, so new ones start on both days.
			at = at.Add(time.Duration(20+p%3*700) * time.Second)
		}
	}
	return a
}

// eventer mixes page views, custom events on many pages, engagement
// reports and interactions on both sites.
func eventer(i int) *adversary {
	a := newAdversary("eventer", i)
	at := start.Add(12 * time.Hour)
	for p := range 60 {
		s := sites[p%2]
		path := fmt.Sprintf("/e/%d", p%25)
		a.add(s, at, hitOpts{path: path, source: "Newsletter"})
		a.add(s, at.Add(time.Second), hitOpts{kind: visitor.CustomEvent, name: fmt.Sprintf("Click %d", p), path: fmt.Sprintf("/other/%d", p), interactive: true})
		a.add(s, at.Add(3*time.Second), hitOpts{kind: visitor.Engagement, path: path, engaged: 9})
		at = at.Add(time.Minute)
	}
	return a
}

// random is a random person over three days on both sites: random gaps
// (some ending the session), pages from a small or a large pool, sources
// and campaigns, events, engagement reports and changing claimed
// locations and browsers (which must not multiply its visitor counts).
func random(i int, r *rand.Rand) *adversary {
	a := newAdversary(fmt.Sprintf("random-%d", i), i)
	at := start.Add(time.Duration(r.IntN(72)) * time.Hour)
	pool := 5 + r.IntN(400)
	for range 20 + r.IntN(300) {
		o := hitOpts{
			path:        fmt.Sprintf("/r/%d", r.IntN(pool)),
			source:      []string{"", "Google", "Bing", "Newsletter", "X", "Facebook"}[r.IntN(6)],
			utmCampaign: fmt.Sprint(r.IntN(5)),
			country:     []string{"JP", "US", "KR"}[r.IntN(3)],
			browser:     []string{"Firefox", "Chrome"}[r.IntN(2)],
		}
		switch r.IntN(8) {
		case 0:
			o.kind, o.name, o.interactive = visitor.CustomEvent, fmt.Sprintf("Goal %d", r.IntN(20)), r.IntN(2) == 0
		case 1:
			o.kind, o.engaged = visitor.Engagement, int32(r.IntN(600))
		}
		a.add(sites[r.IntN(2)], at, o)
		switch r.IntN(10) {
		case 0:
			at = at.Add(time.Duration(31+r.IntN(600)) * time.Minute)
		default:
			at = at.Add(time.Duration(1+r.IntN(300)) * time.Second)
		}
	}
	return a
}

// flood is many one-hit visitors, enough to push others out of a small
// tracker's memory.
func flood(first, n int, at time.Time) []*adversary {
	out := make([]*adversary, 0, n)
	for i := range n {
		a := newAdversary("flood", first+i)
		a.unmeasured = i >= 3
		a.add(sites[0], at.Add(time.Duration(i)*time.Millisecond), hitOpts{path: "/"})
		out = append(out, a)
	}
	return out
}

// evictee is pushed out of memory by a flood in the middle of its day and
// comes back to view new pages from new sources.
func evictee(i int) *adversary {
	a := newAdversary("evictee", i)
	at := start.Add(8 * time.Hour)
	for p := range 40 {
		a.add(sites[0], at, hitOpts{path: fmt.Sprintf("/before/%d", p), source: fmt.Sprintf("S%d", p%5)})
		at = at.Add(40 * time.Minute / 40)
	}
	at = start.Add(11 * time.Hour) // after the flood
	for p := range 40 {
		a.add(sites[0], at, hitOpts{path: fmt.Sprintf("/after/%d", p), source: fmt.Sprintf("T%d", p%5)})
		at = at.Add(31 * time.Minute)
	}
	return a
}
