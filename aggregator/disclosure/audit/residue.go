package audit

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// Residue is what remains of a vector after subtracting its projection on
// the span: zero exactly when the vector is determined. Residues add, so
// the residue of a sum of unknowns is the sum of theirs; the tests use
// this to check every window of days at once from prefix sums.
type Residue map[int]*big.Rat

// Residue returns the residue of the single unknown col.
func (s *Span) Residue(col int) Residue {
	out := Residue{}
	row, ok := s.rows[col]
	if !ok {
		out[col] = big.NewRat(1, 1)
		return out
	}
	for c, x := range row {
		if c != col {
			out[c] = new(big.Rat).Neg(x)
		}
	}
	return out
}

// Plus returns r + o.
func (r Residue) Plus(o Residue) Residue { return r.combine(o, 1) }

// Minus returns r − o.
func (r Residue) Minus(o Residue) Residue { return r.combine(o, -1) }

func (r Residue) combine(o Residue, sign int64) Residue {
	out := make(Residue, len(r)+len(o))
	for c, x := range r {
		out[c] = new(big.Rat).Set(x)
	}
	f := big.NewRat(sign, 1)
	for c, x := range o {
		t := new(big.Rat).Mul(f, x)
		if y, ok := out[c]; ok {
			y.Add(y, t)
			if y.Sign() == 0 {
				delete(out, c)
			}
			continue
		}
		out[c] = t
	}
	return out
}

// Zero reports whether the residue is zero: the vector is determined.
func (r Residue) Zero() bool { return len(r) == 0 }

// Key is a canonical form: two residues are equal exactly when their
// keys are (their difference is then determined).
func (r Residue) Key() string {
	cols := make([]int, 0, len(r))
	for c := range r {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	var b strings.Builder
	for _, c := range cols {
		fmt.Fprintf(&b, "%d:%s;", c, r[c].RatString())
	}
	return b.String()
}
