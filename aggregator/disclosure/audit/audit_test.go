package audit

import "testing"

// A 2×2 table with row and column totals published: no cell is
// determined, but publishing one cell determines all four.
func TestTwoByTwo(t *testing.T) {
	s := New()
	cell := func(r, c int) int { return r*2 + c }
	for r := range 2 {
		s.Add(Vec{cell(r, 0): 1, cell(r, 1): 1})
	}
	for c := range 2 {
		s.Add(Vec{cell(0, c): 1, cell(1, c): 1})
	}
	if s.Rank() != 3 {
		t.Fatalf("rank %d, want 3", s.Rank())
	}
	for i := range 4 {
		if s.Contains(Vec{i: 1}) {
			t.Errorf("cell %d determined by margins alone", i)
		}
	}
	if !s.Contains(Vec{cell(0, 0): 1, cell(0, 1): 1, cell(1, 0): 1, cell(1, 1): 1}) {
		t.Error("grand total not determined")
	}
	s.Add(Vec{cell(0, 0): 1})
	for i := range 4 {
		if !s.Contains(Vec{i: 1}) {
			t.Errorf("cell %d not determined once one cell is published", i)
		}
	}
}

// The 7-day and 30-day windows of one value determine the 23-day rest.
func TestWindowDifference(t *testing.T) {
	s := New()
	month, week := Vec{}, Vec{}
	for d := range 30 {
		month[d] = 1
		if d >= 23 {
			week[d] = 1
		}
	}
	s.Add(month)
	s.Add(week)
	rest := Vec{}
	for d := range 23 {
		rest[d] = 1
	}
	if !s.Contains(rest) {
		t.Error("the 23-day difference is not determined")
	}
	if s.Contains(Vec{0: 1}) {
		t.Error("a single day is determined")
	}
	// Residues agree: the prefix residues at day 0 and day 23 differ by
	// a determined amount.
	pre := Residue{}
	keys := map[int]string{0: pre.Key()}
	for d := range 30 {
		pre = pre.Plus(s.Residue(d))
		keys[d+1] = pre.Key()
	}
	if keys[0] != keys[23] || keys[23] != keys[30] {
		t.Error("prefix residues do not show the determined windows")
	}
	if keys[0] == keys[1] {
		t.Error("prefix residues call a single day determined")
	}
}

// Rational pivots: 2a + b and a + 2b determine a and b.
func TestRationalPivots(t *testing.T) {
	s := New()
	s.Add(Vec{0: 2, 1: 1})
	s.Add(Vec{0: 1, 1: 2})
	if !s.Contains(Vec{0: 1}) || !s.Contains(Vec{1: 1}) {
		t.Error("a and b not determined")
	}
	if !s.Residue(0).Zero() {
		t.Error("residue of a determined unknown is not zero")
	}
}
