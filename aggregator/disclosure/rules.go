// Package disclosure is Shukei's statistical disclosure control: the rules
// every public number passes before it leaves the aggregator (DESIGN §1.7).
// It decides which cells of a report are shown, folds the rest into
// "(other)", applies secondary suppression so that no suppressed count can
// be derived by subtracting published ones, samples differential-privacy
// noise exactly, and rounds. It does no I/O; aggregator/opendata feeds it
// the cells of each publication period and persists its decisions.
//
// docs/publishing.md states the guarantees and the reasoning behind them.
package disclosure

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/site"
)

// DefaultK is the minimum cell size when a site sets none.
const DefaultK = 10

// Bounds of the settings. A k of 1 would publish single visitors; more
// than six decimals of ε would only make the sampler's integers large.
const (
	MinK          = 2
	MaxK          = 1000
	MinEpsilon    = 0.001
	MaxEpsilon    = 100
	epsilonDigits = 6
)

// Rules are the disclosure rules of one site, as they stand when a period
// is published.
type Rules struct {
	// K is the minimum cell size: a count between 1 and K-1 is never
	// published, nor derivable from published counts.
	K int64
	// RoundTo rounds published counts to a multiple (1: no rounding).
	RoundTo int64
	// Epsilon is the per-visitor-day privacy budget of the noise; nil
	// publishes exact counts.
	Epsilon *big.Rat
}

// RulesFor validates a site's publishing settings and returns its rules.
func RulesFor(p site.Publishing) (Rules, error) {
	r := Rules{K: DefaultK, RoundTo: 1}
	if p.MinCellSize != 0 {
		if p.MinCellSize < MinK || p.MinCellSize > MaxK {
			return r, fmt.Errorf("minimum cell size %d: must be between %d and %d", p.MinCellSize, MinK, MaxK)
		}
		r.K = int64(p.MinCellSize)
	}
	switch p.RoundTo {
	case 0, 1:
	case 5, 10:
		r.RoundTo = int64(p.RoundTo)
	default:
		return r, fmt.Errorf("rounding %d: must be 5, 10 or none", p.RoundTo)
	}
	if p.Epsilon != 0 {
		eps, err := ParseEpsilon(strconv.FormatFloat(p.Epsilon, 'f', -1, 64))
		if err != nil {
			return r, err
		}
		r.Epsilon = eps
	}
	return r, nil
}

// ParseEpsilon reads ε as a decimal ("1", "0.5") into an exact rational, so
// that the noise is calibrated to the value written, not to its nearest
// binary fraction.
func ParseEpsilon(s string) (*big.Rat, error) {
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > epsilonDigits {
		return nil, fmt.Errorf("epsilon %s: at most %d decimals", s, epsilonDigits)
	}
	eps, ok := new(big.Rat).SetString(s)
	if !ok || strings.ContainsAny(s, "eE/") {
		return nil, fmt.Errorf("epsilon %q: not a decimal number", s)
	}
	lo, hi := new(big.Rat).SetFloat64(MinEpsilon), new(big.Rat).SetInt64(MaxEpsilon)
	if eps.Cmp(lo) < 0 || eps.Cmp(hi) > 0 {
		return nil, fmt.Errorf("epsilon %s: must be between %g and %d", s, MinEpsilon, MaxEpsilon)
	}
	return eps, nil
}

// Noisy reports whether the rules add differential-privacy noise.
func (r Rules) Noisy() bool { return r.Epsilon != nil }

// EpsilonString is ε as a decimal, or "" without noise.
func (r Rules) EpsilonString() string {
	if r.Epsilon == nil {
		return ""
	}
	return strings.TrimRight(strings.TrimRight(r.Epsilon.FloatString(epsilonDigits), "0"), ".")
}

// Equal reports whether two rule sets are the same.
func (r Rules) Equal(o Rules) bool {
	if r.K != o.K || r.RoundTo != o.RoundTo || r.Noisy() != o.Noisy() {
		return false
	}
	return !r.Noisy() || r.Epsilon.Cmp(o.Epsilon) == 0
}

// Small reports whether a count may not be published on its own. Exact
// counts from 1 to K-1 are small; zero is not (an absent value reveals
// nothing about a person). Noisy counts below K are small whatever their
// sign, so that no noisy number below K is shown.
func (r Rules) Small(v int64) bool {
	if r.Noisy() {
		return v < r.K
	}
	return v > 0 && v < r.K
}

// AnySmall reports whether any count of a cell is small.
func (r Rules) AnySmall(counts []int64) bool {
	for _, v := range counts {
		if r.Small(v) {
			return true
		}
	}
	return false
}

// Round rounds a published count to the nearest multiple of RoundTo,
// halves upwards. Rounding is applied last, to numbers already cleared
// for publication.
func (r Rules) Round(v int64) int64 {
	if r.RoundTo <= 1 {
		return v
	}
	q := r.RoundTo
	if v < 0 {
		return -r.Round(-v)
	}
	return (v + q/2) / q * q
}
