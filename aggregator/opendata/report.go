package opendata

import (
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// More reasons a report is withheld.
const (
	withheldNoise       = "noise"       // not published under differential privacy
	withheldUnavailable = "unavailable" // no collector in this process
)

// WithheldReasons names every reason code a report may carry.
var WithheldReasons = []string{
	withheldSmall, withheldTotal, withheldNoSplit, withheldRules, withheldNoData, withheldNoise, withheldUnavailable,
}

// Report is one public report as served.
type Report struct {
	Name string
	Site string
	// Label names the value column ("page", "date"); "" for a report
	// without one (realtime).
	Label    string
	Measures []string
	// Start and Last are the first and last day (zero for realtime).
	Start, Last disclosure.Day
	TimeZone    string
	Rules       disclosure.Rules
	// Withheld is the reason code when nothing is published.
	Withheld string
	// Totals are the period's totals of the tied measures, by measure.
	Totals []Total
	Rows   []Row
	// TakenAt is when the period was frozen.
	TakenAt time.Time
}

// Total is one published total.
type Total struct {
	Measure string
	Value   int64
}

// Row is a value and its counts (nil where not published: a day whose
// count is suppressed).
type Row struct {
	Value  string
	Other  bool
	Counts []*int64
}

// Display returns the row's value as shown: "(other)", "(unknown)" for
// the value-less cell, or the value.
func (r Row) Display() string {
	switch {
	case r.Other:
		return OtherLabel
	case r.Value == "":
		return UnknownLabel
	}
	return r.Value
}

func counts(c []int64) []*int64 {
	out := make([]*int64, len(c))
	for i := range c {
		out[i] = &c[i]
	}
	return out
}

// familyReport turns a frozen period's breakdown into a report.
func familyReport(f *family, p disclosure.Period, rec *record, st *site.Site) *Report {
	suffix := weekSuffix
	if p.Kind == disclosure.Block {
		suffix = blockSuffix
	}
	r := &Report{Name: f.name + suffix, Site: st.Domain, Label: f.label, Start: p.Start, Last: p.Last(),
		TimeZone: st.Location.String(), Measures: f.measures}
	if rec == nil {
		r.Withheld = withheldNoData
		return r
	}
	rules, err := rec.Rules.rules()
	if err != nil {
		r.Withheld = withheldRules
		return r
	}
	r.Rules, r.TimeZone, r.TakenAt, r.Measures = rules, rec.TimeZone, rec.FrozenAt, measureNames(f, rules)
	rr, ok := rec.Reports[f.name]
	switch {
	case !f.published(rules.Noisy()):
		r.Withheld = withheldNoise
	case !ok:
		r.Withheld = withheldNoData
	case rr.Withheld != "":
		r.Withheld = rr.Withheld
	}
	if r.Withheld != "" {
		return r
	}
	for _, c := range rr.Rows {
		r.Rows = append(r.Rows, Row{Value: c.Key, Counts: counts(c.Counts)})
	}
	sortRows(r.Rows)
	if rr.Other != nil {
		r.Rows = append(r.Rows, Row{Other: true, Counts: counts(rr.Other)})
	}
	for i, t := range f.tied {
		if t >= 0 && i < len(r.Measures) && t < len(rec.Totals.Total) {
			r.Totals = append(r.Totals, Total{Measure: r.Measures[i], Value: rec.Totals.Total[t]})
		}
	}
	return r
}

// sortRows orders rows by their first count, largest first, then value.
func sortRows(rows []Row) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		if x, y := *a.Counts[0], *b.Counts[0]; x != y {
			if x > y {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Value, b.Value)
	})
}

// dailyReport lists the days of the last weeks, null where suppressed.
func dailyReport(weeks []disclosure.Period, recs []*record, st *site.Site) *Report {
	r := &Report{Name: DailyReport, Site: st.Domain, Label: "date", Start: weeks[0].Start,
		Last: weeks[len(weeks)-1].Last(), TimeZone: st.Location.String(), Measures: totalsMeasures}
	latest := recs[len(recs)-1]
	if latest != nil {
		if rules, err := latest.Rules.rules(); err == nil {
			r.Rules, r.Measures, r.TakenAt = rules, totalsNames(rules), latest.FrozenAt
		}
	}
	total := make([]int64, len(r.Measures))
	complete := true
	for i, w := range weeks {
		rec := recs[i]
		names := totalsMeasures
		if rec != nil {
			if rules, err := rec.Rules.rules(); err == nil {
				names = totalsNames(rules)
			}
		}
		complete = complete && rec != nil && rec.Totals.Withheld == "" && len(names) == len(r.Measures)
		for d := range 7 {
			row := Row{Value: (w.Start + disclosure.Day(d)).String(), Counts: make([]*int64, len(r.Measures))}
			if rec != nil && rec.Totals.Withheld == "" && rec.Totals.Days[d] != nil {
				fillByName(row.Counts, r.Measures, names, rec.Totals.Days[d])
			}
			r.Rows = append(r.Rows, row)
		}
		if complete {
			addTo(total, rec.Totals.Total)
		}
	}
	if complete {
		for i, m := range r.Measures {
			r.Totals = append(r.Totals, Total{Measure: m, Value: total[i]})
		}
	}
	return r
}

// fillByName copies values measured under names into the columns.
func fillByName(dst []*int64, columns, names []string, values []int64) {
	for i, c := range columns {
		if j := slices.Index(names, c); j >= 0 && j < len(values) {
			v := values[j]
			dst[i] = &v
		}
	}
}
