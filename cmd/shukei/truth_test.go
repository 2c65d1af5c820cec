package main

import (
	"math"
	"strings"
)

// truth computes expected Stats API values from the simulation's own
// records, following the semantics documented in docs/metrics.md.
type truth struct{ s *simulation }

// group names a result row: dimension values joined with "|".
type group func(h *simHit) string

func (t truth) visitor(h *simHit) *simVisitor { return &t.s.visitors[h.visitor] }

func (t truth) session(h *simHit) *simSession { return t.s.sessions[h.session] }

// dailyUnique sums, per group, the number of distinct "who" per day among
// the hits keep selects.
func (t truth) dailyUnique(keep func(*simHit) bool, g group, who func(*simHit) string) map[string]float64 {
	seen := map[string]bool{}
	out := map[string]float64{}
	for _, h := range t.s.hits {
		if !keep(h) {
			continue
		}
		k := g(h)
		id := t.s.day(h.at) + "\x00" + k + "\x00" + who(h)
		if !seen[id] {
			seen[id] = true
			out[k]++
		}
	}
	return out
}

func isView(h *simHit) bool        { return h.kind == "pageview" }
func isViewOrEvent(h *simHit) bool { return h.kind == "pageview" || h.kind == "event" }

func (t truth) whoVisitor(h *simHit) string { return t.visitor(h).ip + "\x00" + t.visitor(h).ua }

// sessionFirst selects the first hit of each session.
func (t truth) sessionFirst(h *simHit) bool { return t.session(h).hits[0] == h }

// visitors is Σ daily unique visitors, for visitor-constant groups.
func (t truth) visitors(keep func(*simHit) bool, g group) map[string]float64 {
	return t.dailyUnique(func(h *simHit) bool { return isViewOrEvent(h) && keep(h) }, g, t.whoVisitor)
}

// pageVisitors is Σ daily unique visitors per page view path.
func (t truth) pageVisitors(keep func(*simHit) bool, g group) map[string]float64 {
	out := map[string]float64{}
	byPath := t.dailyUnique(func(h *simHit) bool { return isView(h) && keep(h) },
		func(h *simHit) string { return g(h) + "\x01" + h.path }, t.whoVisitor)
	for k, v := range byPath {
		out[k[:strings.IndexByte(k, '\x01')]] += v
	}
	return out
}

// sourceVisitors is Σ daily unique (visitor, acquisition) at visit starts.
func (t truth) sourceVisitors(keep func(*simHit) bool, g group) map[string]float64 {
	return t.dailyUnique(func(h *simHit) bool { return t.sessionFirst(h) && keep(h) }, g, func(h *simHit) string {
		src := t.session(h).source
		return t.whoVisitor(h) + "\x00" + src.name + "\x00" + src.host + "\x00" + src.utmSource + "\x00" + src.utmMedium + "\x00" + src.utmCampaign
	})
}

// entryVisitors is Σ daily unique (visitor, entry page) at visit starts.
func (t truth) entryVisitors(g group) map[string]float64 {
	return t.dailyUnique(t.sessionFirst, g, func(h *simHit) string { return t.whoVisitor(h) + "\x00" + h.path })
}

// eventVisitors is Σ daily unique (visitor, event name).
func (t truth) eventVisitors(g group) map[string]float64 {
	return t.dailyUnique(isViewOrEvent, g, func(h *simHit) string { return t.whoVisitor(h) + "\x00" + eventName(h) })
}

func eventName(h *simHit) string {
	if h.kind == "pageview" {
		return "pageview"
	}
	return h.name
}

// count counts the hits keep selects, per group.
func (t truth) count(keep func(*simHit) bool, g group) map[string]float64 {
	out := map[string]float64{}
	for _, h := range t.s.hits {
		if keep(h) {
			out[g(h)]++
		}
	}
	return out
}

// perSession sums f over the sessions, grouped by their first hit.
func (t truth) perSession(keep func(*simHit) bool, g group, f func(*simSession) float64) map[string]float64 {
	out := map[string]float64{}
	for _, ss := range t.s.sessions {
		first := ss.hits[0]
		if keep(first) {
			out[g(first)] += f(ss)
		}
	}
	return out
}

func one(*simSession) float64 { return 1 }

// bounced: one page view and no interactive event.
func bounced(ss *simSession) float64 {
	views := 0
	for _, h := range ss.hits {
		switch {
		case h.kind == "pageview":
			views++
		case h.kind == "event" && h.interactive:
			return 0
		}
	}
	if views == 1 {
		return 1
	}
	return 0
}

// duration is the visit's length as Plausible counts it: from its first to
// its last page view or custom event (an engagement report keeps a visit
// alive but does not lengthen it).
func duration(ss *simSession) float64 {
	last := ss.hits[0].at
	for _, h := range ss.hits {
		if h.kind != "engagement" {
			last = h.at
		}
	}
	return last.Sub(ss.hits[0].at).Seconds()
}

func views(ss *simSession) float64 {
	n := 0.0
	for _, h := range ss.hits {
		if h.kind == "pageview" {
			n++
		}
	}
	return n
}

// exits counts, per group of the exit page view, the visits ending there.
func (t truth) exits(g group) map[string]float64 {
	out := map[string]float64{}
	for _, ss := range t.s.sessions {
		var last *simHit
		for _, h := range ss.hits {
			if h.kind == "pageview" {
				last = h
			}
		}
		out[g(last)]++
	}
	return out
}

// timeOnPage: per page view, the engaged seconds reported for it, else the
// gap to the next page view of the visit, else unknown.
func (t truth) timeOnPage(g group) (seconds, timed map[string]float64) {
	seconds, timed = map[string]float64{}, map[string]float64{}
	for _, ss := range t.s.sessions {
		for i, h := range ss.hits {
			if h.kind != "pageview" {
				continue
			}
			engaged, known := 0.0, false
			var next *simHit
			for _, later := range ss.hits[i+1:] {
				if later.kind == "pageview" {
					next = later
					break
				}
				if later.kind == "engagement" {
					engaged += float64((later.engagedMS + 500) / 1000)
					known = true
				}
			}
			switch {
			case known:
				seconds[g(h)] += engaged
				timed[g(h)]++
			case next != nil:
				seconds[g(h)] += next.at.Sub(h.at).Seconds()
				timed[g(h)]++
			}
		}
	}
	return seconds, timed
}

// ratio divides per group, scaled and rounded like the API.
func ratio(num, den map[string]float64, scale float64, decimals int, nullIfNone bool) map[string]float64 {
	out := map[string]float64{}
	for k, d := range den {
		if d == 0 {
			if nullIfNone {
				out[k] = -1
			} else {
				out[k] = 0
			}
			continue
		}
		p := math.Pow(10, float64(decimals))
		out[k] = math.Floor(num[k]/d*scale*p+0.5) / p
	}
	return out
}

func all(*simHit) bool { return true }

func constGroup(string) group { return func(*simHit) string { return "" } }

// hasProp selects the hits that kept a property of the key.
func hasProp(key string) func(*simHit) bool {
	return func(h *simHit) bool { return h.kept[key] != "" }
}

// keptProp groups hits by the kept value of a property.
func keptProp(key string) group {
	return func(h *simHit) string { return h.kept[key] }
}

// propVisitors is Σ daily unique visitors per kept value of the key, over
// the hits keep selects: a property row counts its visitor once a day per
// value, the first time it is sent with any event.
func (t truth) propVisitors(key string, keep func(*simHit) bool) map[string]float64 {
	return t.propVisitorsBy(key, keep, keptProp(key))
}

// propVisitorsBy is propVisitors grouped by g.
func (t truth) propVisitorsBy(key string, keep func(*simHit) bool, g group) map[string]float64 {
	// The collector marks a visitor's first (key, value) of the day over
	// all events; a filter (keep) then sums those marks only where the
	// first one fell on a selected hit.
	first := map[string]bool{}
	out := map[string]float64{}
	for _, h := range t.s.hits {
		v := h.kept[key]
		if v == "" {
			continue
		}
		id := t.s.day(h.at) + "\x00" + t.whoVisitor(h) + "\x00" + v
		if first[id] {
			continue
		}
		first[id] = true
		if keep(h) {
			out[g(h)]++
		}
	}
	return out
}
