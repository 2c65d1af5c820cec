package useragent

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"unsafe"

	"github.com/dchest/siphash"
)

// nShards spreads lock contention: every hit reads the cache.
const nShards = 32

// cache maps a keyed hash of a User-Agent to its Result. It never holds the
// User-Agent itself (DESIGN §2): the key is SipHash-2-4 under a random
// per-process key, so the table cannot be searched for a known string
// without that key, and results hold only constant strings.
//
// Eviction is a full clear of one shard when it is full. It costs nothing
// on the hit path, needs no per-entry bookkeeping, and the working set of
// User-Agents (a few thousand per site) refills a shard within seconds.
type cache struct {
	k0, k1   uint64
	perShard int
	shards   [nShards]shard
}

type shard struct {
	mu sync.RWMutex
	m  map[uint64]Result
	_  [32]byte // pad to 64 bytes: shards on separate cache lines
}

// newCache returns a cache of about size entries, or nil (no caching)
// when size ≤ 0.
func newCache(size int) *cache {
	if size <= 0 {
		return nil
	}
	var key [16]byte
	_, _ = rand.Read(key[:]) // never fails (crypto/rand since Go 1.24)
	c := &cache{
		k0:       binary.LittleEndian.Uint64(key[:8]),
		k1:       binary.LittleEndian.Uint64(key[8:]),
		perShard: max(1, (size+nShards-1)/nShards),
	}
	for i := range c.shards {
		c.shards[i].m = make(map[uint64]Result, c.perShard)
	}
	return c
}

func (c *cache) hash(ua string) uint64 {
	// siphash only reads its input, so viewing the string's bytes
	// without a copy is safe and keeps the hit path allocation-free.
	return siphash.Hash(c.k0, c.k1, unsafe.Slice(unsafe.StringData(ua), len(ua)))
}

// get looks ua up and returns its hash for a following put.
func (c *cache) get(ua string) (uint64, Result, bool) {
	if c == nil {
		return 0, Result{}, false
	}
	h := c.hash(ua)
	s := &c.shards[h%nShards]
	s.mu.RLock()
	r, ok := s.m[h]
	s.mu.RUnlock()
	return h, r, ok
}

func (c *cache) put(h uint64, r Result) {
	if c == nil {
		return
	}
	s := &c.shards[h%nShards]
	s.mu.Lock()
	if len(s.m) >= c.perShard {
		clear(s.m)
	}
	s.m[h] = r
	s.mu.Unlock()
}

// len returns the number of cached results, for tests.
func (c *cache) len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}
