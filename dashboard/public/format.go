package public

import (
	"fmt"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
)

// formatter writes numbers, dates and values as a reader of the page's
// language expects them: 108,216; 16 February 2026 or 2026年2月16日;
// countries and languages by name.
type formatter struct {
	lang      string
	t         map[string]string
	regions   display.Namer
	languages display.Namer
}

func newFormatter(lang string) *formatter {
	d := display.English
	if lang == "ja" {
		d = display.Japanese
	}
	return &formatter{lang: lang, t: texts[lang], regions: d.Regions(), languages: d.Languages()}
}

// num groups digits by three: 108,216 (both languages).
func (f *formatter) num(v int64) string { return groupDigits(v) }

// count is a published count, or the mark of one not shown.
func (f *formatter) count(c *int64) string {
	if c == nil {
		return hiddenMark
	}
	return f.num(*c)
}

// hiddenMark stands for a count that is not shown; the page explains it.
const hiddenMark = "—"

var monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

// date writes a day: 16 February 2026, 2026年2月16日.
func (f *formatter) date(d disclosure.Day) string {
	y, m, dd := d.Date()
	if f.lang == "ja" {
		return fmt.Sprintf("%d年%d月%d日", y, int(m), dd)
	}
	return fmt.Sprintf("%d %s %d", dd, monthsEN[m-1], y)
}

// short writes a day without its year: 16 Feb, 2/16.
func (f *formatter) short(d disclosure.Day) string {
	_, m, dd := d.Date()
	if f.lang == "ja" {
		return fmt.Sprintf("%d/%d", int(m), dd)
	}
	return fmt.Sprintf("%d %s", dd, monthsEN[m-1][:3])
}

// span writes a period: 16 February – 15 March 2026, 2026年2月16日～3月15日.
func (f *formatter) span(from, to disclosure.Day) string {
	y1, m1, d1 := from.Date()
	y2, m2, d2 := to.Date()
	if f.lang == "ja" {
		switch {
		case y1 != y2:
			return f.date(from) + "～" + f.date(to)
		default:
			return fmt.Sprintf("%d年%d月%d日～%d月%d日", y1, int(m1), d1, int(m2), d2)
		}
	}
	switch {
	case y1 != y2:
		return f.date(from) + " – " + f.date(to)
	case m1 != m2:
		return fmt.Sprintf("%d %s – %d %s %d", d1, monthsEN[m1-1], d2, monthsEN[m2-1], y2)
	default:
		return fmt.Sprintf("%d – %d %s %d", d1, d2, monthsEN[m2-1], y2)
	}
}

// month writes a monthly report's row label (2026-03): March 2026, 2026年3月.
func (f *formatter) month(label string) string {
	t, err := time.Parse("2006-01", label)
	if err != nil {
		return label
	}
	if f.lang == "ja" {
		return fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
	}
	return fmt.Sprintf("%s %d", monthsEN[t.Month()-1], t.Year())
}

// instant writes a moment in the site's zone: 16 March 2026, 01:00.
func (f *formatter) instant(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	d := disclosure.DayFromDate(t.Date())
	return f.date(d) + " " + t.Format("15:04")
}

// value writes a row's value: "(other)", "(unknown)", a country or a
// language by its name, or the value as published.
func (f *formatter) value(label string, row opendata.Row) string {
	switch {
	case row.Other:
		return f.t["value.other"]
	case row.Value == "":
		return f.t["value.unknown"]
	}
	switch label {
	case "country":
		if r, err := language.ParseRegion(row.Value); err == nil {
			if n := f.regions.Name(r); n != "" {
				return n
			}
		}
	case "language":
		if t, err := language.Parse(row.Value); err == nil {
			if n := f.languages.Name(t); n != "" {
				return n
			}
		}
	case "month":
		return f.month(row.Value)
	case "date":
		if d, err := disclosure.ParseDay(row.Value); err == nil {
			return f.date(d)
		}
	}
	return row.Value
}
