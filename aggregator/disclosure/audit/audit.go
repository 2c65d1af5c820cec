// Package audit decides, with exact rational arithmetic, whether a linear
// combination of unknown counts is determined by a set of published sums:
// whether it lies in their row space. It is the independent check of
// aggregator/disclosure's suppression: the tests express every number the
// public outputs contain as a sum of atomic cells (one value on one day)
// and ask whether any suppressed cell, or any small sum of one value's
// cells, can be recovered by adding and subtracting published numbers.
//
// Exactness matters: floating-point elimination can both miss a
// dependency and invent one.
package audit

import (
	"math/big"
	"slices"
)

// Vec is a sparse integer vector over the unknowns, by index.
type Vec map[int]int64

// Span is the row space of the published sums, kept in reduced row
// echelon form: each row has a pivot unknown with coefficient 1 that no
// other row contains.
type Span struct {
	rows    map[int]ratVec // by pivot
	holders map[int]map[int]bool
}

type ratVec map[int]*big.Rat

// New returns an empty span.
func New() *Span {
	return &Span{rows: map[int]ratVec{}, holders: map[int]map[int]bool{}}
}

// Rank returns the number of independent sums added.
func (s *Span) Rank() int { return len(s.rows) }

// Add adds a published sum (or a known identity, with value unknown but
// fixed: its coefficients are what matter).
func (s *Span) Add(v Vec) {
	r := s.reduce(v)
	if len(r) == 0 {
		return
	}
	keys := make([]int, 0, len(r))
	for c := range r {
		keys = append(keys, c)
	}
	pivot := slices.Min(keys)
	inv := new(big.Rat).Inv(r[pivot])
	for _, x := range r {
		x.Mul(x, inv)
	}
	// Keep the form reduced: remove the new pivot from the other rows.
	for p := range s.holders[pivot] {
		row := s.rows[p]
		f := new(big.Rat).Set(row[pivot])
		s.axpy(p, row, f, r)
	}
	s.rows[pivot] = r
	for c := range r {
		s.hold(c, pivot)
	}
}

// Contains reports whether v is determined by the sums added.
func (s *Span) Contains(v Vec) bool { return len(s.reduce(v)) == 0 }

// reduce returns v minus its projection on the pivots.
func (s *Span) reduce(v Vec) ratVec {
	r := ratVec{}
	for c, x := range v {
		if x != 0 {
			r[c] = new(big.Rat).SetInt64(x)
		}
	}
	var pivots []int
	for c := range r {
		if _, ok := s.rows[c]; ok {
			pivots = append(pivots, c)
		}
	}
	for _, p := range pivots {
		f := new(big.Rat).Set(r[p])
		subScaled(r, f, s.rows[p])
	}
	return r
}

// axpy sets row p (holding pivot p) to row − f·r and updates the index.
func (s *Span) axpy(p int, row ratVec, f *big.Rat, r ratVec) {
	for c, x := range r {
		t := new(big.Rat).Mul(f, x)
		if y, ok := row[c]; ok {
			y.Sub(y, t)
			if y.Sign() == 0 {
				delete(row, c)
				delete(s.holders[c], p)
			}
			continue
		}
		row[c] = t.Neg(t)
		s.hold(c, p)
	}
}

func (s *Span) hold(c, p int) {
	h := s.holders[c]
	if h == nil {
		h = map[int]bool{}
		s.holders[c] = h
	}
	h[p] = true
}

// subScaled sets r to r − f·row.
func subScaled(r ratVec, f *big.Rat, row ratVec) {
	for c, x := range row {
		t := new(big.Rat).Mul(f, x)
		if y, ok := r[c]; ok {
			y.Sub(y, t)
			if y.Sign() == 0 {
				delete(r, c)
			}
			continue
		}
		r[c] = t.Neg(t)
	}
}
