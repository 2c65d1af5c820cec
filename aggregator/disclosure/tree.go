package disclosure

// This file protects a total and its parts: a week's total and its days.
//
// When a parent count is published, the attacker knows the parent minus
// every published child: the sum of the suppressed children. So suppressed
// children must add up to zero or to at least k, and the only way to reach
// that is to suppress more children (secondary suppression). If every
// derivable quantity is a union of published nodes and such residuals,
// each of which is 0 or ≥ k, then no count between 1 and k-1 of any set of
// days can be derived (docs/publishing.md, "Totals and days").

// Parts decides which children of a published parent are shown: children
// with a small count are suppressed, then the smallest shown children join
// them until what the suppressed children add up to is not small in any
// measure. It returns nil when the parent itself is small: then nothing
// under it may be shown.
func (r Rules) Parts(parent []int64, children [][]int64) []bool {
	if r.AnySmall(parent) {
		return nil
	}
	shown := make([]bool, len(children))
	residual := make([]int64, len(parent))
	for i, c := range children {
		if r.AnySmall(c) {
			add(residual, c)
			continue
		}
		shown[i] = true
	}
	for r.AnySmall(residual) {
		i := smallestShown(shown, children)
		if i < 0 {
			// Every child is suppressed: their sum is the parent, which
			// is not small.
			break
		}
		shown[i] = false
		add(residual, children[i])
	}
	return shown
}

// Residual returns what the children not shown add up to.
func Residual(children [][]int64, shown []bool, measures int) []int64 {
	out := make([]int64, measures)
	for i, c := range children {
		if shown == nil || !shown[i] {
			add(out, c)
		}
	}
	return out
}

// smallestShown returns the shown child with the smallest first count
// that has any count at all (moving an all-zero child changes nothing),
// or -1.
func smallestShown(shown []bool, children [][]int64) int {
	best := -1
	for i, c := range children {
		if !shown[i] || allZero(c) {
			continue
		}
		if best < 0 || less(c, children[best]) {
			best = i
		}
	}
	return best
}

// less orders cells by their counts, first measure first.
func less(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

func add(dst, src []int64) {
	for i := range src {
		dst[i] += src[i]
	}
}

func allZero(c []int64) bool {
	for _, v := range c {
		if v != 0 {
			return false
		}
	}
	return true
}

// PartsIn is Parts for children that also fall into groups (the days of a
// week on each side of a month boundary: a month's total reveals what the
// suppressed days of its side add up to). The suppressed children must
// add up to zero or at least k in every group as well as in all: the
// smallest shown children of a group join the suppressed ones until it
// is so. A group whose children are all suppressed and still add up to a
// small count cannot be helped here; whatever publishes its sum must not
// be published (opendata's months check it).
func (r Rules) PartsIn(parent []int64, children [][]int64, group []int) []bool {
	if r.AnySmall(parent) {
		return nil
	}
	// The groups first: the days a small one needs hidden usually make
	// the whole safe too, where fixing the whole first would hide a day
	// of the other side for nothing.
	shown := make([]bool, len(children))
	for i, c := range children {
		shown[i] = !r.AnySmall(c)
	}
	groups := 0
	for _, g := range group {
		groups = max(groups, g+1)
	}
	for {
		changed := false
		for g := range groups {
			in := make([]bool, len(children))
			for i := range children {
				in[i] = group[i] == g && shown[i]
			}
			residual := make([]int64, len(parent))
			for i, c := range children {
				if group[i] == g && !shown[i] {
					add(residual, c)
				}
			}
			if !r.AnySmall(residual) {
				continue
			}
			if i := smallestShown(in, children); i >= 0 {
				shown[i], changed = false, true
			}
		}
		if r.AnySmall(Residual(children, shown, len(parent))) {
			if i := smallestShown(shown, children); i >= 0 {
				shown[i], changed = false, true
			}
		}
		if !changed {
			return shown
		}
	}
}
