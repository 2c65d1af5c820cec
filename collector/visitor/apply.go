package visitor

import (
	"time"

	"github.com/shukei-analytics/shukei/event"
)

// apply updates st with h and appends the resulting rows. The shard lock is
// held.
func (t *Tracker) apply(st *state, h *Hit, out []event.Row) ([]event.Row, error) {
	now := h.Time.Unix()
	active := st.lastSeen != 0 && now-st.lastSeen < int64(t.cfg.SessionTimeout/time.Second)
	if h.Kind == Engagement {
		return t.engage(st, h, active, out)
	}
	row := h.Row
	row.TS = minute(h.Time)
	row.Counters = event.Counters{}
	if !st.counted {
		// The visitor's first page view or event of the day (an engagement
		// report alone does not make a visitor).
		row.Visitors = 1
		st.counted = true
	}
	if active {
		row.Duration = clampSeconds(now - st.lastEvent)
	} else {
		t.startSession(st, &row, h.Kind == Pageview)
	}
	st.apply(&row)
	switch h.Kind {
	case Pageview:
		out = t.pageview(st, h, &row, active, out)
	case CustomEvent:
		out = t.customEvent(st, h, &row, active, out)
	}
	st.lastSeen, st.lastEvent = now, now
	out = append(out, row)
	return t.propRows(st, h, &row, out), nil
}

// propRows appends a property row for each kept property of the hit: the
// hit's dimensions, the key and value, counted only in the property
// counters (DESIGN §3: event.Row.PropKey). Its visitor count is the first
// time today the visitor sent this value of the key, with any event, as
// Plausible counts the visitors of a property value (and so that a
// day's count of a value is a count of distinct people, which the
// public reports rely on).
func (t *Tracker) propRows(st *state, h *Hit, row *event.Row, out []event.Row) []event.Row {
	for _, p := range h.Props {
		r := *row
		r.Kind = event.KindEvent
		r.PropKey, r.PropValue = p.Key, p.Value
		r.Counters = event.Counters{PropEvents: 1}
		if st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagProp, p.Key, p.Value) {
			r.PropVisitors = 1
		}
		out = append(out, r)
	}
	return out
}

// startSession begins a session at this hit: its page is the entry page and
// its acquisition is the session's.
func (t *Tracker) startSession(st *state, row *event.Row, isPageview bool) {
	st.sess = t.sessions.get(sessionDimsOf(row))
	st.hasPage, st.prevTimed = false, false
	st.bounced = isPageview
	st.hasBefore = false
	row.Visits = 1
	if isPageview {
		row.Bounces = 1
	}
	if st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagSource, st.sess.acquisition()...) {
		row.SourceVisitors = 1
	}
	if st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagEntry, st.sess.entryPath) {
		row.EntryVisitors = 1
	}
	// Sources are published by name: de-duplicate by the name alone (the
	// acquisition tuple above tells apart visits that publish as one).
	if st.pubSources < event.MaxPublicSources &&
		st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagPublicSource, st.sess.source) {
		row.PublicSourceVisitors = 1
		st.pubSources++
	}
}

func (t *Tracker) pageview(st *state, h *Hit, row *event.Row, active bool, out []event.Row) []event.Row {
	row.Kind, row.Name = event.KindPageview, event.PageviewName
	row.Pageviews, row.Exits = 1, 1
	st.hasBefore = active && st.hasPage
	if st.hasBefore {
		c := t.correction(st)
		c.Exits = -1
		st.before, st.beforeAt, st.beforeByGap, st.beforeGap = st.prev, st.prevPageAt, !st.prevTimed, 0
		if !st.prevTimed {
			c.TimeOnPage = clampSeconds(h.Time.Unix() - st.prevPageAt)
			c.TimedViews = 1
			st.beforeGap = c.TimeOnPage
		}
		if st.bounced {
			c.Bounces = -1
			st.bounced = false
		}
		out = append(out, c)
	}
	if st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagPage, event.PageviewName, row.Path) {
		row.PageVisitors = 1
		// Pages are published by path, the key just de-duplicated; the
		// first MaxPublicPages of the day count in public.
		if st.pubPages < event.MaxPublicPages {
			row.PublicPageVisitors = 1
			st.pubPages++
		}
	}
	if st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagName, event.PageviewName) {
		row.EventVisitors = 1
	}
	// A term counts one searcher a day whatever the searches: the
	// publisher's people bound for search terms rests on it.
	if row.SearchTerm != "" && st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagSearch, row.SearchTerm) {
		row.PublicSearchVisitors = 1
	}
	st.prev = compactPage(st, row)
	st.prevPageAt = h.Time.Unix()
	st.hasPage, st.prevTimed = true, false
	return out
}

func (t *Tracker) customEvent(st *state, h *Hit, row *event.Row, active bool, out []event.Row) []event.Row {
	row.Kind, row.Name = event.KindEvent, h.Name
	row.Events = 1
	if active && h.Interactive && st.bounced && st.hasPage {
		// An interaction on the only page of the session ends its bounce.
		c := t.correction(st)
		c.Bounces = -1
		st.bounced = false
		out = append(out, c)
	}
	if st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagName, h.Name) {
		row.EventVisitors = 1
	}
	if st.firstToday(t.seenSeed, t.cfg.MaxSeen, tagPage, h.Name, row.Path) {
		row.PageVisitors = 1
	}
	return out
}

// engage records engaged time on a page. Each report carries the time
// since the tracker's previous report for that page view (Plausible's
// tracker resets its count after sending, and so does Shukei's), so
// reports add up. On the current page, its time on page becomes known
// (and is not taken from the gap to the next view). A report for the page
// before it, overtaken by the next page view, replaces the time that page
// took from the gap. Either way the session stays alive.
func (t *Tracker) engage(st *state, h *Hit, active bool, out []event.Row) ([]event.Row, error) {
	var c event.Row
	switch {
	case !active:
		return out, ErrNoSession
	case st.hasPage && st.prev.path == h.Row.Path:
		c = t.correctionAt(st, st.prev, st.prevPageAt)
		c.TimeOnPage = h.EngagedSeconds
		if !st.prevTimed {
			c.TimedViews = 1
			st.prevTimed = true
		}
	case st.hasBefore && st.before.path == h.Row.Path:
		c = t.correctionAt(st, st.before, st.beforeAt)
		c.TimeOnPage = h.EngagedSeconds
		if st.beforeByGap {
			c.TimeOnPage -= st.beforeGap
			st.beforeByGap = false
		}
	default:
		return out, ErrNoSession
	}
	// Plausible's rule: an engagement report keeps the visit alive but
	// does not lengthen it; visit_duration ends at the last page view or
	// custom event, and the bounce is not changed.
	st.lastSeen = max(st.lastSeen, h.Time.Unix())
	return append(out, c), nil
}

// correction starts a correction row for the session's current page.
func (t *Tracker) correction(st *state) event.Row {
	return t.correctionAt(st, st.prev, st.prevPageAt)
}

// correctionAt starts a correction row for a page of the session, dated at
// that page's view so per-period exits and bounces stay consistent.
func (t *Tracker) correctionAt(st *state, page pageDims, viewedAt int64) event.Row {
	r := event.Row{
		Site:       st.site,
		TS:         minute(time.Unix(viewedAt, 0)),
		Kind:       event.KindCorrection,
		Name:       event.PageviewName,
		Hostname:   page.hostname,
		Path:       page.path,
		SearchTerm: page.searchTerm,
	}
	st.apply(&r)
	return r
}

// minute coarsens a time to its minute in UTC (DESIGN §1.6).
func minute(t time.Time) time.Time { return t.UTC().Truncate(time.Minute) }

// clampSeconds bounds a duration in seconds to what a counter holds.
func clampSeconds(s int64) int32 {
	switch {
	case s < 0:
		return 0
	case s > 1<<31-1:
		return 1<<31 - 1
	}
	return int32(s)
}
