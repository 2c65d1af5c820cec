package opendata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"time"
)

// obj is a JSON object that keeps its keys in order, so that a file's
// columns read in the order of the CSV header.
type obj []kv

type kv struct {
	k string
	v any
}

// MarshalJSON writes the keys in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// JSON renders the report in the shape of analytics.usa.gov's files: its
// name, period and rules, the totals, and one object per row.
func (r *Report) JSON() []byte {
	doc := obj{{"name", r.Name}, {"site", r.Site}}
	if r.Start != 0 {
		doc = append(doc, kv{"period", obj{{"start", r.Start.String()}, {"end", r.Last.String()}, {"time_zone", r.TimeZone}}})
	}
	doc = append(doc, kv{"rules", r.rulesObj()})
	if r.Withheld != "" {
		doc = append(doc, kv{"withheld", r.Withheld})
	}
	if len(r.Totals) > 0 {
		t := obj{}
		for _, x := range r.Totals {
			t = append(t, kv{x.Measure, x.Value})
		}
		doc = append(doc, kv{"totals", t})
	}
	data := []obj{}
	for _, row := range r.Rows {
		o := obj{}
		if r.Label != "" {
			o = append(o, kv{r.Label, row.Display()})
		}
		for i, m := range r.Measures {
			o = append(o, kv{m, row.Counts[i]})
		}
		data = append(data, o)
	}
	doc = append(doc, kv{"data", data})
	if !r.TakenAt.IsZero() {
		doc = append(doc, kv{"taken_at", r.TakenAt.UTC().Format(time.RFC3339)})
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return append(b, '\n')
}

func (r *Report) rulesObj() obj {
	var eps any
	if r.Rules.Noisy() {
		// A JSON number, written as the decimal it was configured as.
		eps = json.Number(r.Rules.EpsilonString())
	}
	return obj{{"min_cell_size", r.Rules.K}, {"round_to", r.Rules.RoundTo}, {"epsilon", eps}}
}

// CSV renders the rows under a header; a withheld report is its header
// alone, and a suppressed count an empty field.
func (r *Report) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	var header []string
	if r.Label != "" {
		header = append(header, r.Label)
	}
	_ = w.Write(append(header, r.Measures...))
	for _, row := range r.Rows {
		var rec []string
		if r.Label != "" {
			rec = append(rec, csvSafe(row.Display()))
		}
		for _, c := range row.Counts {
			if c == nil {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, strconv.FormatInt(*c, 10))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

// csvSafe keeps a value that a spreadsheet would read as a formula (a
// site-search term typed as "=HYPERLINK(…)") from being one, by the
// usual leading apostrophe.
func csvSafe(v string) string {
	if v != "" && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r') {
		return "'" + v
	}
	return v
}

// Index renders the list of a set's reports with their periods.
func (s *Set) Index() []byte {
	reports := []obj{}
	for _, r := range append([]*Report{s.Realtime(0, false, time.Time{})}, s.Reports...) {
		o := obj{{"name", r.Name}, {"json", r.Name + ".json"}, {"csv", r.Name + ".csv"}}
		if r.Start != 0 {
			o = append(o, kv{"start", r.Start.String()}, kv{"end", r.Last.String()})
		}
		reports = append(reports, o)
	}
	doc := obj{{"site", s.Site}, {"time_zone", s.TimeZone}, {"reports", reports}}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return append(b, '\n')
}
