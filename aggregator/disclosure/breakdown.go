package disclosure

// Cell is one value of a report's dimension over a period, with one count
// per measure (visitors, page views …). Key "" is the value-less cell (an
// unknown country, say); it is a cell like any other.
type Cell struct {
	Key    string
	Counts []int64
	// Days are the per-day counts of the first measure (visitors) over
	// the period, for the people rule (people.go); nil where unknown.
	Days []int64
}

// Breakdown is a report of one period: the cells shown and "(other)", the
// sum of every cell not shown.
type Breakdown struct {
	// Shown is parallel to the cells given to Split.
	Shown []bool
	// Other sums the cells not shown; all zero when nothing is folded.
	Other []int64
	// Withheld is set when no safe split exists (what the report would
	// add up to is itself small): nothing of the report is published.
	Withheld bool
}

// SplitOptions tune Split.
type SplitOptions struct {
	// Eligible says whether a cell's value may be published at all (a
	// scrubbed path, a search term seen on enough days); nil: all may.
	Eligible func(i int) bool
	// Threshold raises the minimum shown count above K (noisy counts of
	// values not known in advance, docs/publishing.md); 0: K.
	Threshold int64
	// NoOther is set when "(other)" is not published, so it needs no
	// protection of its own.
	NoOther bool
	// PerDay is the most one person adds to the first measure of all the
	// cells together in a day (the release's sensitivity): "(other)" must
	// then hold k people by the bound of people.go too. 0 leaves
	// "(other)" to the count rule alone.
	PerDay int64
}

// Split decides a single period's report. A cell is shown when eligible,
// none of its counts is small and, over several days, its people bound is
// at least k. "(other)" must then not be small either, or it would reveal
// the small cells folded into it (one small cell alone, or a few adding up
// to less than k, or fewer than k people): the smallest shown cells join
// it until it is zero or at least k.
func (r Rules) Split(cells []Cell, o SplitOptions) Breakdown {
	measures := 0
	if len(cells) > 0 {
		measures = len(cells[0].Counts)
	}
	b := Breakdown{Shown: make([]bool, len(cells)), Other: make([]int64, measures)}
	counts := make([][]int64, len(cells))
	folded := 0
	for i, c := range cells {
		counts[i] = c.Counts
		if r.showable(c.Counts, o.Threshold) && !r.FewPeople(c.Days, 1) && (o.Eligible == nil || o.Eligible(i)) {
			b.Shown[i] = true
			continue
		}
		add(b.Other, c.Counts)
		folded++
	}
	for !o.NoOther && folded > 0 && r.otherSmall(cells, b, o.PerDay) {
		i := smallestShown(b.Shown, counts)
		if i < 0 {
			return Breakdown{Withheld: true}
		}
		b.Shown[i] = false
		add(b.Other, counts[i])
		folded++
	}
	return b
}

// otherSmall reports whether "(other)" — the cells not shown — is small in
// its counts or in people.
func (r Rules) otherSmall(cells []Cell, b Breakdown, perDay int64) bool {
	if r.AnySmall(b.Other) {
		return true
	}
	return perDay > 0 && r.FewPeople(foldedDays(cells, b.Shown), perDay)
}

// foldedDays sums the per-day counts of the cells not shown (nil when any
// is unknown or none is folded).
func foldedDays(cells []Cell, shown []bool) []int64 {
	var days []int64
	for i, c := range cells {
		if shown[i] {
			continue
		}
		if c.Days == nil {
			return nil
		}
		if days == nil {
			days = make([]int64, len(c.Days))
		}
		if days = addDays(days, c.Days); days == nil {
			return nil
		}
	}
	return days
}

// showable reports whether a cell's counts may be shown: none small, not
// all zero, and the first (the visitors) at least the threshold.
func (r Rules) showable(counts []int64, threshold int64) bool {
	if r.AnySmall(counts) || allZero(counts) {
		return false
	}
	return len(counts) == 0 || counts[0] >= threshold
}
