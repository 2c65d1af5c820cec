package disclosure

// Counts over several days are sums of visitor-days, not people: one
// device seen on ten days of a block is a cell of ten. The collector adds
// at most 1 per person and day to any one cell, so a cell's count on its
// busiest day is a number of distinct people, and over its days with a
// non-zero count each person is at most once a day:
//
//	people ≥ max(max-day count, ⌈total ÷ days with a non-zero count⌉).
//
// For a sum of several cells ("(other)"), a person adds at most perDay to
// it in a day (the release's sensitivity), so both terms are divided by
// perDay. Exact publication shows a count over several days only when this
// lower bound is at least K (docs/publishing.md). Noisy publication does
// not use it: its decisions must depend on noisy counts only.

// People returns the lower bound on the distinct people behind per-day
// counts of which one person adds at most perDay to each day (perDay ≤ 0
// counts as 1).
func People(days []int64, perDay int64) int64 {
	perDay = max(perDay, 1)
	var peak, total, nonZero int64
	for _, v := range days {
		if v <= 0 {
			continue
		}
		peak, total, nonZero = max(peak, v), total+v, nonZero+1
	}
	if nonZero == 0 {
		return 0
	}
	return max(ceilDiv(peak, perDay), ceilDiv(total, perDay*nonZero))
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// FewPeople reports whether exact per-day counts (nil: unknown) hold some
// visitors but fewer than K people by the lower bound.
func (r Rules) FewPeople(days []int64, perDay int64) bool {
	if r.Noisy() || days == nil {
		return false
	}
	p := People(days, perDay)
	return p > 0 && p < r.K
}

// addDays adds per-day counts; a nil side makes the sum unknown.
func addDays(dst, src []int64) []int64 {
	if dst == nil || src == nil || len(dst) != len(src) {
		return nil
	}
	for i, v := range src {
		dst[i] += v
	}
	return dst
}
