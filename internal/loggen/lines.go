package loggen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Line is one request as a server logs it.
type Line struct {
	// At is the request's time, as the log records it; the server writes
	// the line when the request ends, so lines are not quite in At order.
	At          time.Time
	written     time.Time
	IP, UA      string
	Method      string
	Target      string
	Status      int
	Referrer    string
	Host        string
	ContentType string
	// Malformed lines are garbage.
	Malformed bool
	// Counts says the line is a page view that counts.
	Counts bool
	// needs is what a format must record for the line to be told from a
	// page view; a format without it leaves the line out.
	needs needs
}

type needs uint8

const (
	needsUA needs = 1 << iota
	needsReferrer
	needsHost
)

var assets = []struct{ path, ctype string }{
	{"/assets/site.css", "text/css"}, {"/assets/app.js", "application/javascript"},
	{"/img/logo.png", "image/png"}, {"/fonts/ja.woff2", "font/woff2"}, {"/favicon.ico", "image/x-icon"},
}

var bots = []string{
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
	"curl/8.5.0",
	"python-requests/2.31.0",
}

var spam = []string{"https://semalt.com/offer", "https://x.darodar.com/"}

// lines writes the requests: every page view, and around them what must
// not count.
func (l *Log) lines(rng *rand.Rand) {
	site := l.Config.Site
	for _, h := range l.Hits {
		v := &l.Visitors[h.Visitor]
		target := h.Path
		if h.Query != "" {
			target += "?" + h.Query
		}
		status := 200
		if rng.IntN(10) == 0 {
			status = 304
		}
		l.add(rng, Line{At: h.At, IP: v.IP, UA: v.UA, Method: "GET", Target: target, Status: status,
			Referrer: h.Referrer, Host: site, ContentType: "text/html; charset=utf-8", Counts: true})
		if l.Config.Noise > 0 {
			l.visitorNoise(rng, h, v)
		}
	}
	if l.Config.Noise > 0 && len(l.Hits) > 0 {
		l.strangers(rng)
	}
	l.sortWritten()
	if n := l.Config.MalformedEvery; n > 0 {
		out := make([]Line, 0, len(l.Lines)+len(l.Lines)/n+1)
		for i, ln := range l.Lines {
			out = append(out, ln)
			if i%n == n-1 {
				out = append(out, Line{At: ln.At, written: ln.written, Malformed: true})
			}
		}
		l.Lines = out
	}
}

// add appends a line written when the request ends, up to 3 s later.
func (l *Log) add(rng *rand.Rand, ln Line) {
	ln.written = ln.At.Add(time.Duration(rng.IntN(3000)) * time.Millisecond)
	l.Lines = append(l.Lines, ln)
}

// visitorNoise is what a visitor's browser also requests, and mistakes.
func (l *Log) visitorNoise(rng *rand.Rand, h *Hit, v *Visitor) {
	site := l.Config.Site
	page := "https://" + site + h.Path
	n := int(l.Config.Noise * 2 * rng.Float64())
	for i := range n {
		at := h.At.Add(time.Duration(1+rng.IntN(3)) * time.Second)
		switch i % 6 {
		case 0, 1, 2:
			a := assets[rng.IntN(len(assets))]
			l.add(rng, Line{At: at, IP: v.IP, UA: v.UA, Method: "GET", Target: a.path, Status: 200, Referrer: page, Host: site, ContentType: a.ctype})
		case 3:
			l.add(rng, Line{At: at, IP: v.IP, UA: v.UA, Method: "GET", Target: "/old-page", Status: 404, Referrer: page, Host: site, ContentType: "text/html"})
		case 4:
			l.add(rng, Line{At: at, IP: v.IP, UA: v.UA, Method: "POST", Target: "/contact", Status: 200, Referrer: page, Host: site, ContentType: "text/html"})
		case 5:
			l.add(rng, Line{At: at, IP: v.IP, UA: v.UA, Method: "HEAD", Target: h.Path, Status: 200, Host: site, ContentType: "text/html"})
		}
	}
}

// strangers are requests by others: bots, referrer spam, health checks,
// the collector's endpoints, another site on the same server.
func (l *Log) strangers(rng *rand.Rand) {
	first, last := l.Hits[0].At, l.Hits[len(l.Hits)-1].At
	span := last.Sub(first)
	n := int(float64(len(l.Hits)) * l.Config.Noise / 2)
	for i := range n {
		at := first.Add(time.Duration(rng.Int64N(int64(span) + 1))).Truncate(time.Second)
		ip := fmt.Sprintf("198.51.%d.%d", i/250%250, i%250+1)
		ua := UserAgents[rng.IntN(len(UserAgents))].UA
		ln := Line{At: at, IP: ip, UA: ua, Method: "GET", Target: Pages[rng.IntN(len(Pages))], Status: 200, Host: l.Config.Site, ContentType: "text/html"}
		switch i % 5 {
		case 0:
			ln.UA, ln.needs = bots[rng.IntN(len(bots))], needsUA
		case 1:
			ln.Referrer, ln.needs = spam[rng.IntN(len(spam))], needsReferrer
		case 2:
			ln.IP, ln.UA, ln.Target, ln.ContentType = "10.0.0.1", "ELB-HealthChecker/2.0", "/healthz", "text/plain"
		case 3:
			ln.Method, ln.Target, ln.Status, ln.ContentType = "POST", "/api/event", 202, "text/plain"
		case 4:
			ln.Host, ln.needs = "other.example", needsHost
		}
		l.add(rng, ln)
	}
}

// sortWritten puts the lines in the order the server writes them (ties in
// the order they were made), sorting indices rather than the large lines.
func (l *Log) sortWritten() {
	idx := make([]int32, len(l.Lines))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if c := l.Lines[a].written.Compare(l.Lines[b].written); c != 0 {
			return c
		}
		return int(a - b)
	})
	sorted := make([]Line, len(l.Lines))
	for i, j := range idx {
		sorted[i] = l.Lines[j]
	}
	l.Lines = sorted
}
