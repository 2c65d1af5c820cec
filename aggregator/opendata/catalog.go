// Package opendata publishes a site's statistics: the fixed catalogue of
// public reports (the shape of analytics.usa.gov's: daily and monthly
// totals, top pages over 7 and 28 days, sources, devices, browsers, operating
// systems, countries, languages, site-search terms, downloaded files,
// allowlisted custom properties, visitors right now),
// computed from per-day cells fetched through the store's query path,
// passed through aggregator/disclosure, frozen once per period in an
// archive under the data directory, and rendered as JSON and CSV.
//
// There are no public filters or free date ranges: every public number is
// one of the catalogue's, over a calendar week or a four-week block
// (docs/publishing.md explains why periods tile and never slide).
package opendata

import (
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// family is a breakdown of the catalogue: one dimension, the measures
// published for each of its values, and how they relate to the totals.
type family struct {
	name  string // report names are name-7-days, name-28-days
	label string // the value's column in the files
	dim   query.Dimension
	// metrics are fetched and published per value; measures names them
	// in the files.
	metrics  []query.Metric
	measures []string
	// tied[i] is the index of the totals measure that metric i of all
	// values adds up to (a visitor has one country a day), or -1. A tied
	// report would reveal its total, so it is withheld with it.
	tied []int
	// weekly families also have a 7-day report.
	weekly bool
	// sensitivity is the most cells of this breakdown that one visitor
	// adds 1 to in a day, for the noise (docs/publishing.md).
	sensitivity int64
	// noisy families are published under differential privacy.
	noisy bool
	// check says whether a value may be named in public.
	check func(string) bool
	// termLike families count uses, not visitors (search terms, files): a
	// value is shown only when used on at least k distinct days of the
	// 28-day block, which is their only report, and they have no
	// "(other)" (hasOther).
	termLike bool
	// perKey families have one breakdown per custom property key the site
	// allowlists, fetched key by key and named "key=value" (the site's
	// properties).
	perKey bool
}

// Totals measures, in the order of the daily report's columns.
var totalsMetrics = []query.Metric{query.Visitors, query.Visits, query.Pageviews}

var totalsMeasures = []string{"visitors", "visits", "pageviews"}

// Per-visitor-day sensitivities of the breakdowns whose values a visitor
// can touch several times a day: the bounds the collector enforces on the
// public counters these reports read (Query.Public).
const (
	pageSensitivity   = event.MaxPublicPages
	sourceSensitivity = event.MaxPublicSources
)

const (
	searchTerms = "search-terms"
	// downloads are the addresses of downloaded files and followed outbound
	// links (the url property of File Download and Outbound Link: Click).
	downloads = "downloads"
	// properties are the values of the custom property keys a site
	// allowlists, each named "key=value".
	properties = "properties"
)

// families is the catalogue, in the order pages and files list them.
var families = []family{
	{name: "pages", label: "page", dim: query.EventPage, metrics: []query.Metric{query.Visitors, query.Pageviews},
		measures: []string{"visitors", "pageviews"}, tied: []int{-1, 2}, weekly: true,
		sensitivity: pageSensitivity, noisy: true, check: publicPath},
	{name: "sources", label: "source", dim: query.Source, metrics: []query.Metric{query.Visitors},
		measures: []string{"visitors"}, tied: []int{-1}, weekly: true,
		sensitivity: sourceSensitivity, noisy: true, check: publicValue},
	visitorFamily("devices", "device", query.Device),
	visitorFamily("browsers", "browser", query.Browser),
	visitorFamily("os", "os", query.OS),
	visitorFamily("countries", "country", query.Country),
	visitorFamily("languages", "language", query.Language),
	// Search terms carry no unique-visitor counter; a term is shown only
	// when searched on at least k distinct days (each day is a distinct
	// visitor-day), over the 28-day block only.
	{name: searchTerms, label: "search_term", dim: query.SearchTerm, metrics: []query.Metric{query.Pageviews},
		measures: []string{"searches"}, tied: []int{-1}, check: publicTerm, termLike: true},
	// Files and links count like search terms: one person can download
	// any number of them a day.
	{name: downloads, label: "url", dim: query.PropDimension(site.URLProp), metrics: []query.Metric{query.Events},
		measures: []string{"uses"}, tied: []int{-1}, check: publicURL, termLike: true},
	// Allowlisted properties count like search terms too: a person can
	// send any number of values a day (one per event).
	{name: properties, label: "property", metrics: []query.Metric{query.Events},
		measures: []string{"events"}, tied: []int{-1}, check: publicProperty, termLike: true, perKey: true},
}

// visitorFamily is a breakdown by a property constant for a visitor in a
// day: each visitor-day counts once, in one value.
func visitorFamily(name, label string, dim query.Dimension) family {
	return family{name: name, label: label, dim: dim, metrics: []query.Metric{query.Visitors},
		measures: []string{"visitors"}, tied: []int{0}, weekly: true, sensitivity: 1, noisy: true, check: publicValue}
}

// isTied reports whether any measure of f adds up to a totals measure.
func (f *family) isTied() bool {
	for _, t := range f.tied {
		if t >= 0 {
			return true
		}
	}
	return false
}

// published reports whether f is published under rules with or without
// noise.
func (f *family) published(noisy bool) bool { return !noisy || f.noisy }

// familyByName returns the catalogue entry.
func familyByName(name string) *family {
	for i := range families {
		if families[i].name == name {
			return &families[i]
		}
	}
	return nil
}

// Report names.
const (
	DailyReport    = "daily"
	RealtimeReport = "realtime"
	weekSuffix     = "-7-days"
	blockSuffix    = "-28-days"
)

// ReportNames lists every report of the catalogue, in order.
func ReportNames() []string {
	out := []string{RealtimeReport, DailyReport, MonthlyReport}
	for _, f := range families {
		if f.weekly {
			out = append(out, f.name+weekSuffix)
		}
		out = append(out, f.name+blockSuffix)
	}
	return out
}

// perDay is, for the breakdowns where a person has one value a day (a
// country, a browser …), 1: their "(other)" must hold k people like a
// value. Where a person adds to several values a day (up to 10 pages, 3
// sources) the bound of a sum divides by that many and would fold every
// small site's report away; their "(other)" keeps the count rule (0), and
// docs/publishing.md says so.
func (f *family) perDay() int64 {
	if f.sensitivity == 1 {
		return 1
	}
	return 0
}

// hasOther says whether f publishes "(other)". Search terms do not: a
// person can search any number of terms a day, so nothing bounds the
// people behind a sum of folded terms, and the terms add up to no
// published total that "(other)" would be needed to complete.
func (f *family) hasOther() bool { return !f.termLike }
