package opendata

import (
	"math/big"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
)

// Delta is the δ of the differential privacy of the noisy reports, per
// visitor-day: the probability bound of naming a value (a page, a
// country) that only one visitor-day's data put in the data. It is split
// evenly among the breakdowns, their 7- and 28-day reports and the values
// one visitor-day can touch.
const Delta = 1e-6

// noisyFamilies counts the breakdowns published with noise.
func noisyFamilies() int64 { return releases() - 1 }

// scale is the noise scale of a measurement with the given sensitivity.
func scale(r disclosure.Rules, sensitivity int64) *big.Rat {
	return disclosure.Scale(r.Epsilon, sensitivity, releases())
}

// keyThreshold is the smallest noisy count shown for a value of f, in a
// report summing terms weekly draws.
func keyThreshold(r disclosure.Rules, f *family, terms int) int64 {
	delta := Delta / float64(noisyFamilies()*2*f.sensitivity)
	return disclosure.KeyThreshold(scale(r, f.sensitivity), terms, delta, r.K)
}

// dayValues returns the counts the decisions about a week's days are
// made on: the exact totals, or the noisy visitors.
func dayValues(rec *record, r disclosure.Rules) [][]int64 {
	out := make([][]int64, len(rec.Days))
	for i, d := range rec.Days {
		if r.Noisy() {
			out[i] = []int64{d[0] + rec.DayNoise[i]}
			continue
		}
		out[i] = append([]int64(nil), d...)
	}
	return out
}

// sumCounts adds cells' counts.
func sumCounts(cs [][]int64) []int64 {
	if len(cs) == 0 {
		return nil
	}
	out := make([]int64, len(cs[0]))
	for _, c := range cs {
		for i, v := range c {
			out[i] += v
		}
	}
	return out
}

// weekCellValues returns a family's cells of a week as the decisions see
// them: exact, or the noisy visitors.
func weekCellValues(rec *record, f *family, r disclosure.Rules) []disclosure.Cell {
	cells := toCells(rec.Cells[f.name])
	if !r.Noisy() {
		return cells
	}
	// Noisy decisions see noisy counts only: no exact per-day counts.
	out := make([]disclosure.Cell, len(cells))
	for i, c := range cells {
		out[i] = disclosure.Cell{Key: c.Key, Counts: []int64{c.Counts[0] + rec.CellNoise[f.name][c.Key]}}
	}
	return out
}

// measureNames returns the measures published for f under r.
func measureNames(f *family, r disclosure.Rules) []string {
	if r.Noisy() {
		return f.measures[:1]
	}
	return f.measures
}

func totalsNames(r disclosure.Rules) []string {
	if r.Noisy() {
		return totalsMeasures[:1]
	}
	return totalsMeasures
}

// roundAll rounds published counts.
func roundAll(r disclosure.Rules, c []int64) []int64 {
	out := make([]int64, len(c))
	for i, v := range c {
		out[i] = r.Round(v)
	}
	return out
}

// report turns a decided breakdown into what is published. other is
// "(other)" as published (nil for none).
func report(r disclosure.Rules, cells []disclosure.Cell, b disclosure.Breakdown, other []int64) reportRecord {
	if b.Withheld {
		return reportRecord{Withheld: withheldNoSplit}
	}
	var out reportRecord
	for i, c := range cells {
		if b.Shown[i] {
			out.Rows = append(out.Rows, cellRecord{Key: c.Key, Counts: roundAll(r, c.Counts)})
		}
	}
	if other != nil {
		out.Other = roundAll(r, other)
	}
	return out
}

// otherOf is "(other)" of a breakdown: exact, the sum folded (nil when
// nothing was); noisy, the noisy total minus the shown values, for
// breakdowns whose visitors add up to the total, and only when it is not
// small.
func otherOf(r disclosure.Rules, f *family, cells []disclosure.Cell, b disclosure.Breakdown, noisyTotal int64) []int64 {
	if b.Withheld || !f.hasOther() {
		return nil
	}
	if !r.Noisy() {
		for _, v := range b.Other {
			if v != 0 {
				return b.Other
			}
		}
		return nil
	}
	if f.tied[0] < 0 {
		// Only visitors are published under noise; "(other)" is the
		// total minus the values only where the values add up to it.
		return nil
	}
	rest := noisyTotal
	for i, c := range cells {
		if b.Shown[i] {
			rest -= c.Counts[0]
		}
	}
	if r.Small(rest) {
		return nil
	}
	return []int64{rest}
}

// dayVisitors is the visitors column of a period's daily totals.
func dayVisitors(days [][]int64) []int64 {
	out := make([]int64, len(days))
	for i, d := range days {
		if len(d) > 0 {
			out[i] = d[0]
		}
	}
	return out
}
