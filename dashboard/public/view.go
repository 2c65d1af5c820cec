package public

import (
	"fmt"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
)

// page is the template's view of a set: a page a city can link from its
// top page, in the spirit of analytics.usa.gov — headline figures, the
// daily and monthly series as charts with their tables, the top lists
// and the open-data files — with every number exactly as the files
// publish it (a test reads the page against the files).
type page struct {
	Lang, Other string
	T           map[string]string
	Site, Title string
	AsOf        string
	// Waiting says when the first figures come, before any week with
	// visitors has been published; the sections below are then empty.
	Waiting string
	Cards   []card
	Daily   *series
	Monthly *series
	Lists   lists
	Files   []fileLink
	Rules   []string
	Links   pageLinks
}

// pageLinks are where the page finds its style sheet, its other language and
// its data files: under /public/<site>/ when the server serves it, beside
// it when it is written for static hosting (StaticFiles).
type pageLinks struct{ Style, Other, Data string }

func servedLinks(site, other string) pageLinks {
	return pageLinks{Style: "/public/" + site + "/style.css", Other: "?lang=" + other, Data: "/public/" + site + "/data/"}
}

// card is one headline figure.
type card struct {
	Label, Value, Note string
	Report, Measure    string // where the file has it
}

// series is a time series: its chart and its table.
type series struct {
	Caption string
	Chart   chart
	Table   table
	Note    string
	Waiting string
}

type lists struct {
	Caption, Waiting string
	Families         []listFamily
}

type listFamily struct {
	Title  string
	Tables []table
}

type table struct {
	Report   string // the report's name, whose file holds the same rows
	Caption  string
	Withheld string
	Headers  []string
	Rows     [][]string
	Totals   []string
	// More is set when the page shows only the top rows.
	More *more
}

type more struct {
	Text      string
	JSON, CSV string
}

type fileLink struct{ Title, JSON, CSV string }

// listRows is how many rows of a top list the page shows; the files hold
// them all.
const listRows = 10

func buildPage(s *opendata.Set, rt *opendata.Report, l string) *page {
	f := newFormatter(l)
	t := f.t
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	p := &page{Lang: l, Other: map[string]string{"en": "ja", "ja": "en"}[l], T: t, Site: s.Site,
		Title: fmt.Sprintf(t["title"], s.Site), Rules: rulesText(s, l)}
	p.Links = servedLinks(s.Site, p.Other)
	daily, _ := s.Report(opendata.DailyReport)
	days := sinceFirst(daily)
	if len(days) == 0 {
		p.Waiting = fmt.Sprintf(t["waiting"], f.instant(s.NextWeek, loc))
	} else {
		p.AsOf = fmt.Sprintf(t["asof"], f.date(daily.Last), f.instant(s.NextWeek, loc))
		p.Cards = cards(f, rt, daily, days, s)
		p.Daily = dailySeries(f, daily, days)
		p.Monthly = monthlySeries(f, s, loc)
		first, _ := disclosure.ParseDay(days[0].Value)
		p.Lists = buildLists(f, s, loc, first)
	}
	for _, n := range opendata.ReportNames() {
		p.Files = append(p.Files, fileLink{Title: reportTitle(f, n), JSON: n + ".json", CSV: n + ".csv"})
	}
	return p
}

// sinceFirst returns the daily report's rows from the first week that
// is not all zeros: the weeks before Shukei counted the site are left
// out, not drawn as weeks without visitors.
func sinceFirst(r *opendata.Report) []opendata.Row {
	if r == nil || r.Withheld != "" {
		return nil
	}
	for w := 0; w+7 <= len(r.Rows); w += 7 {
		for _, row := range r.Rows[w : w+7] {
			for _, c := range row.Counts {
				if c == nil || *c != 0 {
					return r.Rows[w:]
				}
			}
		}
	}
	return nil
}

func cards(f *formatter, rt, daily *opendata.Report, days []opendata.Row, s *opendata.Set) []card {
	t := f.t
	live := card{Label: t["card.realtime"], Report: opendata.RealtimeReport, Measure: "active_visitors",
		Note: fmt.Sprintf(t["realtime.note"], max(s.Rules.K, s.Rules.RoundTo))}
	if rt.Withheld != "" {
		live.Value, live.Note = hiddenMark, t["withheld."+rt.Withheld]
	} else {
		live.Value = f.count(rt.Rows[0].Counts[0])
	}
	out := []card{live}
	first, _ := disclosure.ParseDay(days[0].Value)
	period := f.span(first, daily.Last)
	for _, tot := range daily.Totals {
		out = append(out, card{Label: t["measure."+tot.Measure], Value: f.num(tot.Value), Note: period,
			Report: opendata.DailyReport, Measure: tot.Measure})
	}
	if monthly, ok := s.Report(opendata.MonthlyReport); ok && len(monthly.Rows) > 0 {
		last := monthly.Rows[len(monthly.Rows)-1]
		if c := last.Counts[0]; c != nil && *c > 0 {
			out = append(out, card{Label: t["measure."+monthly.Measures[0]], Value: f.num(*c), Note: f.month(last.Value),
				Report: opendata.MonthlyReport, Measure: monthly.Measures[0]})
		}
	}
	return out
}

func dailySeries(f *formatter, r *opendata.Report, days []opendata.Row) *series {
	first, _ := disclosure.ParseDay(days[0].Value)
	span := f.span(first, r.Last)
	var pts []point
	for i, row := range days {
		d, _ := disclosure.ParseDay(row.Value)
		pts = append(pts, point{Value: row.Counts[0], Title: pointTitle(f, f.date(d), row.Counts[0])})
		if i%7 == 0 {
			pts[i].Tick = f.short(d)
		}
	}
	tb := tableOf(f, r, days)
	return &series{Caption: span, Chart: newChart(f.t["measure.visitors"], f.t["chart.hidden"], pts, func(i int) bool { return i%7 == 0 }), Table: tb}
}

func pointTitle(f *formatter, label string, v *int64) string {
	if v == nil {
		return label + ": " + f.t["chart.hidden"]
	}
	return label + ": " + f.num(*v)
}

// monthlySeries charts the months from the first with visitors.
func monthlySeries(f *formatter, s *opendata.Set, loc *time.Location) *series {
	r, ok := s.Report(opendata.MonthlyReport)
	if !ok {
		return nil
	}
	rows := r.Rows
	for len(rows) > 0 && allZero(rows[0]) {
		rows = rows[1:]
	}
	out := &series{Note: f.t["monthly.note"]}
	if len(rows) == 0 {
		out.Waiting = fmt.Sprintf(f.t["monthly.waiting"], f.instant(s.NextMonth, loc))
		return out
	}
	out.Caption = f.month(rows[0].Value)
	if len(rows) > 1 {
		sep := " – "
		if f.lang == "ja" {
			sep = "～"
		}
		out.Caption += sep + f.month(rows[len(rows)-1].Value)
	}
	var pts []point
	for _, row := range rows {
		name := f.month(row.Value)
		tick := monthsEN[monthNumber(row.Value)-1][:3]
		if f.lang == "ja" {
			tick = fmt.Sprintf("%d月", monthNumber(row.Value))
		}
		pts = append(pts, point{Value: row.Counts[0], Tick: tick, Title: pointTitle(f, name, row.Counts[0])})
	}
	if len(pts) < 3 {
		// A chart of one or two columns says nothing the table does not.
		out.Table = tableOf(f, r, rows)
		return out
	}
	out.Chart = newChart(f.t["measure.visitors"], f.t["chart.hidden"], pts, func(i int) bool { return len(pts) <= 8 || (len(pts)-1-i)%2 == 0 })
	out.Table = tableOf(f, r, rows)
	return out
}

func monthNumber(label string) int {
	var y, m int
	if _, err := fmt.Sscanf(label, "%d-%d", &y, &m); err != nil || m < 1 || m > 12 {
		return 1
	}
	return m
}

func allZero(row opendata.Row) bool {
	for _, c := range row.Counts {
		if c == nil || *c != 0 {
			return false
		}
	}
	return true
}

// buildLists lays out the breakdowns: for each, the four weeks and their
// last week side by side (they end on the same date), top rows only.
func buildLists(f *formatter, s *opendata.Set, loc *time.Location, firstDay disclosure.Day) lists {
	t := f.t
	week := s.ListWeek()
	out := lists{Caption: fmt.Sprintf(t["lists.caption"], f.span(s.Block.Start, s.Block.Last()),
		f.span(week.Start, week.Last()), f.instant(s.NextBlock, loc))}
	if firstDay > s.Block.Last() {
		// Counting began after the last four-week period ended.
		out.Waiting = fmt.Sprintf(t["lists.waiting"], f.instant(s.NextBlock, loc))
		return out
	}
	var fam *listFamily
	for _, r := range s.Reports {
		name, days := splitName(r.Name)
		if days == "" {
			continue
		}
		if name == "properties" && len(r.Rows) == 0 && r.Withheld == "" {
			// A site without allowlisted keys (or none named yet): the
			// list would only ever be empty. Its files stay listed.
			continue
		}
		if fam == nil || fam.Title != t["report."+name] {
			out.Families = append(out.Families, listFamily{Title: t["report."+name]})
			fam = &out.Families[len(out.Families)-1]
		}
		tb := tableOf(f, r, r.Rows)
		tb.Caption = t["period."+days]
		if len(tb.Rows) > listRows {
			tb.Rows = tb.Rows[:listRows]
			tb.More = &more{Text: fmt.Sprintf(t["lists.more"], listRows, f.num(int64(len(r.Rows)))), JSON: r.Name + ".json", CSV: r.Name + ".csv"}
		}
		fam.Tables = append(fam.Tables, tb)
	}
	return out
}

// splitName splits "pages-7-days" into "pages" and "7"; other names
// have no days.
func splitName(name string) (string, string) {
	rest, ok := strings.CutSuffix(name, "-days")
	if !ok {
		return name, ""
	}
	i := strings.LastIndexByte(rest, '-')
	if i < 0 {
		return name, ""
	}
	return rest[:i], rest[i+1:]
}

// reportTitle names a report in the page's language: "Top pages (7 days)".
func reportTitle(f *formatter, name string) string {
	fam, days := splitName(name)
	if days == "" {
		return f.t["report."+fam]
	}
	if f.lang == "ja" {
		return f.t["report."+fam] + "（" + f.t["period."+days] + "）"
	}
	return f.t["report."+fam] + " (" + f.t["period."+days] + ")"
}

// tableOf lays rows of a report out as a table of strings.
func tableOf(f *formatter, r *opendata.Report, rows []opendata.Row) table {
	t := f.t
	tb := table{Report: r.Name}
	if r.Withheld != "" {
		tb.Withheld = t["withheld."+r.Withheld]
		return tb
	}
	tb.Headers = append(tb.Headers, t["label."+r.Label])
	for _, m := range r.Measures {
		tb.Headers = append(tb.Headers, t["measure."+m])
	}
	for _, row := range rows {
		cells := []string{f.value(r.Label, row)}
		for _, c := range row.Counts {
			cells = append(cells, f.count(c))
		}
		tb.Rows = append(tb.Rows, cells)
	}
	if len(r.Totals) > 0 {
		tb.Totals = []string{t["label.total"]}
		for _, m := range r.Measures {
			v := ""
			for _, x := range r.Totals {
				if x.Measure == m {
					v = f.num(x.Value)
				}
			}
			tb.Totals = append(tb.Totals, v)
		}
	}
	return tb
}

// rulesText states the disclosure rules in force.
func rulesText(s *opendata.Set, l string) []string {
	t := texts[l]
	out := []string{fmt.Sprintf(t["rule.k"], s.Rules.K), t["rule.other"], t["rule.periods"]}
	if s.Rules.RoundTo > 1 {
		out = append(out, fmt.Sprintf(t["rule.round"], s.Rules.RoundTo))
	}
	if s.Rules.Noisy() {
		out = append(out, fmt.Sprintf(t["rule.noise"], s.Rules.EpsilonString()))
	} else {
		out = append(out, t["rule.exact"], fmt.Sprintf(t["rule.people"], s.Rules.K))
	}
	return append(out, fmt.Sprintf(t["rule.zone"], s.TimeZone))
}
