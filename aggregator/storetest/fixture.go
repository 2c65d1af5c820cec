package storetest

import (
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// session holds the dimensions a session's rows share.
type session struct {
	site, host, entry, source, referrer           string
	utmSource, utmMedium, utmCampaign, utmContent string
	utmTerm, country, region, city                string
	browser, browserVersion, os, osVersion        string
	device, screen, language, channel             string
}

// row builds one of the session's rows at ts (RFC 3339).
func (s session) row(ts string, kind event.Kind, name, path string, c event.Counters) event.Row {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		panic(err)
	}
	return event.Row{
		Site: s.site, TS: t.UTC(), Kind: kind, Name: name,
		Hostname: s.host, Path: path, EntryPath: s.entry,
		ReferrerSource: s.source, ReferrerHost: s.referrer,
		UTMSource: s.utmSource, UTMMedium: s.utmMedium, UTMCampaign: s.utmCampaign,
		UTMContent: s.utmContent, UTMTerm: s.utmTerm,
		Country: s.country, Region: s.region, City: s.city,
		Browser: s.browser, BrowserVersion: s.browserVersion, OS: s.os, OSVersion: s.osVersion,
		Device: s.device, Screen: s.screen, Language: s.language, Channel: s.channel,
		Counters: c,
	}
}

// The fixture site of the targeted cases: three sessions on Monday
// 2024-05-06 (UTC). Its counters are not all realistic: r1 carries distinct
// values in each visitor counter (and r5 page visitors on an event row),
// so every sum tells which counter a metric was computed from.
//
//	r1 10:00 pageview   /        JP  visitors 1, page 2, source 3, event 4, entry 6, public page 7, public source 5; visit, bounce +1, exit +1
//	r2 10:05 pageview   /blog    JP  page 2, public page 20; bounce −1, duration 300, exit +1
//	r3 10:05 correction /        JP  exit −1, time on page 300 over 1 timed view
//	r4 11:00 pageview   /blog    US  every visitor counter 1; visit, bounce +1, exit +1 (UTM set)
//	r5 11:02 event      Signup   US  events 1, event visitors 1, page visitors 10
//	r6 12:00 pageview   /Search  DE  every visitor counter 1; visit, bounce +1, exit +1; search "Grüße"
//	p1 11:02 property   Signup   US  plan = "pro": prop events 1, prop visitors 3
//	p2 11:02 property   Signup   US  url = "https://x.test/Doc.pdf": prop events 2, prop visitors 1
//
// The property rows (p1, p2) count in the property counters only, so every
// case that does not read a property must come out as if they were absent.
const fixtureSite = "a.test"

// fixtureRange is the fixture's day.
var fixtureRange = dates("2024-05-06", "2024-05-06")

var (
	sessJP = session{
		site: fixtureSite, host: "a.test", entry: "/", source: "Google", referrer: "www.google.com",
		country: "JP", region: "JP-13", city: "Tokyo", browser: "Firefox", browserVersion: "125",
		os: "Linux", device: "Desktop", screen: "Desktop", language: "ja", channel: "Organic Search",
	}
	sessUS = session{
		site: fixtureSite, host: "a.test", entry: "/blog", source: "Direct / None",
		utmSource: "news", utmMedium: "email", utmCampaign: "May%_sale", utmContent: "A", utmTerm: "t",
		country: "US", region: "US-CA", city: "San Francisco", browser: "Chrome", browserVersion: "124",
		os: "Windows", osVersion: "11", device: "Mobile", screen: "Mobile", language: "en", channel: "Email",
	}
	sessDE = session{
		site: fixtureSite, host: "www.a.test", entry: "/Search", source: "Bing", referrer: "www.bing.com",
		utmTerm: `it's "q" \`, country: "DE", browser: "Safari", browserVersion: "17",
		os: "macOS", osVersion: "14", device: "Laptop", screen: "Laptop", language: "de", channel: "Organic Search",
	}
)

// prop makes r a property row of key and value.
func prop(r event.Row, key, value string) event.Row {
	r.PropKey, r.PropValue = key, value
	return r
}

// fixtureRows returns the fixture, plus a row of another site that every
// case must ignore.
func fixtureRows() []event.Row {
	const pv, ev, corr = event.KindPageview, event.KindEvent, event.KindCorrection
	r6 := sessDE.row("2024-05-06T12:00:00Z", pv, event.PageviewName, "/Search", first())
	r6.SearchTerm = "Grüße"
	r6.PublicSearchVisitors = 3
	other := sessJP.row("2024-05-06T10:00:00Z", pv, event.PageviewName, "/", first())
	other.Site, other.Country = "o'ther.test", "KR"
	return []event.Row{
		sessJP.row("2024-05-06T10:00:00Z", pv, event.PageviewName, "/", event.Counters{
			Pageviews: 1, Visitors: 1, PageVisitors: 2, SourceVisitors: 3, EventVisitors: 4,
			EntryVisitors: 6, Visits: 1, Bounces: 1, Exits: 1,
			PublicPageVisitors: 7, PublicSourceVisitors: 5,
		}),
		sessJP.row("2024-05-06T10:05:00Z", pv, event.PageviewName, "/blog", event.Counters{
			Pageviews: 1, PageVisitors: 2, Bounces: -1, Duration: 300, Exits: 1,
			PublicPageVisitors: 20,
		}),
		sessJP.row("2024-05-06T10:05:00Z", corr, event.PageviewName, "/", event.Counters{
			Exits: -1, TimeOnPage: 300, TimedViews: 1,
		}),
		sessUS.row("2024-05-06T11:00:00Z", pv, event.PageviewName, "/blog", first()),
		sessUS.row("2024-05-06T11:02:00Z", ev, "Signup", "/blog", event.Counters{
			Events: 1, EventVisitors: 1, PageVisitors: 10,
		}),
		r6,
		prop(sessUS.row("2024-05-06T11:02:00Z", ev, "Signup", "/blog", event.Counters{PropEvents: 1, PropVisitors: 3}), "plan", "pro"),
		prop(sessUS.row("2024-05-06T11:02:00Z", ev, "Signup", "/blog", event.Counters{PropEvents: 2, PropVisitors: 1}), "url", "https://x.test/Doc.pdf"),
		other,
	}
}

// first is the counters of a visitor's first page view of the day.
func first() event.Counters {
	return event.Counters{
		Pageviews: 1, Visitors: 1, PageVisitors: 1, SourceVisitors: 1, EventVisitors: 1,
		EntryVisitors: 1, Visits: 1, Bounces: 1, Exits: 1,
		PublicPageVisitors: 1, PublicSourceVisitors: 1,
	}
}

// fixtureQuery is the base query of the fixture's cases.
var fixtureQuery = query.Query{SiteID: fixtureSite, DateRange: fixtureRange}
