package disclosure

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/bits"
	"sync"
)

// Sampler draws discrete Laplace noise: P(Z = z) ∝ exp(−|z|/scale) for
// integers z. It is exact: only integer arithmetic on uniform random
// integers from crypto/rand, following Canonne, Kamath and Steinke, "The
// Discrete Gaussian for Differential Privacy" (2020), §5. Floating-point
// Laplace sampling leaks through the gaps and rounding of its outputs
// (Mironov 2012); no float is involved here.
type Sampler struct {
	mu  sync.Mutex
	src *bufio.Reader
}

// NewSampler returns a sampler reading from crypto/rand. Buffering the
// reads only changes how many bytes are fetched at once.
func NewSampler() *Sampler { return NewSamplerFrom(rand.Reader) }

// NewSamplerFrom reads random bytes from r (tests use a fixed stream to
// check determinism of the rejection steps).
func NewSamplerFrom(r io.Reader) *Sampler {
	return &Sampler{src: bufio.NewReaderSize(r, 4096)}
}

// maxScalePart bounds the numerator and denominator of a scale, so that
// every product below fits in 64 bits.
const maxScalePart = 1 << 31

// Laplace draws one value with the given scale (> 0).
func (s *Sampler) Laplace(scale *big.Rat) (int64, error) {
	if scale.Sign() <= 0 || !scale.Num().IsUint64() || !scale.Denom().IsUint64() ||
		scale.Num().Uint64() > maxScalePart || scale.Denom().Uint64() > maxScalePart {
		return 0, fmt.Errorf("disclosure: noise scale %s out of range", scale.RatString())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, d := scale.Num().Uint64(), scale.Denom().Uint64()
	for {
		// X has P(X = x) ∝ exp(−x/n) for x ≥ 0: U uniform below n,
		// accepted with probability exp(−U/n), plus n times a geometric
		// count V with P(V = v) ∝ exp(−v).
		u, err := s.uniform(n)
		if err != nil {
			return 0, err
		}
		if ok, err := s.bernoulliExp(u, n); err != nil || !ok {
			if err != nil {
				return 0, err
			}
			continue
		}
		v, err := s.geometric()
		if err != nil {
			return 0, err
		}
		// Y = ⌊X/d⌋ has P(Y = y) ∝ exp(−y·d/n) = exp(−y/scale).
		y := (u + n*v) / d
		neg, err := s.uniform(2)
		if err != nil {
			return 0, err
		}
		if neg == 1 && y == 0 {
			// −0 would count zero twice.
			continue
		}
		if neg == 1 {
			return -int64(y), nil
		}
		return int64(y), nil
	}
}

// geometric counts successes of Bernoulli(exp(−1)) before the first
// failure.
func (s *Sampler) geometric() (uint64, error) {
	var v uint64
	for {
		ok, err := s.bernoulliExp(1, 1)
		if err != nil || !ok {
			return v, err
		}
		v++
		if v > 1<<20 {
			return 0, errors.New("disclosure: geometric draw did not end")
		}
	}
}

// bernoulliExp returns true with probability exp(−a/b), a ≥ 0, b > 0.
func (s *Sampler) bernoulliExp(a, b uint64) (bool, error) {
	for a > b {
		// exp(−γ) = exp(−1)·exp(−(γ−1)).
		ok, err := s.bernoulliExpUnit(1, 1)
		if err != nil || !ok {
			return false, err
		}
		a -= b
	}
	return s.bernoulliExpUnit(a, b)
}

// bernoulliExpUnit returns true with probability exp(−a/b) for a ≤ b: the
// number K of the first failed Bernoulli(γ/k), k = 1, 2, …, is odd with
// probability exp(−γ).
func (s *Sampler) bernoulliExpUnit(a, b uint64) (bool, error) {
	for k := uint64(1); ; k++ {
		hi, den := bits.Mul64(b, k)
		if hi != 0 {
			return false, errors.New("disclosure: Bernoulli denominator overflow")
		}
		x, err := s.uniform(den)
		if err != nil {
			return false, err
		}
		if x >= a {
			return k%2 == 1, nil
		}
	}
}

// uniform returns a uniform integer in [0, n), n > 0, by rejection.
func (s *Sampler) uniform(n uint64) (uint64, error) {
	if n == 1 {
		return 0, nil
	}
	limit := -n % n // 2^64 mod n: values below it are rejected
	var buf [8]byte
	for {
		if _, err := io.ReadFull(s.src, buf[:]); err != nil {
			return 0, fmt.Errorf("disclosure: read random bytes: %w", err)
		}
		x := binary.LittleEndian.Uint64(buf[:])
		if x >= limit {
			return x % n, nil
		}
	}
}

// Scale returns the noise scale for a count whose per-visitor-day
// contribution is at most sensitivity, under a budget share of
// epsilon/shares: sensitivity × shares / epsilon.
func Scale(epsilon *big.Rat, sensitivity, shares int64) *big.Rat {
	s := new(big.Rat).SetInt64(sensitivity * shares)
	return s.Quo(s, epsilon)
}
