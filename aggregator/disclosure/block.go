package disclosure

// This file decides a block's report (four weeks) after the reports of its
// weeks were published and frozen.
//
// The block report and the week reports describe the same cells: value v
// in week w. The attacker knows every published cell, each week's
// "(other)" and each week's total, each shown value's block count, and the
// block's "(other)". The cells not published are the unknowns; each known
// sum is a node of a bipartite graph (a value shown in the block, "(other)"
// of the block, a week), and each unknown cell an edge between its value
// (or the block's "(other)", for values folded there) and its week. A sum
// over some of a value's cells is derivable exactly when it is a
// combination of the node sums, which graph.go works out from the graph's
// connectivity. SplitBlock suppresses more values until no derivable sum
// of a single value's cells is small.

// BlockCell is one value over a block: its counts in each week and whether
// each week's published report showed it.
type BlockCell struct {
	Key         string
	Weeks       [][]int64 // [week][measure]
	ShownWeekly []bool    // [week]
	// Days are the per-day counts of the first measure over the block
	// (the people rule); nil where unknown.
	Days []int64
}

// Counts returns the cell's counts over the whole block.
func (c BlockCell) Counts() []int64 {
	if len(c.Weeks) == 0 {
		return nil
	}
	out := make([]int64, len(c.Weeks[0]))
	for _, w := range c.Weeks {
		add(out, w)
	}
	return out
}

// SplitBlock decides a block's report. It starts from Split over the
// block's counts, then, for exact counts, suppresses values until the
// audit in graph.go finds no small derivable sum. Noisy counts need no
// audit: what subtraction yields from them is noisy too, and the noise
// already bounds what any combination reveals.
func (r Rules) SplitBlock(cells []BlockCell, o SplitOptions) Breakdown {
	flat := make([]Cell, len(cells))
	for i, c := range cells {
		flat[i] = Cell{Key: c.Key, Counts: c.Counts(), Days: c.Days}
	}
	b := r.Split(flat, o)
	if b.Withheld || r.Noisy() {
		return b
	}
	for {
		g := newBlockGraph(cells, b.Shown)
		bad, ok := g.violations(r)
		if !ok {
			return Breakdown{Withheld: true}
		}
		if len(bad) == 0 {
			return b
		}
		for _, i := range bad {
			b.Shown[i] = false
			add(b.Other, flat[i].Counts)
		}
		if !r.otherSmall(flat, b, o.PerDay) {
			continue
		}
		// "(other)" grew: it can be small only in people (days with a
		// few visitors lowering the average) or with negative counts.
		b = r.refold(flat, b, o.PerDay)
		if b.Withheld {
			return b
		}
	}
}

// refold moves the smallest shown cells into "(other)" until it is not
// small.
func (r Rules) refold(flat []Cell, b Breakdown, perDay int64) Breakdown {
	counts := make([][]int64, len(flat))
	for i, c := range flat {
		counts[i] = c.Counts
	}
	for r.otherSmall(flat, b, perDay) {
		i := smallestShown(b.Shown, counts)
		if i < 0 {
			return Breakdown{Withheld: true}
		}
		b.Shown[i] = false
		add(b.Other, counts[i])
	}
	return b
}
