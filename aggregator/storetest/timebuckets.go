package storetest

import (
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// views returns one page view of site at each instant (RFC 3339).
func views(site string, instants ...string) []event.Row {
	s := session{site: site, host: site, entry: "/", country: "JP"}
	out := make([]event.Row, len(instants))
	for i, ts := range instants {
		out[i] = s.row(ts, event.KindPageview, event.PageviewName, "/", first())
	}
	return out
}

// timeRows spread page views around the DST changes of 2024 in Berlin
// (31 March 01:00Z, clocks 02:00→03:00; 27 October 01:00Z, 03:00→02:00),
// around a Tokyo midnight and around a week that crosses a month.
func timeRows() []event.Row {
	rows := views("dst.test",
		"2024-03-30T22:59:00Z", // Berlin 30 Mar 23:59 CET
		"2024-03-30T23:00:00Z", // 31 Mar 00:00 CET
		"2024-03-31T00:30:00Z", // 01:30 CET
		"2024-03-31T01:00:00Z", // 03:00 CEST: 02:00 does not exist
		"2024-03-31T21:59:00Z", // 23:59 CEST
		"2024-03-31T22:00:00Z", // 1 Apr 00:00 CEST
		"2024-10-26T21:59:00Z", // 26 Oct 23:59 CEST
		"2024-10-26T22:00:00Z", // 27 Oct 00:00 CEST
		"2024-10-27T00:30:00Z", // 02:30 CEST
		"2024-10-27T01:30:00Z", // 02:30 CET, the same wall hour again
		"2024-10-27T22:59:00Z", // 23:59 CET
		"2024-10-27T23:00:00Z", // Monday 28 Oct 00:00 CET
	)
	rows = append(rows, views("week.test",
		"2024-04-28T21:30:00Z", // Berlin Sunday 28 Apr 23:30 CEST
		"2024-04-28T22:30:00Z", // Monday 29 Apr 00:30
		"2024-04-30T21:59:00Z", // 30 Apr 23:59
		"2024-04-30T22:00:00Z", // 1 May 00:00
		"2024-05-05T21:59:00Z", // Sunday 5 May 23:59
		"2024-05-05T22:00:00Z", // Monday 6 May 00:00
		"2024-03-31T00:15:00Z", // Kolkata (+05:30) 05:45
	)...)
	return rows
}

// testTimeBuckets checks hour, day, week and month buckets in local time:
// across DST changes in Berlin, in Tokyo (no DST, +09:00), in Kolkata
// (+05:30) and for a week that crosses a month.
func testTimeBuckets(t *testing.T, open Opener) {
	s := newStore(t, open, timeRows()...)
	runCases(t, s, query.Query{}, append(dstCases(), weekCases()...))
}

const berlin, tokyo = "Europe/Berlin", "Asia/Tokyo"

// dstCases bucket the page views around the 2024 DST changes.
func dstCases() []tcase {
	pv := m(query.Pageviews)
	spring := dates("2024-03-30", "2024-04-01")
	autumn := dates("2024-10-26", "2024-10-28")
	bucket := func(name, loc string, d query.Dimension, r query.DateRange, want ...string) tcase {
		return tcase{name: name, loc: loc, q: query.Query{SiteID: "dst.test", Metrics: pv, Dimensions: dims(d), DateRange: r}, want: want}
	}
	return []tcase{
		bucket("berlin spring hours", berlin, query.TimeHour, spring,
			"2024-03-30 23:00:00: 1", "2024-03-31 00:00:00: 1", "2024-03-31 01:00:00: 1",
			"2024-03-31 03:00:00: 1", "2024-03-31 23:00:00: 1", "2024-04-01 00:00:00: 1"),
		bucket("berlin spring days", berlin, query.TimeDay, spring, "2024-03-30: 1", "2024-03-31: 4", "2024-04-01: 1"),
		bucket("berlin spring weeks", berlin, query.TimeWeek, spring, "2024-03-25: 5", "2024-04-01: 1"),
		bucket("berlin spring months", berlin, query.TimeMonth, spring, "2024-03-01: 5", "2024-04-01: 1"),
		bucket("berlin autumn hours", berlin, query.TimeHour, autumn,
			"2024-10-26 23:00:00: 1", "2024-10-27 00:00:00: 1", "2024-10-27 02:00:00: 2",
			"2024-10-27 23:00:00: 1", "2024-10-28 00:00:00: 1"),
		bucket("berlin autumn days", berlin, query.TimeDay, autumn, "2024-10-26: 1", "2024-10-27: 4", "2024-10-28: 1"),
		bucket("berlin autumn weeks", berlin, query.TimeWeek, autumn, "2024-10-21: 5", "2024-10-28: 1"),
		bucket("berlin autumn months", berlin, query.TimeMonth, autumn, "2024-10-01: 6"),
		bucket("tokyo spring hours", tokyo, query.TimeHour, dates("2024-03-31", "2024-04-01"),
			"2024-03-31 07:00:00: 1", "2024-03-31 08:00:00: 1", "2024-03-31 09:00:00: 1",
			"2024-03-31 10:00:00: 1", "2024-04-01 06:00:00: 1", "2024-04-01 07:00:00: 1"),
		bucket("tokyo spring days", tokyo, query.TimeDay, dates("2024-03-31", "2024-04-01"), "2024-03-31: 4", "2024-04-01: 2"),
		bucket("tokyo autumn weeks", tokyo, query.TimeWeek, dates("2024-10-27", "2024-10-28"), "2024-10-21: 4", "2024-10-28: 2"),
		bucket("tokyo autumn months", tokyo, query.TimeMonth, dates("2024-10-01", "2024-10-31"), "2024-10-01: 6"),
		bucket("utc spring days", "", query.TimeDay, spring, "2024-03-30: 2", "2024-03-31: 4"),
		// Ten DST changes in the range: the offsets of both 2024 changes
		// must still be told apart.
		bucket("berlin days over five years", berlin, query.TimeDay, dates("2020-01-01", "2024-12-31"),
			"2024-03-30: 1", "2024-03-31: 4", "2024-04-01: 1", "2024-10-26: 1", "2024-10-27: 4", "2024-10-28: 1"),
		bucket("berlin hours over five years", berlin, query.TimeHour, dates("2020-01-01", "2024-12-31"),
			"2024-03-30 23:00:00: 1", "2024-03-31 00:00:00: 1", "2024-03-31 01:00:00: 1",
			"2024-03-31 03:00:00: 1", "2024-03-31 23:00:00: 1", "2024-04-01 00:00:00: 1",
			"2024-10-26 23:00:00: 1", "2024-10-27 00:00:00: 1", "2024-10-27 02:00:00: 2",
			"2024-10-27 23:00:00: 1", "2024-10-28 00:00:00: 1"),
	}
}

// weekCases bucket a week that crosses a month, and a half-hour offset.
func weekCases() []tcase {
	pv := m(query.Pageviews)
	week := func(name, loc string, d query.Dimension, want ...string) tcase {
		return tcase{name: name, loc: loc, want: want, q: query.Query{SiteID: "week.test", Metrics: pv,
			Dimensions: dims(d), DateRange: dates("2024-04-28", "2024-05-06")}}
	}
	return []tcase{
		week("berlin week across a month", berlin, query.TimeWeek, "2024-04-22: 1", "2024-04-29: 4", "2024-05-06: 1"),
		week("berlin months of that week", berlin, query.TimeMonth, "2024-04-01: 3", "2024-05-01: 3"),
		week("utc week across a month", "", query.TimeWeek, "2024-04-22: 2", "2024-04-29: 4"),
		tcase{name: "kolkata half-hour offset", loc: "Asia/Kolkata", want: []string{"2024-03-31 05:00:00: 1"},
			q: query.Query{SiteID: "week.test", Metrics: pv, Dimensions: dims(query.TimeHour), DateRange: dates("2024-03-31", "2024-03-31")}},
	}
}
