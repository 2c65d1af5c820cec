package disclosure

import (
	"math/big"
	"testing"
)

// FuzzParseDay: a date is accepted only in the one layout and range, and
// formats back to itself.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2026-03-02", "2000-01-01", "2200-12-31", "1999-12-31", "2026-02-30", "2026-3-2", "../etc", "", "2026-03-02\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDay(s)
		if err != nil {
			return
		}
		if d.String() != s || d < minDay || d > maxDay {
			t.Errorf("ParseDay(%q) = %s", s, d)
		}
	})
}

// FuzzParseEpsilon: an accepted ε is a decimal within the bounds that
// prints back to the same value.
func FuzzParseEpsilon(f *testing.F) {
	for _, s := range []string{"1", "0.5", "0.001", "100", "0", "-1", "1e3", "1/2", "NaN", "Inf", "0.0000001", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		eps, err := ParseEpsilon(s)
		if err != nil {
			return
		}
		if eps.Cmp(big.NewRat(1, 1000)) < 0 || eps.Cmp(big.NewRat(100, 1)) > 0 {
			t.Errorf("ParseEpsilon(%q) = %s out of bounds", s, eps.RatString())
		}
		back, err := ParseEpsilon(Rules{Epsilon: eps}.EpsilonString())
		if err != nil || back.Cmp(eps) != 0 {
			t.Errorf("ε %q does not survive printing: %v", s, err)
		}
	})
}
