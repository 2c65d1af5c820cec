package opendata

import (
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
)

// recordVersion is the archive format; a record of another version is
// refused rather than misread.
const recordVersion = 1

// record is one frozen period: the counts it was computed from, the noise
// drawn for it, and exactly what was published. Once written it never
// changes, so every request, every restart and `shukei publish` serve
// the same numbers: repeated requests cannot average noise away, and rows
// arriving late cannot be differenced against an earlier publication.
//
// A record holds exact small counts and the noise, which together undo
// the protection: the archive is private, like the database
// (docs/publishing.md).
type record struct {
	Version  int         `json:"version"`
	Site     string      `json:"site"`
	Kind     string      `json:"kind"` // "week" or "block"
	Start    string      `json:"start"`
	TimeZone string      `json:"time_zone"`
	Rules    rulesRecord `json:"rules"`
	FrozenAt time.Time   `json:"frozen_at"`

	// Exact counts (weeks only): totals per day, each family's cells and
	// each search term's number of days.
	Days     [][]int64               `json:"days,omitempty"`
	Cells    map[string][]cellRecord `json:"cells,omitempty"`
	TermDays map[string]int64        `json:"term_days,omitempty"`
	// UseDays are, for the other term-like families (files), each
	// value's number of days, by family.
	UseDays map[string]map[string]int64 `json:"use_days,omitempty"`

	// Noise, with differential privacy: per day (visitors), per family
	// and value (visitors) for weeks; for blocks, draws for values absent
	// from a week, by family, value and week.
	DayNoise   []int64                       `json:"day_noise,omitempty"`
	CellNoise  map[string]map[string]int64   `json:"cell_noise,omitempty"`
	BlockNoise map[string]map[string][]int64 `json:"block_noise,omitempty"`

	// What was published, rounded.
	Totals  totalsRecord            `json:"totals"`
	Reports map[string]reportRecord `json:"reports"`
}

// rulesRecord is disclosure.Rules as stored.
type rulesRecord struct {
	K       int64  `json:"k"`
	RoundTo int64  `json:"round_to"`
	Epsilon string `json:"epsilon,omitempty"`
}

func recordRules(r disclosure.Rules) rulesRecord {
	return rulesRecord{K: r.K, RoundTo: r.RoundTo, Epsilon: r.EpsilonString()}
}

func (r rulesRecord) rules() (disclosure.Rules, error) {
	out := disclosure.Rules{K: r.K, RoundTo: r.RoundTo}
	if r.Epsilon != "" {
		eps, err := disclosure.ParseEpsilon(r.Epsilon)
		if err != nil {
			return out, err
		}
		out.Epsilon = eps
	}
	return out, nil
}

// cellRecord is one value's counts and, in a week's exact cells, its
// visitors on each day (the people bound; never published).
type cellRecord struct {
	Key    string  `json:"key"`
	Counts []int64 `json:"counts"`
	Days   []int64 `json:"days,omitempty"`
}

// totalsRecord is the published total of the period and, for weeks, of
// each day (nil where suppressed). Withheld names why nothing is shown.
type totalsRecord struct {
	Withheld string    `json:"withheld,omitempty"`
	Total    []int64   `json:"total,omitempty"`
	Days     [][]int64 `json:"days,omitempty"`
}

// reportRecord is a published breakdown: the rows shown with their
// counts, and "(other)" (nil when not published).
type reportRecord struct {
	Withheld string       `json:"withheld,omitempty"`
	Rows     []cellRecord `json:"rows,omitempty"`
	Other    []int64      `json:"other,omitempty"`
}

// Reasons a report is withheld, shown to readers.
const (
	withheldSmall   = "small"   // the period's total is below k
	withheldTotal   = "total"   // it would reveal a total that is withheld
	withheldNoSplit = "nosplit" // no split keeps "(other)" at k or more
	withheldRules   = "rules"   // the rules changed within the block
	withheldNoData  = "nodata"  // the period is older than the retention
)

// shownKeys returns the keys a published report showed.
func (r reportRecord) shownKeys() map[string]bool {
	out := make(map[string]bool, len(r.Rows))
	for _, c := range r.Rows {
		out[c.Key] = true
	}
	return out
}

func toCells(rs []cellRecord) []disclosure.Cell {
	out := make([]disclosure.Cell, len(rs))
	for i, c := range rs {
		out[i] = disclosure.Cell{Key: c.Key, Counts: c.Counts, Days: c.Days}
	}
	return out
}

func fromCells(cs []disclosure.Cell) []cellRecord {
	out := make([]cellRecord, len(cs))
	for i, c := range cs {
		out[i] = cellRecord{Key: c.Key, Counts: c.Counts, Days: c.Days}
	}
	return out
}

// noiseID names one noise draw of the period: its site, the period, and
// the parts given (the report, the value, a day or week index). The noise
// is a function of it and the key (disclosure.Noise), so every copy of
// the archive draws the same.
func (r *record) noiseID(parts ...string) []string {
	return append([]string{r.Site, r.Kind, r.Start}, parts...)
}

// daysOf returns the number of days the week's value of a term-like
// family was used on.
func (r *record) daysOf(f *family, key string) int64 {
	if f.name == searchTerms {
		return r.TermDays[key]
	}
	return r.UseDays[f.name][key]
}
