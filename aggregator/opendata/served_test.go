package opendata

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
)

// served is a published report as a reader of its JSON file sees it.
type served struct {
	name, fam   string
	start, last disclosure.Day
	withheld    string
	totals      map[string]int64
	rows        []servedRow
}

type servedRow struct {
	key    string
	other  bool
	counts map[string]*int64 // by measure; nil: not published
}

// parseServed reads a report's JSON file.
func parseServed(t *testing.T, b []byte) served {
	t.Helper()
	var doc struct {
		Name   string `json:"name"`
		Period struct {
			Start, End string
		} `json:"period"`
		Withheld string                       `json:"withheld"`
		Totals   map[string]int64             `json:"totals"`
		Data     []map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, b)
	}
	s := served{name: doc.Name, withheld: doc.Withheld, totals: doc.Totals}
	s.fam = strings.TrimSuffix(strings.TrimSuffix(doc.Name, weekSuffix), blockSuffix)
	label := "date"
	switch doc.Name {
	case DailyReport:
		s.fam = totalsFamily
	case MonthlyReport:
		s.fam, label = totalsFamily, "month"
	default:
		label = familyByName(s.fam).label
	}
	var err error
	if s.start, err = disclosure.ParseDay(doc.Period.Start); err != nil {
		t.Fatal(err)
	}
	if s.last, err = disclosure.ParseDay(doc.Period.End); err != nil {
		t.Fatal(err)
	}
	for _, d := range doc.Data {
		var row servedRow
		_ = json.Unmarshal(d[label], &row.key)
		row.other = row.key == OtherLabel
		if row.key == UnknownLabel {
			row.key = ""
		}
		row.counts = map[string]*int64{}
		for _, m := range familyMeasures(s.fam) {
			if raw, ok := d[m]; ok {
				var v *int64
				_ = json.Unmarshal(raw, &v)
				row.counts[m] = v
			}
		}
		s.rows = append(s.rows, row)
	}
	return s
}

// days returns the days of a daily report's row, or of the report.
func (s served) rowDays(r servedRow) (disclosure.Day, disclosure.Day) {
	switch s.name {
	case DailyReport:
		d, _ := disclosure.ParseDay(r.key)
		return d, d
	case MonthlyReport:
		d, _ := disclosure.ParseDay(r.key + "-01")
		m := monthOf(d)
		return m.first, m.last
	}
	return s.start, s.last
}
