package disclosure

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/big"
	"math/rand/v2"
)

// Noise draws the noise of a published count as a deterministic function
// of a secret key and the count's identity (its site, period, report,
// value and scale): HMAC-SHA256 under the key is a pseudo-random function
// of the identity, and its output seeds a ChaCha8 stream that the exact
// sampler reads its random bytes from. So every copy of the data directory
// (which holds the key) publishes the same numbers, while without the key
// the noise is as unpredictable as fresh randomness; and no identity is
// drawn for twice with different results, so repeated publication cannot
// average it away.
type Noise struct {
	key []byte
}

// NoiseKeyBytes is the size of a noise key.
const NoiseKeyBytes = 32

// NewNoise returns the noise of a key of NoiseKeyBytes random bytes.
func NewNoise(key []byte) (*Noise, error) {
	if len(key) != NoiseKeyBytes {
		return nil, errors.New("disclosure: a noise key is 32 bytes")
	}
	return &Noise{key: append([]byte(nil), key...)}, nil
}

// Laplace draws the discrete Laplace noise of scale for the cell named by
// the parts of its identity; the same key, scale and identity always give
// the same value.
func (n *Noise) Laplace(scale *big.Rat, cell ...string) (int64, error) {
	mac := hmac.New(sha256.New, n.key)
	// Every part is length-prefixed, so distinct identities never encode
	// alike ("a","bc" against "ab","c").
	var lenBuf [binary.MaxVarintLen64]byte
	write := func(s string) {
		mac.Write(lenBuf[:binary.PutUvarint(lenBuf[:], uint64(len(s)))])
		mac.Write([]byte(s))
	}
	write("shukei noise v1")
	write(scale.RatString())
	for _, p := range cell {
		write(p)
	}
	var seed [32]byte
	copy(seed[:], mac.Sum(nil))
	return NewSamplerFrom(rand.NewChaCha8(seed)).Laplace(scale)
}
