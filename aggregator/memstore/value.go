package memstore

import (
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
)

// Value returns the row's value of a non-time dimension; "" for unknown
// ones (check rejects them first). The shared store tests read rows with it
// too, so the oracle and the test generator agree on what a value is.
func Value(d query.Dimension, r *event.Row) string {
	switch d {
	case query.EventPage, query.ExitPage:
		// The exit page is the page of a row whose exit stays counted.
		return r.Path
	case query.EventName:
		return r.Name
	case query.EventHostname:
		return r.Hostname
	case query.SearchTerm:
		return r.SearchTerm
	case query.EntryPage:
		return r.EntryPath
	case query.Source:
		return r.ReferrerSource
	case query.Referrer:
		return r.ReferrerHost
	}
	return visitValue(d, r)
}

func visitValue(d query.Dimension, r *event.Row) string {
	switch d {
	case query.UTMSource:
		return r.UTMSource
	case query.UTMMedium:
		return r.UTMMedium
	case query.UTMCampaign:
		return r.UTMCampaign
	case query.UTMContent:
		return r.UTMContent
	case query.UTMTerm:
		return r.UTMTerm
	case query.Country:
		return r.Country
	case query.Region:
		return r.Region
	case query.City:
		return r.City
	case query.Browser:
		return r.Browser
	case query.BrowserVersion:
		return r.BrowserVersion
	case query.OS:
		return r.OS
	case query.OSVersion:
		return r.OSVersion
	case query.Device:
		return r.Device
	case query.Screen:
		return r.Screen
	case query.Language:
		return r.Language
	}
	return ""
}

// known reports whether d is a dimension this store can group by.
func known(d query.Dimension) bool {
	for _, k := range query.AllDimensions {
		if d == k {
			return true
		}
	}
	return false
}

func timeUTC(y, m, d, h, mi int) time.Time {
	return time.Date(y, time.Month(m), d, h, mi, 0, 0, time.UTC)
}

// check rejects plans that point outside themselves, as the SQL stores do.
func check(p *query.Plan) error {
	if p == nil {
		return fmt.Errorf("memstore: nil plan")
	}
	if len(p.Sums) == 0 {
		return fmt.Errorf("memstore: plan has no sums")
	}
	for _, d := range p.Dimensions {
		if !known(d) {
			return fmt.Errorf("memstore: unknown dimension %q", d)
		}
		if d.IsTime() && p.Location == nil {
			return fmt.Errorf("memstore: %q needs the plan's location", d)
		}
	}
	for _, s := range p.Sums {
		if s.Counter < query.CounterPageviews || s.Counter > query.CounterTimedViews {
			return fmt.Errorf("memstore: unknown counter %d", s.Counter)
		}
		if s.OnlyKind > event.KindCorrection {
			return fmt.Errorf("memstore: unknown kind %d", s.OnlyKind)
		}
	}
	n := len(p.Sums)
	for _, f := range p.Formulas {
		if !inRange(n, f.Num) || !inRange(n, f.Den) {
			return fmt.Errorf("memstore: formula sum index out of range")
		}
	}
	if !inRange(n, p.HavingPositive) {
		return fmt.Errorf("memstore: having sum index out of range")
	}
	for _, o := range p.Order {
		if (o.Metric < 0 || o.Metric >= len(p.Formulas)) && (o.Metric >= 0 || o.Dimension < 0 || o.Dimension >= len(p.Dimensions)) {
			return fmt.Errorf("memstore: order %+v out of range", o)
		}
	}
	if p.Limit < 0 || p.Offset < 0 {
		return fmt.Errorf("memstore: negative limit or offset")
	}
	return nil
}

func inRange(n int, idx []int) bool {
	for _, i := range idx {
		if i < 0 || i >= n {
			return false
		}
	}
	return true
}
