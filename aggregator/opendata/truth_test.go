package opendata

import (
	"slices"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// The property test's ground truth is computed here from the generated
// rows, independently of the store, the query path and the publisher.

const totalsFamily = "totals"

// atom is one value of one family on one day.
type atom struct {
	fam, key string
	day      disclosure.Day
}

// truth holds every atomic count, by measure, and each family's values
// in each block (the universe an attacker is granted: knowing which
// values exist makes them stronger, so the test stricter).
type truth struct {
	counts   map[string]map[atom]int64 // measure → atom → count
	universe map[string]map[disclosure.Period]map[string]bool
	days     map[disclosure.Day]bool
}

func truthOf(rows []event.Row, domain string, loc *time.Location) *truth {
	tr := &truth{counts: map[string]map[atom]int64{}, universe: map[string]map[disclosure.Period]map[string]bool{}, days: map[disclosure.Day]bool{}}
	for _, r := range rows {
		if r.Site != domain {
			continue
		}
		d := disclosure.DayOf(r.TS, loc)
		tr.days[d] = true
		if r.PropKey != "" {
			// A property row counts only in its family.
			switch r.PropKey {
			case site.URLProp:
				tr.add("uses", downloads, r.PropValue, d, r.PropEvents)
			case genTopicKey:
				tr.add("events", properties, r.PropKey+"="+r.PropValue, d, r.PropEvents)
			}
			continue
		}
		tr.add("visitors", totalsFamily, "", d, r.Visitors)
		tr.add("visits", totalsFamily, "", d, r.Visits)
		tr.add("pageviews", totalsFamily, "", d, r.Pageviews)
		for fam, key := range map[string]string{"countries": r.Country, "browsers": r.Browser, "os": r.OS, "devices": r.Device, "languages": r.Language} {
			tr.add("visitors", fam, key, d, r.Visitors)
		}
		if r.Kind == event.KindPageview {
			tr.add("visitors", "pages", r.Path, d, r.PublicPageVisitors)
			tr.add("pageviews", "pages", r.Path, d, r.Pageviews)
		}
		tr.add("visitors", "sources", r.ReferrerSource, d, r.PublicSourceVisitors)
		if r.SearchTerm != "" {
			tr.add("searches", searchTerms, r.SearchTerm, d, r.Pageviews)
		}
	}
	return tr
}

func (tr *truth) add(measure, fam, key string, d disclosure.Day, v int32) {
	if v == 0 {
		return
	}
	m := tr.counts[measure]
	if m == nil {
		m = map[atom]int64{}
		tr.counts[measure] = m
	}
	m[atom{fam, key, d}] += int64(v)
	b := disclosure.PeriodOf(disclosure.Block, d)
	if tr.universe[fam] == nil {
		tr.universe[fam] = map[disclosure.Period]map[string]bool{}
	}
	if tr.universe[fam][b] == nil {
		tr.universe[fam][b] = map[string]bool{}
	}
	tr.universe[fam][b][key] = true
}

// keys returns a family's values in the block holding d.
func (tr *truth) keys(fam string, d disclosure.Day) map[string]bool {
	return tr.universe[fam][disclosure.PeriodOf(disclosure.Block, d)]
}

// sum adds a value's counts over days [from, to].
func (tr *truth) sum(measure, fam, key string, from, to disclosure.Day) int64 {
	var s int64
	for d := from; d <= to; d++ {
		s += tr.counts[measure][atom{fam, key, d}]
	}
	return s
}

// familyMeasures lists the measures of a family, the totals included.
func familyMeasures(fam string) []string {
	if fam == totalsFamily {
		return totalsMeasures
	}
	return familyByName(fam).measures
}

// months returns the months holding a day of data.
func (tr *truth) months() []month {
	seen := map[month]bool{}
	var out []month
	for d := range tr.days {
		if m := monthOf(d); !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b month) int { return int(a.first - b.first) })
	return out
}
