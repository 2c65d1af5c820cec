package visitor

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
)

// spent remembers the keys of visitors forgotten early (evicted to bound
// memory) so that, if they come back the same day, they are not counted
// again: a visitor-day's contribution to the published statistics must
// stay within the bounds the noise assumes (event.MaxPublicPages …),
// eviction or not.
//
// It is a Bloom filter: a false positive only withholds a count from a
// new visitor (safe for privacy), a false negative cannot happen. Keys are
// salted hashes that mean nothing once their day's salt is destroyed; two
// generations are kept and the older dropped every spentGeneration, which
// is longer than a local day plus its overlap, so a key stays remembered
// for at least the rest of its day. Memory is allocated on the first
// eviction only: a collector that never evicts pays nothing.
type spent struct {
	used    atomic.Bool // any key was ever added: has is free until then
	mu      sync.RWMutex
	bits    uint // log2 of the size of a generation in bits
	cur     []uint64
	prev    []uint64
	started time.Time // when cur began
}

// spentGeneration outlives the longest local day (25 h on a daylight-saving
// change) plus the longest session timeout overlap allowed (Config).
const spentGeneration = 50 * time.Hour

// spentHashes is how many bits one key sets.
const spentHashes = 3

// newSpent sizes a generation for maxVisitors evictions at about 8 bits
// per key (a false-positive rate near 3 % at that load).
func newSpent(maxVisitors int) *spent {
	b := uint(bits.Len(uint(8*maxVisitors - 1)))
	b = max(b, 16)
	return &spent{bits: b}
}

// positions derives the filter's bit positions from a key. The key is
// already a keyed hash (SipHash under a secret salt), so its bits are
// uniform; the multiplications spread them over each probe.
func (s *spent) positions(key uint64) [spentHashes]uint64 {
	var out [spentHashes]uint64
	x := key
	for i := range out {
		x ^= x >> 31
		x *= 0x9e3779b97f4a7c15
		out[i] = x >> (64 - s.bits)
	}
	return out
}

// add remembers key.
func (s *spent) add(key uint64, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		s.cur = make([]uint64, 1<<(s.bits-6))
		if s.started.IsZero() {
			s.started = now
		}
	}
	for _, p := range s.positions(key) {
		s.cur[p>>6] |= 1 << (p & 63)
	}
	s.used.Store(true)
}

// has reports whether key may have been added during the last two
// generations.
func (s *spent) has(key uint64) bool {
	if !s.used.Load() {
		return false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	pos := s.positions(key)
	return contains(s.cur, pos) || contains(s.prev, pos)
}

func contains(f []uint64, pos [spentHashes]uint64) bool {
	if f == nil {
		return false
	}
	for _, p := range pos {
		if f[p>>6]&(1<<(p&63)) == 0 {
			return false
		}
	}
	return true
}

// rotate starts a new generation once the current one is old enough,
// dropping the one before it.
func (s *spent) rotate(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started.IsZero() || now.Sub(s.started) < spentGeneration {
		return
	}
	s.prev, s.cur = s.cur, nil
	s.started = now
	if s.prev == nil {
		s.started = time.Time{}
	}
}

// bytes is the memory the filter holds.
func (s *spent) bytes() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return 8 * (len(s.cur) + len(s.prev))
}
