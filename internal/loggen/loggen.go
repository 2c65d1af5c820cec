// Package loggen writes web-server access logs with a known ground truth,
// for the import's tests and benchmarks: visitors (an address and a
// User-Agent each) browse a site in visits over several days, among
// requests that must not count (assets, bots, referrer spam, errors, form
// posts, health checks, other hosts, malformed lines). It records every
// page view it writes, so the expected statistics can be computed from
// its own knowledge of who did what.
package loggen

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Config shapes a generated log.
type Config struct {
	Seed uint64
	// Site is the host of the pages.
	Site string
	// Start is the first day's local midnight; Days how many days.
	Start time.Time
	Days  int
	// Visitors is how many people visit.
	Visitors int
	// SharedPrefixes gives some visitors the /24 of others (told apart by
	// their User-Agent). Off for logs that record no User-Agent.
	SharedPrefixes bool
	// Noise adds requests that must not count, about this many per page
	// view (0: none).
	Noise float64
	// MalformedEvery makes every n-th line garbage (0: none).
	MalformedEvery int
}

// UserAgent is a browser's User-Agent and the class Shukei gives it.
type UserAgent struct{ UA, Browser, OS, Device string }

// UserAgents are the visitors' browsers.
var UserAgents = []UserAgent{
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome", "Windows", "Desktop"},
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari", "Mac", "Desktop"},
	{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari", "iOS", "Mobile"},
	{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome", "Android", "Mobile"},
	{"Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", "Firefox", "GNU/Linux", "Desktop"},
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Microsoft Edge", "Windows", "Desktop"},
	{"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari", "iPadOS", "Tablet"},
}

// Places maps an address's first octet to what the tests' GeoIP database
// says for it.
var Places = map[int][2]string{11: {"JP", "JP-13"}, 12: {"JP", "JP-27"}, 13: {"US", "US-CA"}, 14: {"DE", "DE-BE"}}

// Source is how a visit arrives, and the acquisition Shukei derives.
type Source struct {
	Referrer, Query                               string
	Name, Host, UTMSource, UTMMedium, UTMCampaign string
	Channel                                       string // Plausible's acquisition channel
}

// Sources are the ways in.
var Sources = []Source{
	{Name: "Direct / None", Channel: "Direct"},
	{Referrer: "https://www.google.com/", Name: "Google", Host: "www.google.com", Channel: "Organic Search"},
	{Referrer: "https://t.co/abc", Name: "Twitter", Host: "t.co", Channel: "Organic Social"},
	{Query: "utm_source=newsletter&utm_medium=email&utm_campaign=spring", Name: "newsletter", UTMSource: "newsletter", UTMMedium: "email", UTMCampaign: "spring", Channel: "Email"},
	{Referrer: "https://news.ycombinator.com/item?id=1", Name: "Hacker News", Host: "news.ycombinator.com", Channel: "Organic Social"},
}

// Pages are the site's pages; /search takes a q parameter.
var Pages = []string{"/", "/blog/cookieless", "/blog/japan-stats", "/docs/start", "/pricing", "/search"}

// SearchTerms are what visitors search for.
var SearchTerms = []string{"Retention", "k-anonymity", "ClickHouse"}

// Visitor is one person.
type Visitor struct {
	IP string
	UserAgent
	Country, Region string
	sources         []Source
}

// Hit is a counted page view.
type Hit struct {
	At               time.Time
	Visitor, Session int
	Path, Query      string
	Referrer         string
	SearchTerm       string // as Shukei stores it (lower case)
}

// Session is one visit.
type Session struct {
	Visitor int
	Source  Source
	Hits    []*Hit
}

// Log is a generated log: the truth and the lines.
type Log struct {
	Config   Config
	Visitors []Visitor
	Sessions []*Session
	// Hits are the page views that count, in time order.
	Hits []*Hit
	// Lines are all requests in the order the server writes them.
	Lines []Line
}

// Generate builds a log; the same config gives the same log.
func Generate(cfg Config) *Log {
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x10960e))
	l := &Log{Config: cfg}
	l.visitors()
	days := make([]time.Time, cfg.Days)
	for d := range days {
		days[d] = cfg.Start.AddDate(0, 0, d)
	}
	for v := range l.Visitors {
		l.visitorSessions(rng, v, days)
	}
	if len(l.Visitors) > 0 && len(days) > 1 {
		l.crossMidnight(days[len(days)-1])
	}
	for _, s := range l.Sessions {
		l.Hits = append(l.Hits, s.Hits...)
	}
	slices.SortStableFunc(l.Hits, func(a, b *Hit) int { return a.At.Compare(b.At) })
	l.lines(rng)
	return l
}

func (l *Log) visitors() {
	for i := range l.Config.Visitors {
		// Each visitor its own /24 (for up to 62,500 visitors).
		first, second, third, last := 11+i%4, i%250, i/250%250+1, 10+i%200
		ua := UserAgents[i%len(UserAgents)]
		if l.Config.SharedPrefixes && i%9 == 8 {
			// The /24 of the visitor before, with another browser: another
			// person.
			j := i - 1
			first, second, third, last = 11+j%4, j%250, j/250%250+1, 250
			ua = UserAgents[(i+1)%len(UserAgents)]
		}
		v := Visitor{IP: fmt.Sprintf("%d.%d.%d.%d", first, second, third, last), UserAgent: ua,
			Country: Places[first][0], Region: Places[first][1]}
		for j, s := range Sources {
			if (i+j)%3 != 0 || j == 0 {
				v.sources = append(v.sources, s)
			}
		}
		l.Visitors = append(l.Visitors, v)
	}
}

// visitorSessions gives a visitor visits on random days, each starting
// more than 30 minutes after the previous one ended.
func (l *Log) visitorSessions(rng *rand.Rand, v int, days []time.Time) {
	for _, day := range days[:max(len(days)-1, 1)] {
		if rng.IntN(3) == 0 {
			continue
		}
		t := day.Add(time.Duration(1+rng.IntN(10)) * time.Hour).Add(time.Duration(rng.IntN(3600)) * time.Second)
		for range 1 + rng.IntN(3) {
			end := l.session(rng, v, t)
			t = end.Add(31*time.Minute + time.Duration(rng.IntN(3*3600))*time.Second)
			if t.After(day.Add(20 * time.Hour)) {
				break
			}
		}
	}
}

func (l *Log) session(rng *rand.Rand, v int, t time.Time) time.Time {
	vis := &l.Visitors[v]
	s := &Session{Visitor: v, Source: vis.sources[rng.IntN(len(vis.sources))]}
	id := len(l.Sessions)
	l.Sessions = append(l.Sessions, s)
	views := 1 + rng.IntN(4)
	for i := range views {
		h := &Hit{At: t, Visitor: v, Session: id, Path: Pages[rng.IntN(len(Pages))]}
		if i == 0 {
			h.Referrer, h.Query = s.Source.Referrer, s.Source.Query
		} else {
			h.Referrer = "https://" + l.Config.Site + "/previous"
		}
		if h.Path == "/search" {
			term := SearchTerms[rng.IntN(len(SearchTerms))]
			h.Query = join(h.Query, "q="+url.QueryEscape(term))
			h.SearchTerm = strings.ToLower(term)
		}
		s.Hits = append(s.Hits, h)
		if i < views-1 {
			t = t.Add(time.Duration(10+rng.IntN(20*60)) * time.Second)
		}
	}
	return t
}

// crossMidnight adds a visit running across the last midnight: one visit,
// and a visitor on both days.
func (l *Log) crossMidnight(midnight time.Time) {
	s := &Session{Visitor: 0, Source: l.Visitors[0].sources[0]}
	id := len(l.Sessions)
	l.Sessions = append(l.Sessions, s)
	for i, at := range []time.Duration{-10 * time.Minute, 5 * time.Minute, 12 * time.Minute} {
		h := &Hit{At: midnight.Add(at), Visitor: 0, Session: id, Path: Pages[i+2], Referrer: "https://" + l.Config.Site + "/"}
		if i == 0 {
			h.Referrer, h.Query = s.Source.Referrer, s.Source.Query
		}
		s.Hits = append(s.Hits, h)
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "&" + b
}

func (l *Log) String() string {
	return fmt.Sprintf("%d visitors, %d visits, %d page views, %d lines", len(l.Visitors), len(l.Sessions), len(l.Hits), len(l.Lines))
}

// Malformed counts the garbage lines.
func (l *Log) Malformed() int {
	n := 0
	for i := range l.Lines {
		if l.Lines[i].Malformed {
			n++
		}
	}
	return n
}
