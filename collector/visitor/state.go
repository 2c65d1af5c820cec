package visitor

import (
	"hash/maphash"

	"github.com/shukei-analytics/shukei/event"
)

// state is what the tracker remembers of one visitor for one day. It holds
// no identifier: it is found through a salted hash that exists only as this
// map's key (DESIGN §1.3), and it is never persisted.
type state struct {
	site    string // the site's domain (shared, not copied)
	expires int64  // unix seconds: end of the salt's day plus the overlap

	counted bool // the visitor was counted today (a row carried visitors = 1)

	// seen holds tagged hashes of what the visitor did today (pages, event
	// names, acquisitions, entry pages, public source names), for the
	// daily unique counters. It saturates rather than wraps: once full,
	// nothing new is counted as a first today, so no daily unique is ever
	// counted twice (an undercount beyond MaxSeen distinct things a day).
	seen []uint64
	// pubPages and pubSources count the public counters this visitor has
	// set today; they stop at event.MaxPublicPages and MaxPublicSources,
	// the contribution bounds the publisher's noise assumes.
	pubPages, pubSources uint8
	// size is the state's accounted bytes at its last update (memory.go).
	size int64

	// session is the running visit; at midnight it is carried over to the
	// new day's state as a whole, while everything above starts afresh.
	session
}

// session is what a visit carries from one hit to the next.
type session struct {
	// lastSeen is the unix time of the visitor's last hit; a session
	// continues while hits are less than the session timeout apart.
	lastSeen int64
	// lastEvent is the unix time of the session's last page view or custom
	// event: the visit lasts until then. An engagement report keeps the
	// session alive (lastSeen) without lengthening it, as in Plausible.
	lastEvent  int64
	prevPageAt int64 // unix time of the current page's view

	bounced   bool // the session has one page view and no interaction so far
	hasPage   bool // the session has a current page (prev)
	prevTimed bool // the current page's time on page was already reported

	dims *visitorDims // fixed for the day at the first hit
	sess *sessionDims // fixed for the session at its first hit
	prev pageDims     // the session's current page

	// before is the page viewed just before the current one in the
	// session, kept so that its engagement report still counts when it
	// arrives after the next page view (trackers send the two at once on
	// navigation, and they may cross on the network).
	before      pageDims
	beforeAt    int64 // unix time of its view
	beforeGap   int32 // the seconds its time on page took from the gap, while no report replaced them
	hasBefore   bool
	beforeByGap bool // its time on page is still the gap's
}

// visitorDims are the dimensions that are constant for a visitor in a day.
type visitorDims struct {
	country, region, city                  string
	browser, browserVersion, os, osVersion string
	device, screen, language               string
}

// sessionDims are the dimensions that are constant within a session.
type sessionDims struct {
	entryPath                                              string
	source, refHost                                        string
	utmSource, utmMedium, utmCampaign, utmContent, utmTerm string
	channel                                                string
}

type pageDims struct {
	hostname, path, searchTerm string
}

func visitorDimsOf(r *event.Row) visitorDims {
	return visitorDims{
		country: r.Country, region: r.Region, city: r.City,
		browser: r.Browser, browserVersion: r.BrowserVersion, os: r.OS, osVersion: r.OSVersion,
		device: r.Device, screen: r.Screen, language: r.Language,
	}
}

// DirectSource is the source of a visit that arrived without a referrer or
// campaign, as Plausible names it.
const DirectSource = "Direct / None"

func sessionDimsOf(r *event.Row) sessionDims {
	s := sessionDims{
		entryPath: r.Path,
		source:    r.ReferrerSource, refHost: r.ReferrerHost,
		utmSource: r.UTMSource, utmMedium: r.UTMMedium, utmCampaign: r.UTMCampaign,
		utmContent: r.UTMContent, utmTerm: r.UTMTerm,
		channel: r.Channel,
	}
	if s.source == "" {
		s.source = DirectSource
	}
	return s
}

// apply writes the visitor's and the session's dimensions onto a row, so
// every row of a visitor agrees on them.
func (st *state) apply(r *event.Row) {
	d := st.dims
	r.Country, r.Region, r.City = d.country, d.region, d.city
	r.Browser, r.BrowserVersion, r.OS, r.OSVersion = d.browser, d.browserVersion, d.os, d.osVersion
	r.Device, r.Screen, r.Language = d.device, d.screen, d.language
	s := st.sess
	r.EntryPath = s.entryPath
	r.ReferrerSource, r.ReferrerHost = s.source, s.refHost
	r.UTMSource, r.UTMMedium, r.UTMCampaign = s.utmSource, s.utmMedium, s.utmCampaign
	r.UTMContent, r.UTMTerm = s.utmContent, s.utmTerm
	r.Channel = s.channel
}

// Tags keep the kinds of things in seen apart.
const (
	tagPage byte = iota + 1
	tagName
	tagSource
	tagEntry
	tagPublicSource
	tagProp
	tagSearch
)

// firstToday records x and reports whether the visitor had not done it yet
// today. When seen is full it records nothing and reports false: a
// collision or a full set can only withhold a count, never repeat one.
func (st *state) firstToday(seed maphash.Seed, maxSeen int, tag byte, parts ...string) bool {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteByte(tag)
	for _, p := range parts {
		h.WriteString(p)
		h.WriteByte(0)
	}
	sum := h.Sum64()
	for _, x := range st.seen {
		if x == sum {
			return false
		}
	}
	if len(st.seen) >= maxSeen {
		return false
	}
	st.seen = append(st.seen, sum)
	return true
}

// exhaustPublic marks the visitor's public contributions of the day as
// spent: it was counted before, by a state that was forgotten early.
func (st *state) exhaustPublic() {
	st.counted = true
	st.pubPages, st.pubSources = event.MaxPublicPages, event.MaxPublicSources
}

func (s *sessionDims) acquisition() []string {
	return []string{s.source, s.refHost, s.utmSource, s.utmMedium, s.utmCampaign, s.utmContent, s.utmTerm}
}
