package disclosure

import (
	"math"
	"math/big"
)

// KeyThreshold returns the smallest noisy count at which a value whose
// presence is not public (a page, a source, a country) may be shown: at
// least k, and high enough that a value seen by a single visitor-day (true
// count 1, plus the sum of terms independent noise draws of the given
// scale) passes with probability at most delta. That probability is the δ
// of (ε, δ)-differential privacy for releasing the value's name at all
// ("partition selection"). Thresholds are public parameters, so floating
// point is fine here: the bound is computed conservatively (a Chernoff
// bound for sums, the exact tail for one draw).
func KeyThreshold(scale *big.Rat, terms int, delta float64, k int64) int64 {
	s, _ := scale.Float64()
	q := math.Exp(-1 / s)
	tail := func(t int64) float64 { return sumTail(q, terms, float64(t)) }
	lo, hi := int64(0), int64(1)
	for tail(hi) > delta {
		lo, hi = hi, hi*2
		if hi > 1<<40 {
			return math.MaxInt64
		}
	}
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if tail(mid) > delta {
			lo = mid
		} else {
			hi = mid
		}
	}
	return max(k, hi+1)
}

// sumTail bounds P(Z₁+…+Zₙ ≥ t) for discrete Laplace draws with
// q = exp(−1/scale).
func sumTail(q float64, n int, t float64) float64 {
	if t <= 0 {
		return 1
	}
	if n == 1 {
		// P(Z ≥ t) = q^t / (1 + q) for integer t ≥ 1.
		return math.Pow(q, t) / (1 + q)
	}
	// Chernoff: P(S ≥ t) ≤ M(λ)ⁿ·e^{−λt}, M the moment generating
	// function (1−q)² / ((1 − q·e^λ)(1 − q·e^{−λ})), 0 < λ < −ln q.
	logBound := func(l float64) float64 {
		m := 2*math.Log1p(-q) - math.Log1p(-q*math.Exp(l)) - math.Log1p(-q*math.Exp(-l))
		return float64(n)*m - l*t
	}
	hi := -math.Log(q)
	a, b := 0.0, hi
	for range 200 {
		m1, m2 := a+(b-a)/3, b-(b-a)/3
		if logBound(m1) < logBound(m2) {
			b = m2
		} else {
			a = m1
		}
	}
	return math.Min(1, math.Exp(logBound((a+b)/2)))
}
