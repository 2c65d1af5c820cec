package disclosure

import (
	"bytes"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// laplacePMF returns P(Z = z) of the discrete Laplace distribution with
// the given scale, for |z| ≤ max (the rest of the mass is below 1e-30
// for the scales tested), computed independently of the sampler.
func laplacePMF(scale float64, max int) func(z int) float64 {
	q := math.Exp(-1 / scale)
	norm := (1 - q) / (1 + q)
	return func(z int) float64 {
		if z < -max || z > max {
			return 0
		}
		return norm * math.Pow(q, math.Abs(float64(z)))
	}
}

// z is the two-sided normal quantile of the checks: 4.417 puts the chance
// of a correct sampler failing one check at 1e-5.
const z = 4.417

// ksCritical is the Kolmogorov–Smirnov critical value of √n·D at
// p = 1e-6: the λ with 2·exp(−2λ²) = 1e-6 (the further terms of the
// series are below 1e-24). For a discrete distribution the test is
// conservative: a correct sampler fails it with probability below 1e-6.
var ksCritical = math.Sqrt(math.Log(2/1e-6) / 2)

// TestLaplaceDistribution draws 100,000 values at each of several scales
// (an integer one, the fractional one of ε = 3/8, and a large one) from
// crypto/rand and checks the sample mean and variance against the exact
// moments within z = 4.417 standard errors, and the whole distribution
// with a Kolmogorov–Smirnov test at p = 1e-6.
func TestLaplaceDistribution(t *testing.T) {
	const n = 100_000
	for _, sc := range []*big.Rat{big.NewRat(2, 1), big.NewRat(8, 3), big.NewRat(80, 1)} {
		t.Run(sc.RatString(), func(t *testing.T) {
			t.Parallel()
			s := NewSampler()
			draws := make([]int64, n)
			for i := range draws {
				v, err := s.Laplace(sc)
				if err != nil {
					t.Fatal(err)
				}
				draws[i] = v
			}
			scale, _ := sc.Float64()
			checkMoments(t, draws, laplacePMF(scale, 200*int(scale)+50), 200*int(scale)+50)
			checkKS(t, draws, laplacePMF(scale, 200*int(scale)+50), 200*int(scale)+50)
		})
	}
}

// checkMoments compares the sample mean and variance with the exact
// ones. The standard error of the sample variance is √((μ₄ − σ⁴)/n).
func checkMoments(t *testing.T, draws []int64, pmf func(int) float64, max int) {
	t.Helper()
	var mu, m2, m4 float64
	for v := -max; v <= max; v++ {
		p := pmf(v)
		mu += p * float64(v)
		m2 += p * float64(v) * float64(v)
		m4 += p * math.Pow(float64(v), 4)
	}
	variance := m2 - mu*mu
	n := float64(len(draws))
	var sum, sq float64
	for _, d := range draws {
		sum += float64(d)
	}
	mean := sum / n
	for _, d := range draws {
		sq += (float64(d) - mean) * (float64(d) - mean)
	}
	sv := sq / (n - 1)
	if se := math.Sqrt(variance / n); math.Abs(mean-mu) > z*se {
		t.Errorf("mean %.4f, want %.4f ± %.4f", mean, mu, z*se)
	}
	if se := math.Sqrt((m4 - variance*variance) / n); math.Abs(sv-variance) > z*se {
		t.Errorf("variance %.4f, want %.4f ± %.4f", sv, variance, z*se)
	}
	t.Logf("mean %.4f (exact %.1f), variance %.3f (exact %.3f)", mean, mu, sv, variance)
}

// checkKS runs the one-sample Kolmogorov–Smirnov test against the exact
// cumulative distribution, evaluated at every integer.
func checkKS(t *testing.T, draws []int64, pmf func(int) float64, max int) {
	t.Helper()
	sorted := slices.Clone(draws)
	slices.Sort(sorted)
	n := float64(len(sorted))
	var cdf, d float64
	i := 0
	for v := -max; v <= max; v++ {
		cdf += pmf(v)
		for i < len(sorted) && sorted[i] <= int64(v) {
			i++
		}
		d = math.Max(d, math.Abs(float64(i)/n-cdf))
	}
	if i != len(sorted) {
		t.Fatalf("%d draws beyond ±%d", len(sorted)-i, max)
	}
	if stat := math.Sqrt(n) * d; stat > ksCritical {
		t.Errorf("Kolmogorov–Smirnov √n·D = %.3f > %.3f (p < 1e-6)", stat, ksCritical)
	} else {
		t.Logf("Kolmogorov–Smirnov √n·D = %.3f (critical %.3f)", stat, ksCritical)
	}
}

// TestLaplaceIsAFunctionOfTheRandomBytes: the same bytes give the same
// draws, so a draw depends on nothing but crypto/rand's output (no
// floating point, no clock).
func TestLaplaceIsAFunctionOfTheRandomBytes(t *testing.T) {
	draw := func() []int64 {
		s := NewSamplerFrom(rand.NewChaCha8([32]byte{1}))
		out := make([]int64, 1000)
		for i := range out {
			out[i], _ = s.Laplace(big.NewRat(7, 2))
		}
		return out
	}
	if a, b := draw(), draw(); !slices.Equal(a, b) {
		t.Error("the same random bytes gave different draws")
	}
}

func TestLaplaceRefusesBadScales(t *testing.T) {
	s := NewSampler()
	for _, sc := range []*big.Rat{big.NewRat(0, 1), big.NewRat(-1, 1), new(big.Rat).SetInt64(1 << 40), big.NewRat(1, 1<<40)} {
		if _, err := s.Laplace(sc); err == nil {
			t.Errorf("scale %s accepted", sc.RatString())
		}
	}
	if _, err := NewSamplerFrom(bytes.NewReader(nil)).Laplace(big.NewRat(1, 1)); err == nil {
		t.Error("an exhausted random source did not fail the draw")
	}
}

func TestScale(t *testing.T) {
	eps, _ := ParseEpsilon("0.5")
	if got := Scale(eps, 10, 8); got.Cmp(big.NewRat(160, 1)) != 0 {
		t.Errorf("scale %s, want 160", got.RatString())
	}
}
