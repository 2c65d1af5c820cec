package disclosure

import (
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/shukei-analytics/shukei/site"
)

func TestRulesFor(t *testing.T) {
	r, err := RulesFor(site.Publishing{Public: true})
	if err != nil || r.K != 10 || r.RoundTo != 1 || r.Noisy() {
		t.Errorf("defaults: %+v %v", r, err)
	}
	r, err = RulesFor(site.Publishing{MinCellSize: 5, RoundTo: 10, Epsilon: 0.3})
	if err != nil || r.K != 5 || r.RoundTo != 10 || r.Epsilon.Cmp(big.NewRat(3, 10)) != 0 || r.EpsilonString() != "0.3" {
		t.Errorf("settings: %+v %v", r, err)
	}
	for _, p := range []site.Publishing{{MinCellSize: 1}, {MinCellSize: -3}, {MinCellSize: 1001}, {RoundTo: 3}, {RoundTo: -5},
		{Epsilon: -1}, {Epsilon: 1e-9}, {Epsilon: 101}, {Epsilon: math.NaN()}, {Epsilon: math.Inf(1)}} {
		if _, err := RulesFor(p); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

func TestRoundAndSmall(t *testing.T) {
	r := Rules{K: 10, RoundTo: 5}
	for in, want := range map[int64]int64{0: 0, 12: 10, 13: 15, 17: 15, 18: 20, -13: -15} {
		if got := r.Round(in); got != want {
			t.Errorf("Round(%d) = %d, want %d", in, got, want)
		}
	}
	for v, small := range map[int64]bool{0: false, 1: true, 9: true, 10: false, -1: false} {
		if r.Small(v) != small {
			t.Errorf("exact Small(%d) = %v", v, !small)
		}
	}
	noisy := Rules{K: 10, RoundTo: 1, Epsilon: big.NewRat(1, 1)}
	for v, small := range map[int64]bool{0: true, -4: true, 9: true, 10: false} {
		if noisy.Small(v) != small {
			t.Errorf("noisy Small(%d) = %v", v, !small)
		}
	}
}

// TestSplitSecondarySuppression: one small value folded alone would be
// published as "(other)", so the smallest shown value joins it.
func TestSplitSecondarySuppression(t *testing.T) {
	r := Rules{K: 10, RoundTo: 1}
	cells := []Cell{{Key: "a", Counts: []int64{50}}, {Key: "b", Counts: []int64{30}}, {Key: "c", Counts: []int64{4}}, {Key: "d", Counts: []int64{0}}}
	b := r.Split(cells, SplitOptions{})
	if !slices.Equal(b.Shown, []bool{true, false, false, false}) || b.Other[0] != 34 {
		t.Errorf("shown %v, other %v", b.Shown, b.Other)
	}
	// Two small values that add up to k are safe together.
	cells = []Cell{{Key: "a", Counts: []int64{50}}, {Key: "b", Counts: []int64{6}}, {Key: "c", Counts: []int64{4}}}
	if b := r.Split(cells, SplitOptions{}); !slices.Equal(b.Shown, []bool{true, false, false}) || b.Other[0] != 10 {
		t.Errorf("shown %v, other %v", b.Shown, b.Other)
	}
	// Nothing can hide a lone small value when it is all there is.
	if b := r.Split([]Cell{{Key: "a", Counts: []int64{3}}}, SplitOptions{}); !b.Withheld {
		t.Errorf("a lone small value was not withheld: %+v", b)
	}
	// An ineligible value (an unscrubbed path) folds however large.
	b = r.Split([]Cell{{Key: "a", Counts: []int64{50}}, {Key: "x", Counts: []int64{40}}}, SplitOptions{Eligible: func(i int) bool { return i == 0 }})
	if !slices.Equal(b.Shown, []bool{true, false}) || b.Other[0] != 40 {
		t.Errorf("ineligible: shown %v, other %v", b.Shown, b.Other)
	}
}

// TestPartsResidual: the days not shown must not add up to a small
// number, or the week's total minus the shown days would reveal it.
func TestPartsResidual(t *testing.T) {
	r := Rules{K: 10, RoundTo: 1}
	days := [][]int64{{20}, {25}, {3}, {40}, {0}, {12}, {30}}
	shown := r.Parts([]int64{130}, days)
	if want := []bool{true, true, false, true, true, false, true}; !slices.Equal(shown, want) {
		t.Errorf("shown %v, want %v", shown, want)
	}
	if res := Residual(days, shown, 1); res[0] != 15 {
		t.Errorf("residual %v", res)
	}
	if r.Parts([]int64{7}, [][]int64{{7}}) != nil {
		t.Error("a small week was not withheld")
	}
}

// TestKeyThreshold: a value seen by one visitor-day passes the
// threshold with probability at most δ, computed exactly for one draw.
func TestKeyThreshold(t *testing.T) {
	scale := big.NewRat(8, 1)
	th := KeyThreshold(scale, 1, 1e-6, 10)
	q := math.Exp(-1.0 / 8)
	pass := math.Pow(q, float64(th-1)) / (1 + q) // P(1 + Z ≥ th)
	if th < 10 || pass > 1e-6 {
		t.Errorf("threshold %d lets a single visitor-day through with probability %g", th, pass)
	}
	if more := KeyThreshold(scale, 4, 1e-6, 10); more < th {
		t.Errorf("four draws: threshold %d below one draw's %d", more, th)
	}
	if low := KeyThreshold(big.NewRat(1, 100), 1, 1e-6, 10); low != 10 {
		t.Errorf("tiny noise: threshold %d, want k", low)
	}
}
