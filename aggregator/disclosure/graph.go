package disclosure

import "math/bits"

// blockGraph is the graph of a block's unknown cells (see block.go). Rows
// are values; a row's mask has bit w set when its cell of week w was not
// published (zero cells included: a value absent from a week's report
// could be absent or suppressed). Every week is treated as a node with a
// known sum, even a week whose report was withheld: assuming the attacker
// knows more only makes the audit stricter.
//
// Why connectivity decides derivability: a combination of node sums puts
// c_row + c_week on each edge. For a target supported on one row x, every
// other edge needs c_row + c_week = 0, so weeks joined through other rows
// share one c value, and x's weeks fall into classes (connected components
// of the graph without x) on which the target must be constant. A value
// shown in the block (its own node, free c_x) can thus derive the sum of
// its cells over any union of classes. A value folded into the block's
// "(other)" shares that node with the other folded values: wherever one of
// them also has an edge, c_other + c_week = 0 forces the target to zero,
// so only its classes free of other folded values' edges are derivable.
type blockGraph struct {
	cells []BlockCell
	shown []bool
	masks []uint8
	// shownByMask and foldedByMask count rows per mask.
	shownByMask, foldedByMask [16]int
	weeks                     int
}

func newBlockGraph(cells []BlockCell, shown []bool) *blockGraph {
	g := &blockGraph{cells: cells, shown: shown, masks: make([]uint8, len(cells))}
	for i, c := range cells {
		g.weeks = len(c.ShownWeekly)
		var m uint8
		for w, s := range c.ShownWeekly {
			if !s {
				m |= 1 << w
			}
		}
		g.masks[i] = m
		if shown[i] {
			g.shownByMask[m]++
		} else {
			g.foldedByMask[m]++
		}
	}
	return g
}

// violations returns the shown rows with a small derivable sum. When only
// folded rows have one, it returns the shown rows whose suppression
// breaks the derivation (ok false if there is none).
func (g *blockGraph) violations(r Rules) (bad []int, ok bool) {
	var foldedWeeks uint8
	for i := range g.cells {
		if g.masks[i] == 0 {
			continue
		}
		if g.shown[i] {
			if g.smallDerivable(r, i, g.shownClasses(i), 0) != 0 {
				bad = append(bad, i)
			}
			continue
		}
		if foldedWeeks == 0 {
			classes, forced := g.foldedClasses(i)
			foldedWeeks = g.smallDerivable(r, i, classes, forced)
		}
	}
	if len(bad) > 0 || foldedWeeks == 0 {
		return bad, true
	}
	j := g.breaker(foldedWeeks)
	return []int{j}, j >= 0
}

// shownClasses partitions a shown row's mask into the components of the
// graph without it.
func (g *blockGraph) shownClasses(x int) []uint8 {
	var uf weekSets
	uf.init(g.weeks)
	var folded uint8
	for m := range 16 {
		n := g.shownByMask[m]
		if m == int(g.masks[x]) {
			n--
		}
		if n > 0 {
			uf.join(uint8(m))
		}
		if g.foldedByMask[m] > 0 {
			folded |= uint8(m)
		}
	}
	uf.join(folded)
	return uf.classes(g.masks[x])
}

// foldedClasses partitions a folded row's mask into components joined by
// shown rows; forced marks the weeks whose component holds another folded
// row's edge.
func (g *blockGraph) foldedClasses(x int) (classes []uint8, forced uint8) {
	var uf weekSets
	uf.init(g.weeks)
	var others uint8
	for m := range 16 {
		if g.shownByMask[m] > 0 {
			uf.join(uint8(m))
		}
		n := g.foldedByMask[m]
		if m == int(g.masks[x]) {
			n--
		}
		if n > 0 {
			others |= uint8(m)
		}
	}
	uf.join(others)
	for w := range g.weeks {
		if others&(1<<w) != 0 {
			forced |= uf.component(w)
		}
	}
	return uf.classes(g.masks[x]), forced
}

// smallDerivable returns the weeks of a union of row x's classes (leaving
// out forced ones) over which the sum of its cells is small, or 0.
func (g *blockGraph) smallDerivable(r Rules, x int, classes []uint8, forced uint8) uint8 {
	var free []uint8
	for _, c := range classes {
		if c&forced == 0 {
			free = append(free, c)
		}
	}
	for set := 1; set < 1<<len(free); set++ {
		var weeks uint8
		for j, c := range free {
			if set&(1<<j) != 0 {
				weeks |= c
			}
		}
		if r.AnySmall(g.sumWeeks(x, weeks)) {
			return weeks
		}
	}
	return 0
}

func (g *blockGraph) sumWeeks(x int, weeks uint8) []int64 {
	out := make([]int64, len(g.cells[x].Weeks[0]))
	for w := range g.weeks {
		if weeks&(1<<w) != 0 {
			add(out, g.cells[x].Weeks[w])
		}
	}
	return out
}

// breaker returns the smallest shown row with an unknown cell in weeks, the
// weeks of a folded row's small derivable sum: folding it puts another
// folded edge there, which forces that class.
func (g *blockGraph) breaker(weeks uint8) int {
	best := -1
	for i := range g.cells {
		if !g.shown[i] || g.masks[i]&weeks == 0 {
			continue
		}
		if best < 0 || less(g.cells[i].Counts(), g.cells[best].Counts()) {
			best = i
		}
	}
	return best
}

// weekSets is a union-find over at most eight weeks.
type weekSets struct {
	parent [8]uint8
	n      int
}

func (u *weekSets) init(n int) {
	u.n = n
	for i := range u.parent {
		u.parent[i] = uint8(i)
	}
}

func (u *weekSets) find(w int) int {
	for int(u.parent[w]) != w {
		w = int(u.parent[w])
	}
	return w
}

// join puts every week of mask in one set.
func (u *weekSets) join(mask uint8) {
	if mask == 0 {
		return
	}
	first := bits.TrailingZeros8(mask)
	for w := first + 1; w < u.n; w++ {
		if mask&(1<<w) != 0 {
			u.parent[u.find(w)] = uint8(u.find(first))
		}
	}
}

// component returns the weeks in w's set.
func (u *weekSets) component(w int) uint8 {
	var m uint8
	root := u.find(w)
	for v := range u.n {
		if u.find(v) == root {
			m |= 1 << v
		}
	}
	return m
}

// classes splits mask by set.
func (u *weekSets) classes(mask uint8) []uint8 {
	var out []uint8
	seen := uint8(0)
	for w := range u.n {
		if mask&(1<<w) == 0 || seen&(1<<w) != 0 {
			continue
		}
		c := u.component(w) & mask
		seen |= c
		out = append(out, c)
	}
	return out
}
