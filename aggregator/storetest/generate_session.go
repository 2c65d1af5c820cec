package storetest

import (
	"time"

	"github.com/shukei-analytics/shukei/event"
)

// session generates the rows of one session starting at start; the slice
// is reused by the next call.
func (g *generator) session(start time.Time) []event.Row {
	g.rows = g.rows[:0]
	si := g.site()
	base := g.sessionBase(si, start)
	newVisitor := g.r.IntN(100) < 75
	views := 1
	if g.r.IntN(100) >= 45 { // 45% of sessions bounce
		views = 2 + g.r.IntN(11)
	}
	ts := base.TS
	var prev *event.Row
	seen := map[string]bool{}
	for v := range views {
		path := g.paths[si][g.zipf[si].Uint64()]
		if v == 0 {
			path = g.paths[si][g.r.IntN(min(8, len(g.paths[si])))] // entries: the top pages
			base.EntryPath = path
		}
		secs := int32(0)
		if v > 0 {
			secs = int32(5 + g.r.IntN(400))
			ts = ts.Add(time.Duration(secs) * time.Second)
			g.correction(*prev, ts, secs)
		}
		row := g.pageview(base, ts, path, v, secs, newVisitor, !seen[path])
		seen[path] = true
		g.rows = append(g.rows, row)
		prev = &g.rows[len(g.rows)-1]
		if g.r.IntN(100) < 8 {
			g.customEvent(*prev, newVisitor)
		}
	}
	return g.rows
}

// sessionBase draws the dimensions a session's rows share.
func (g *generator) sessionBase(si int, start time.Time) event.Row {
	site := g.opts.Sites[si]
	pl := pick(g.r, places)
	cl := pick(g.r, clients)
	src := pick(g.r, sources)
	r := event.Row{
		Site: site, TS: start.Add(time.Duration(g.r.IntN(60)) * time.Second).Truncate(time.Minute),
		Hostname: site, ReferrerSource: src.name, ReferrerHost: src.host, Channel: channels[src.name],
		Country: pl.country, Region: pl.region, City: pl.city,
		Browser: cl.browser, BrowserVersion: g.version(cl.browser), OS: cl.os, OSVersion: g.version(cl.os),
		Device: cl.device, Screen: cl.screen, Language: pick(g.r, languages),
	}
	if g.r.IntN(20) == 0 {
		r.Hostname = "www." + site
	}
	if g.r.IntN(8) == 0 {
		u := pick(g.r, campaigns)
		r.UTMSource, r.UTMMedium, r.UTMCampaign, r.UTMContent, r.UTMTerm = u.source, u.medium, u.campaign, u.content, u.term
		r.Channel = campaignChannel(u.medium)
	}
	return r
}

// version draws a major version, the newest most often.
func (g *generator) version(name string) string {
	vs := versions[name]
	if len(vs) == 0 {
		return ""
	}
	return vs[min(g.r.IntN(len(vs)), g.r.IntN(len(vs)))]
}

// pageview is the v-th page view of a session, secs after the previous.
func (g *generator) pageview(base event.Row, ts time.Time, path string, v int, secs int32, newVisitor, firstOfPath bool) event.Row {
	r := base
	r.TS, r.Kind, r.Name, r.Path = ts.Truncate(time.Minute), event.KindPageview, event.PageviewName, path
	c := event.Counters{Pageviews: 1, Exits: 1, Duration: secs}
	if path == "/search" {
		r.SearchTerm = g.searchTerm()
		c.PublicSearchVisitors = b2i(g.r.IntN(2) == 0)
	}
	if firstOfPath && (newVisitor || g.r.IntN(2) == 0) {
		c.PageVisitors = 1
		// The collector bounds the public count; any subset is realistic.
		c.PublicPageVisitors = b2i(g.r.IntN(4) != 0)
	}
	switch v {
	case 0:
		c.Visits, c.Bounces = 1, 1
		c.EntryVisitors = b2i(newVisitor || g.r.IntN(3) == 0)
		c.SourceVisitors = b2i(newVisitor || g.r.IntN(3) == 0)
		c.PublicSourceVisitors = c.SourceVisitors * b2i(g.r.IntN(3) != 0)
		c.Visitors, c.EventVisitors = b2i(newVisitor), b2i(newVisitor)
	case 1:
		c.Bounces = -1
	}
	r.Counters = c
	return r
}

// correction ends the previous page view: it is no longer the exit and
// its time on page is known.
func (g *generator) correction(prev event.Row, ts time.Time, secs int32) {
	prev.TS, prev.Kind, prev.SearchTerm = ts.Truncate(time.Minute), event.KindCorrection, ""
	prev.Counters = event.Counters{Exits: -1, TimeOnPage: secs, TimedViews: 1}
	g.rows = append(g.rows, prev)
}

// customEvent records a goal on the page just viewed.
func (g *generator) customEvent(at event.Row, newVisitor bool) {
	at.Kind, at.Name, at.SearchTerm = event.KindEvent, pick(g.r, eventNames), ""
	at.Counters = event.Counters{Events: 1, EventVisitors: b2i(newVisitor || g.r.IntN(2) == 0)}
	if g.r.IntN(2) == 0 {
		at.PageVisitors = 1
	}
	g.rows = append(g.rows, at)
	g.propRows(at, newVisitor)
}

// propRows records the kept properties of an event: a downloaded file's
// url, or an allowlisted "plan" ("(none)" when the event had none). A
// property row counts in the property counters only.
func (g *generator) propRows(at event.Row, newVisitor bool) {
	key, values := "plan", planValues
	if g.r.IntN(2) == 0 {
		key, values = "url", fileURLs
	}
	at.PropKey, at.PropValue = key, values[g.r.IntN(len(values))]
	at.Counters = event.Counters{PropEvents: 1, PropVisitors: b2i(newVisitor || g.r.IntN(2) == 0)}
	g.rows = append(g.rows, at)
}

func (g *generator) searchTerm() string {
	return searchTerms[g.r.IntN(len(searchTerms))]
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
