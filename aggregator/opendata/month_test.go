package opendata

import (
	"slices"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

func TestMonths(t *testing.T) {
	d := disclosure.DayFromDate
	if m := monthOf(d(2028, 2, 17)); m.first != d(2028, 2, 1) || m.last != d(2028, 2, 29) || m.label() != "2028-02" {
		t.Errorf("February 2028: %s..%s %s", m.first, m.last, m.label())
	}
	if m := monthOf(d(2026, 12, 31)).prev(); m.label() != "2026-11" {
		t.Errorf("month before December: %s", m.label())
	}
	// March 2026 starts on a Sunday and ends on a Tuesday: six weeks.
	weeks := monthOf(d(2026, 3, 10)).weeks()
	if len(weeks) != 6 || weeks[0].Start != d(2026, 2, 23) || weeks[5].Start != d(2026, 3, 30) {
		t.Errorf("weeks of March 2026: %v", weeks)
	}
	// The week of 2026-03-30 ends on 04-05: March is published with it,
	// not with the week before.
	for _, c := range []struct {
		week disclosure.Day
		want string
	}{{d(2026, 3, 23), "2026-02"}, {d(2026, 3, 30), "2026-03"}, {d(2026, 5, 25), "2026-05"}} {
		ms := lastMonths(disclosure.Period{Kind: disclosure.Week, Start: c.week}, 3)
		if got := ms[2].label(); got != c.want || ms[0].label() >= ms[1].label() {
			t.Errorf("after the week of %s: months %v, want the last %s", c.week, ms, c.want)
		}
	}
}

// TestPartsIn: the hidden days of each side of a month boundary add up
// to 0 or at least k, as do all of them.
func TestPartsIn(t *testing.T) {
	r := disclosure.Rules{K: 10, RoundTo: 1}
	days := [][]int64{{20}, {4}, {30}, {25}, {12}, {15}, {40}}
	group := []int{0, 0, 0, 1, 1, 1, 1}
	shown := r.PartsIn([]int64{146}, days, group)
	if !slices.Equal(shown, []bool{false, false, true, true, true, true, true}) {
		t.Errorf("shown %v: day 1 alone is small, day 0 must join it (the smallest of its side), and no more", shown)
	}
	// A side whose days are all small together cannot be helped; the
	// whole week's hidden days still must not be small.
	days = [][]int64{{3}, {50}, {30}, {25}, {12}, {15}, {40}}
	shown = r.PartsIn([]int64{175}, days, []int{0, 1, 1, 1, 1, 1, 1})
	if shown[0] || !shown[2] || disclosure.Residual(days, shown, 1)[0] < 10 {
		t.Errorf("shown %v", shown)
	}
}

// TestAuditFindsLeaksOfNaiveMonths is the control of the months' rule:
// the publisher's reports with month totals published whenever they are
// not small (no check of the hidden days at the month boundaries) must
// let the attacker derive a small count.
func TestAuditFindsLeaksOfNaiveMonths(t *testing.T) {
	first := disclosure.PeriodOf(disclosure.Block, disclosure.DayFromDate(2026, 3, 1)).Start - 7
	const days = 77
	store, rows := genRows(t, propertySeed, tokyo, first, days, genSite{"small.example", 14})
	c := &clock{}
	p := newPublisher(t, store, t.TempDir(), c, publicSite("small.example", tokyo, site.Publishing{}))
	reports := serveDaily(t, p, c, "small.example", first+7, first+days+1, tokyo)
	tr := truthOf(rows, "small.example", tokyo)
	a := newAttacker(t, tr, 10)
	a.identities()
	for name, b := range reports {
		if !strings.HasPrefix(name, MonthlyReport) {
			a.read(parseServed(t, b))
		}
	}
	for _, m := range tr.months() {
		if m.first < first || m.last >= first+days {
			continue
		}
		s := served{name: MonthlyReport, fam: totalsFamily, start: m.first, last: m.last}
		row := servedRow{key: m.label(), counts: map[string]*int64{}}
		for _, measure := range totalsMeasures {
			v := tr.sum(measure, totalsFamily, "", m.first, m.last)
			row.counts[measure] = &v
		}
		s.rows = append(s.rows, row)
		a.read(s)
	}
	leaks := a.leaks()
	if len(leaks) == 0 {
		t.Fatal("the attacker found nothing in naively published months")
	}
	t.Logf("%d leaks, e.g. %s", len(leaks), leaks[0])
}
