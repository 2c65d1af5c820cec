package disclosure

import (
	"math/big"
	"slices"
	"testing"
)

func TestPeopleBound(t *testing.T) {
	for _, c := range []struct {
		days   []int64
		perDay int64
		want   int64
	}{
		{nil, 1, 0},
		{[]int64{0, 0, 0}, 1, 0},
		// One device on 10 days: a cell of 10, one person.
		{[]int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, 1},
		{[]int64{12, 0, 3}, 1, 12},
		// 30 visitor-days over 2 days: at least 15 people.
		{[]int64{14, 16 - 0, 0}, 1, 16},
		{[]int64{9, 9, 9, 9}, 1, 9},
		{[]int64{5, 5, 5, 6}, 1, 6},
		{[]int64{7, 7}, 1, 7},
		// A sum of cells a person adds up to 3 to in a day.
		{[]int64{30, 30}, 3, 10},
		{[]int64{10, 0, 1}, 3, 4},
	} {
		if got := People(c.days, c.perDay); got != c.want {
			t.Errorf("People(%v, %d) = %d, want %d", c.days, c.perDay, got, c.want)
		}
	}
}

// TestSplitCountsPeople: a value of 10 visitor-days over ten days by one
// device is not shown at k = 10, while 10 people on one day are; a
// "(other)" of enough visitor-days but too few people takes more values;
// noisy publication ignores the bound.
func TestSplitCountsPeople(t *testing.T) {
	r := Rules{K: 10, RoundTo: 1}
	oneDevice := []int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	oneDay := []int64{10, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	many := []int64{30, 30, 30, 30, 30, 30, 30, 30, 30, 30}
	cells := []Cell{
		{Key: "busy", Counts: []int64{300}, Days: many},
		{Key: "loyal", Counts: []int64{10}, Days: oneDevice},
		{Key: "crowd", Counts: []int64{10}, Days: oneDay},
		{Key: "more", Counts: []int64{100}, Days: []int64{10, 10, 10, 10, 10, 10, 10, 10, 10, 10}},
	}
	b := r.Split(cells, SplitOptions{PerDay: 1})
	// "loyal" folds; "(other)" = 10 visitor-days of one person is too few
	// people, so the smallest shown values join it: "crowd" (10, shown
	// on one day), making 20 over ten days with a peak of 11: 11 people.
	if !slices.Equal(b.Shown, []bool{true, false, false, true}) || b.Other[0] != 20 {
		t.Errorf("shown %v, other %v", b.Shown, b.Other)
	}
	if p := People(foldedDays(cells, b.Shown), 1); p < 10 {
		t.Errorf("\"(other)\" has %d people", p)
	}
	// Without PerDay, "(other)" keeps the count rule alone.
	if b := r.Split(cells, SplitOptions{}); b.Shown[2] != true || b.Other[0] != 10 {
		t.Errorf("count rule only: shown %v, other %v", b.Shown, b.Other)
	}
	noisy := Rules{K: 10, RoundTo: 1, Epsilon: big.NewRat(1, 1)}
	if b := noisy.Split(cells[:2], SplitOptions{NoOther: true}); !b.Shown[1] {
		t.Error("noisy publication applied the people bound to exact counts")
	}
}
