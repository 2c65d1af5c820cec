package disclosure

import (
	"fmt"
	"math/big"
	"testing"
)

func testKey(b byte) []byte {
	k := make([]byte, NoiseKeyBytes)
	for i := range k {
		k[i] = b + byte(i)
	}
	return k
}

// TestKeyedNoiseDistribution checks that the keyed noise, one draw per
// cell identity, has the discrete Laplace distribution: the same moments
// and Kolmogorov–Smirnov checks as the sampler from crypto/rand.
func TestKeyedNoiseDistribution(t *testing.T) {
	const n = 100_000
	noise, err := NewNoise(testKey(7))
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range []*big.Rat{big.NewRat(2, 1), big.NewRat(8, 3), big.NewRat(80, 1)} {
		t.Run(sc.RatString(), func(t *testing.T) {
			t.Parallel()
			draws := make([]int64, n)
			for i := range draws {
				v, err := noise.Laplace(sc, "site.example", "week-2026-03-02", "pages", fmt.Sprintf("/page/%d", i))
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

// TestKeyedNoiseIsDeterministic: the same key, scale and cell give the same
// value; another key, scale or cell (however its parts are split) gives an
// independent one.
func TestKeyedNoiseIsDeterministic(t *testing.T) {
	a, _ := NewNoise(testKey(1))
	a2, _ := NewNoise(testKey(1))
	b, _ := NewNoise(testKey(2))
	sc := big.NewRat(80, 1)
	draw := func(n *Noise, sc *big.Rat, cell ...string) int64 {
		v, err := n.Laplace(sc, cell...)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	same, otherKey, otherCell, split, otherScale := 0, 0, 0, 0, 0
	const trials = 200
	for i := range trials {
		cell := []string{"s.example", "week", fmt.Sprint(i)}
		v := draw(a, sc, cell...)
		if draw(a2, sc, cell...) == v {
			same++
		}
		if draw(b, sc, cell...) == v {
			otherKey++
		}
		if draw(a, sc, "s.example", "week", fmt.Sprint(i+trials)) == v {
			otherCell++
		}
		if draw(a, sc, "s.example", "wee", "k"+fmt.Sprint(i)) == v {
			split++
		}
		if draw(a, big.NewRat(81, 1), cell...) == v {
			otherScale++
		}
	}
	if same != trials {
		t.Errorf("the same key and cell agreed %d times of %d", same, trials)
	}
	// At scale 80 two independent draws agree with probability about
	// 1/160: a handful of coincidences at most.
	for name, n := range map[string]int{"another key": otherKey, "another cell": otherCell, "a split cell": split, "another scale": otherScale} {
		if n > 10 {
			t.Errorf("%s agreed %d times of %d: not independent", name, n, trials)
		}
	}
	if _, err := NewNoise(make([]byte, 16)); err == nil {
		t.Error("a 16-byte key was accepted")
	}
}
