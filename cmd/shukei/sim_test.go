package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"time"
)

// The ground-truth simulator: visitors with known identities (an IP and a
// User-Agent each) browse a site over several days. It records every hit it
// sends, so the expected value of every metric can be computed from its own
// knowledge of who did what, independently of the collector.

// simVisitor is one simulated person.
type simVisitor struct {
	ip, ua       string
	lang         string // Accept-Language
	width        int    // viewport width
	country      string // what the test GeoIP database says for ip
	region       string
	browser, os  string // what the UA classifier reports
	device       string
	screen       string
	language     string
	acquisitions []simSource
}

// simSource is how a session arrives.
type simSource struct {
	referrer string // r
	query    string // added to the landing URL
	// expected acquisition as the collector derives it
	name, host, utmSource, utmMedium, utmCampaign string
	channel                                       string
}

type simHit struct {
	at          time.Time
	visitor     int
	session     int
	kind        string // pageview, event, engagement
	path        string
	query       string // extra query on the URL (UTM, search)
	name        string
	interactive bool
	engagedMS   int64
	referrer    string
	searchTerm  string
	// props are the custom properties sent; kept what the collector keeps
	// of them: the url of downloads and outbound links, scrubbed, and the
	// site's allowlisted "plan" ("(none)" when not sent).
	props map[string]string
	kept  map[string]string
}

type simSession struct {
	id, visitor int
	source      simSource
	hits        []*simHit
}

type simulation struct {
	site     string
	zone     *time.Location
	days     []time.Time // local midnights
	visitors []simVisitor
	sessions []*simSession
	hits     []*simHit // counted hits, in time order
}

var simPages = []string{"/", "/blog/cookieless", "/blog/japan-stats", "/docs/start", "/pricing", "/search"}

var simSearchTerms = []string{"Retention", "k-anonymity", "ClickHouse"}

var simEvents = []string{"Signup", "File Download", "Outbound Link: Click"}

// simLinks are the url properties downloads and outbound links send, and
// what is kept of them (scrubbed like a page URL); "" sends none.
var simLinks = []struct{ sent, kept string }{
	{"https://gt.example/files/annual-report.pdf?download=1", "https://gt.example/files/annual-report.pdf"},
	{"https://gt.example/files/forms/jane.doe@mail.example.pdf", "https://gt.example/files/forms/:email"},
	{"https://partner.example.org/about#team", "https://partner.example.org/about"},
	{"", "(none)"},
}

// simPlans are the values of the allowlisted property "plan" ("" sends none).
var simPlans = []string{"pro", "free", ""}

// setProps draws the properties of a page view or event.
func setProps(rng *rand.Rand, h *simHit) {
	h.props, h.kept = map[string]string{"noise": "x"}, map[string]string{"plan": "(none)"}
	if plan := simPlans[rng.IntN(len(simPlans))]; plan != "" {
		h.props["plan"], h.kept["plan"] = plan, plan
	}
	if h.name == "File Download" || h.name == "Outbound Link: Click" {
		l := simLinks[rng.IntN(len(simLinks))]
		if l.sent != "" {
			h.props["url"] = l.sent
		}
		h.kept["url"] = l.kept
	}
}

// newSimulation builds a deterministic scenario.
func newSimulation(seed uint64, site string, zone *time.Location, days int, visitors []simVisitor) *simulation {
	s := &simulation{site: site, zone: zone, visitors: visitors}
	first := time.Date(2026, 3, 9, 0, 0, 0, 0, zone)
	for d := range days {
		s.days = append(s.days, first.AddDate(0, 0, d))
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	for v := range visitors {
		s.visitorSessions(rng, v)
	}
	s.crossMidnight(0)
	for _, ss := range s.sessions {
		s.hits = append(s.hits, ss.hits...)
	}
	slices.SortStableFunc(s.hits, func(a, b *simHit) int { return a.at.Compare(b.at) })
	return s
}

// visitorSessions gives a visitor sessions on random days, each at least 31
// minutes after the previous one ended.
func (s *simulation) visitorSessions(rng *rand.Rand, v int) {
	for _, day := range s.days[:len(s.days)-1] {
		if rng.IntN(3) == 0 {
			continue
		}
		t := day.Add(time.Duration(1+rng.IntN(10)) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second)
		for range 1 + rng.IntN(3) {
			end := s.session(rng, v, t)
			t = end.Add(31*time.Minute + time.Duration(rng.IntN(3*3600))*time.Second)
			if t.After(day.Add(20 * time.Hour)) {
				break
			}
		}
	}
}

// session adds one visit starting at t and returns its last hit's time.
func (s *simulation) session(rng *rand.Rand, v int, t time.Time) time.Time {
	vis := s.visitors[v]
	ss := &simSession{id: len(s.sessions), visitor: v, source: vis.acquisitions[rng.IntN(len(vis.acquisitions))]}
	s.sessions = append(s.sessions, ss)
	add := func(h *simHit) {
		h.visitor, h.session = v, ss.id
		ss.hits = append(ss.hits, h)
	}
	views := 1 + rng.IntN(4)
	for i := range views {
		path := simPages[rng.IntN(len(simPages))]
		h := &simHit{at: t, kind: "pageview", path: path}
		if i == 0 {
			h.referrer, h.query = ss.source.referrer, ss.source.query
		} else {
			h.referrer = "https://" + s.site + "/previous"
		}
		if path == "/search" {
			term := simSearchTerms[rng.IntN(len(simSearchTerms))]
			h.query = joinQuery(h.query, "q="+url.QueryEscape(term))
			h.searchTerm = lowerASCII(term)
		}
		setProps(rng, h)
		add(h)
		gap := time.Duration(10+rng.IntN(20*60)) * time.Second
		if rng.IntN(3) == 0 {
			at := t.Add(time.Duration(1+rng.IntN(int(gap/time.Second)-1)) * time.Second)
			ev := &simHit{at: at, kind: "event", path: path, name: simEvents[rng.IntN(len(simEvents))], interactive: rng.IntN(2) == 0}
			setProps(rng, ev)
			add(ev)
		}
		last := i == views-1
		if rng.IntN(5) < 2 {
			// An engagement report before the next view (or after the last).
			at := t.Add(gap - time.Second)
			add(&simHit{at: at, kind: "engagement", path: path, engagedMS: int64(rng.IntN(int(gap/time.Millisecond) - 1000))})
		}
		if !last {
			t = t.Add(gap)
		}
	}
	slices.SortStableFunc(ss.hits, func(a, b *simHit) int { return a.at.Compare(b.at) })
	return ss.hits[len(ss.hits)-1].at
}

// crossMidnight adds a visit by visitor v that runs across the last
// midnight: it is one visit, and the visitor counts on both days.
func (s *simulation) crossMidnight(v int) {
	midnight := s.days[len(s.days)-1]
	ss := &simSession{id: len(s.sessions), visitor: v, source: s.visitors[v].acquisitions[0]}
	s.sessions = append(s.sessions, ss)
	for _, h := range []*simHit{
		{at: midnight.Add(-10 * time.Minute), kind: "pageview", path: "/", referrer: ss.source.referrer, query: ss.source.query},
		{at: midnight.Add(5 * time.Minute), kind: "pageview", path: "/pricing", referrer: "https://" + s.site + "/"},
		{at: midnight.Add(7 * time.Minute), kind: "engagement", path: "/pricing", engagedMS: 90_000},
		{at: midnight.Add(8 * time.Minute), kind: "event", path: "/pricing", name: "Signup", interactive: true},
	} {
		h.visitor, h.session = v, ss.id
		if h.kind != "engagement" {
			h.kept = map[string]string{"plan": "(none)"}
		}
		ss.hits = append(ss.hits, h)
	}
}

func joinQuery(a, b string) string {
	if a == "" {
		return b
	}
	return a + "&" + b
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// payload is the hit as a browser's tracker sends it.
func (s *simulation) payload(h *simHit) map[string]any {
	u := "https://" + s.site + h.path
	if h.query != "" {
		u += "?" + h.query
	}
	p := map[string]any{"n": h.kind, "u": u, "d": s.site, "w": s.visitors[h.visitor].width}
	switch h.kind {
	case "event":
		p["n"] = h.name
		p["i"] = h.interactive
	case "engagement":
		p["e"] = h.engagedMS
	}
	if h.referrer != "" {
		p["r"] = h.referrer
	}
	if len(h.props) > 0 {
		p["p"] = h.props
	}
	return p
}

func (s *simulation) day(t time.Time) string { return t.In(s.zone).Format("2006-01-02") }

func (s *simulation) String() string {
	return fmt.Sprintf("%d visitors, %d sessions, %d hits", len(s.visitors), len(s.sessions), len(s.hits))
}
