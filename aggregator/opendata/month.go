package opendata

import (
	"fmt"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// Monthly totals: the access statistics Japanese public bodies publish
// (月別アクセス数), visitors, visits and page views per calendar month.
//
// A month is not a period of the grid: it cuts the weeks at its ends, so
// its total is not a sum of published periods. It is computed, like the
// daily report, from the frozen weeks it touches, and published only when
// that adds no small derivable number (docs/publishing.md, "Months"):
//
//   - its total is not small, and its visitors are k people by the bound
//     of disclosure/people.go;
//   - in every week it touches, the days the week's report does not show,
//     taken on each side of every month boundary, add up to 0 or at least
//     k in every measure. A month total minus the days shown is the sum of
//     the month's hidden days; with the weeks' totals and the neighbouring
//     months, each such piece of a week is derivable on its own, so each
//     must be safe.
//
// Under noise a month is the sum of its days' noisy visitors (the noise
// the week drew once; a sum of noisy counts costs no budget), shown when
// it reaches k.

// monthlyMonths is how many complete months the monthly report lists.
const monthlyMonths = 12

// month is a calendar month as days.
type month struct{ first, last disclosure.Day }

// monthOf returns the month holding d.
func monthOf(d disclosure.Day) month {
	y, m, _ := d.Date()
	first := disclosure.DayFromDate(y, m, 1)
	return month{first: first, last: disclosure.DayFromDate(y, m+1, 1) - 1}
}

func (m month) prev() month { return monthOf(m.first - 1) }

// label names the month as a row of the report: 2026-03.
func (m month) label() string {
	y, mo, _ := m.first.Date()
	return fmt.Sprintf("%04d-%02d", y, int(mo))
}

// weeks lists the weeks of the grid that hold a day of m.
func (m month) weeks() []disclosure.Period {
	var out []disclosure.Period
	for w := disclosure.PeriodOf(disclosure.Week, m.first); w.Start <= m.last; w = (disclosure.Period{Kind: disclosure.Week, Start: w.End()}) {
		out = append(out, w)
	}
	return out
}

// lastMonths returns the n months, oldest first, ending with the last one
// whose days all lie in complete weeks up to latest: a month is
// published once the week holding its last day is.
func lastMonths(latest disclosure.Period, n int) []month {
	m := monthOf(latest.Last())
	if m.last > latest.Last() {
		m = m.prev()
	}
	out := make([]month, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = m
		m = m.prev()
	}
	return out
}

// lastWeekOf is the week holding the last day of the last month.
func lastWeekOf(months []month) disclosure.Period {
	return disclosure.PeriodOf(disclosure.Week, months[len(months)-1].last)
}

// MonthlyReport is the report of monthly totals.
const MonthlyReport = "monthly"

// monthlyReport lists the months' totals, null where not published.
// recs holds the frozen weeks (nil: before the retention cut-off).
func monthlyReport(months []month, recs map[disclosure.Period]*record, latest *record, st *site.Site) *Report {
	r := &Report{Name: MonthlyReport, Site: st.Domain, Label: "month", Start: months[0].first,
		Last: months[len(months)-1].last, TimeZone: st.Location.String(), Measures: totalsMeasures}
	if latest != nil {
		if rules, err := latest.Rules.rules(); err == nil {
			r.Rules, r.Measures, r.TakenAt = rules, totalsNames(rules), latest.FrozenAt
		}
	}
	for _, m := range months {
		row := Row{Value: m.label(), Counts: make([]*int64, len(r.Measures))}
		if v, rules, ok := monthTotal(m, recs); ok {
			fillByName(row.Counts, r.Measures, totalsNames(rules), roundAll(rules, v))
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

// monthTotal returns a month's totals as published (before rounding) and
// the rules they were decided under; ok is false when the month is not
// published.
func monthTotal(m month, recs map[disclosure.Period]*record) ([]int64, disclosure.Rules, bool) {
	weeks := m.weeks()
	var rules disclosure.Rules
	for i, w := range weeks {
		rec := recs[w]
		if rec == nil || rec.Rules != recs[weeks[0]].Rules || len(rec.Days) != int(disclosure.Week) {
			return nil, rules, false
		}
		if i == 0 {
			r, err := rec.Rules.rules()
			if err != nil {
				return nil, rules, false
			}
			rules = r
		}
	}
	var total []int64
	var visitors []int64
	for _, w := range weeks {
		rec := recs[w]
		values := dayValues(rec, rules)
		for i := range values {
			if d := w.Start + disclosure.Day(i); d >= m.first && d <= m.last {
				total = addTo(total, values[i])
				visitors = append(visitors, rec.Days[i][0])
			}
		}
	}
	if rules.AnySmall(total) || rules.FewPeople(visitors, 1) {
		return nil, rules, false
	}
	if !rules.Noisy() {
		for _, w := range weeks {
			if hiddenPiecesSmall(recs[w], w, rules) {
				return nil, rules, false
			}
		}
	}
	return total, rules, true
}

// hiddenPiecesSmall reports whether the days a week does not show, on one
// side of a month boundary, add up to a small count.
func hiddenPiecesSmall(rec *record, w disclosure.Period, r disclosure.Rules) bool {
	pieces := map[disclosure.Day][]int64{}
	for i, d := range rec.Days {
		if rec.Totals.Withheld == "" && i < len(rec.Totals.Days) && rec.Totals.Days[i] != nil {
			continue
		}
		first := monthOf(w.Start + disclosure.Day(i)).first
		pieces[first] = addTo(pieces[first], d)
	}
	for _, p := range pieces {
		if r.AnySmall(p) {
			return true
		}
	}
	return false
}

// monthSides numbers the days of a week by the month they lie in: 0 for
// the week's first month, 1 for the next.
func monthSides(rec *record) []int {
	start, err := disclosure.ParseDay(rec.Start)
	out := make([]int, len(rec.Days))
	if err != nil {
		return out
	}
	first := monthOf(start)
	for i := range out {
		if start+disclosure.Day(i) > first.last {
			out[i] = 1
		}
	}
	return out
}

// monthComplete returns when the month's figures are published: once the
// week holding its last day is complete.
func monthComplete(m month, loc *time.Location, settle time.Duration) time.Time {
	return disclosure.PeriodOf(disclosure.Week, m.last).Complete(loc, settle)
}
