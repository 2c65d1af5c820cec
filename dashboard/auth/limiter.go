package auth

import (
	"crypto/rand"
	"encoding/binary"
	"math"
	"sync"
	"time"

	"github.com/dchest/siphash"
)

// Limiter throttles failed attempts per key (an account name, a truncated
// client network): each failure fills the key's bucket by one and the
// bucket drains at Burst per Window, so Burst failures in a row lock the
// key until it drains. It is safe for concurrent use.
//
// Keys are kept only as a SipHash under a random per-process key, in memory:
// the limiter never holds an address or a name (DESIGN §1.1).
type Limiter struct {
	mu      sync.Mutex
	burst   float64
	rate    float64 // drained per second
	maxKeys int
	k0, k1  uint64
	buckets map[uint64]bucket
	now     func() time.Time
}

type bucket struct {
	level float64
	at    time.Time
}

// NewLimiter returns a limiter allowing burst failures, refilled over
// window, tracking at most maxKeys keys. now is the clock (nil: time.Now).
func NewLimiter(burst int, window time.Duration, maxKeys int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	var k [16]byte
	_, _ = rand.Read(k[:])
	return &Limiter{
		burst: float64(burst), rate: float64(burst) / window.Seconds(), maxKeys: maxKeys,
		k0: binary.LittleEndian.Uint64(k[:8]), k1: binary.LittleEndian.Uint64(k[8:]),
		buckets: map[uint64]bucket{}, now: now,
	}
}

// Wait returns how long key must wait before its next attempt; 0 allows it.
func (l *Limiter) Wait(key []byte) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[l.hash(key)]
	if !ok {
		return 0
	}
	level := l.drained(b, l.now())
	if level+1 <= l.burst {
		return 0
	}
	return time.Duration(math.Ceil((level+1-l.burst)/l.rate)) * time.Second
}

// Fail records a failed attempt for key.
func (l *Limiter) Fail(key []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.add(l.hash(key), 1, l.now())
}

// Take charges an attempt to key before it is made, and returns 0, or
// returns how long key must wait and charges nothing. Checking and
// charging at once means concurrent attempts cannot all pass the check
// before any of them fails; an attempt that succeeds gives its charge
// back with Refund.
func (l *Limiter) Take(key []byte) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now, h := l.now(), l.hash(key)
	if b, ok := l.buckets[h]; ok {
		if level := l.drained(b, now); level+1 > l.burst {
			return time.Duration(math.Ceil((level+1-l.burst)/l.rate)) * time.Second
		}
	}
	l.add(h, 1, now)
	return 0
}

// Refund gives back one charge of key (an attempt Take charged that
// succeeded).
func (l *Limiter) Refund(key []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := l.hash(key)
	if _, ok := l.buckets[h]; ok {
		l.add(h, -1, l.now())
	}
}

// Level returns key's current count of recent failures (drained over
// the window); 0 for a key that has not failed lately.
func (l *Limiter) Level(key []byte) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[l.hash(key)]
	if !ok {
		return 0
	}
	return l.drained(b, l.now())
}

// Full reports whether key is at its burst: its next attempt would wait.
func (l *Limiter) Full(key []byte) bool { return l.Wait(key) > 0 }

// ClearIn returns how long until key's failures have all drained.
func (l *Limiter) ClearIn(key []byte) time.Duration {
	return time.Duration(math.Ceil(l.Level(key)/l.rate)) * time.Second
}

func (l *Limiter) add(h uint64, n float64, now time.Time) {
	b, ok := l.buckets[h]
	if !ok && len(l.buckets) >= l.maxKeys {
		l.evict(now)
	}
	level := 0.0
	if ok {
		level = l.drained(b, now)
	}
	l.buckets[h] = bucket{level: max(0, level+n), at: now}
}

// Forget clears key (after a successful login, for the account).
func (l *Limiter) Forget(key []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, l.hash(key))
}

// Sweep drops the drained buckets; the server calls it now and then.
func (l *Limiter) Sweep() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for h, b := range l.buckets {
		if l.drained(b, now) <= 0 {
			delete(l.buckets, h)
		}
	}
}

// Len is the number of keys tracked.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

func (l *Limiter) hash(key []byte) uint64 { return siphash.Hash(l.k0, l.k1, key) }

func (l *Limiter) drained(b bucket, now time.Time) float64 {
	return max(0, b.level-now.Sub(b.at).Seconds()*l.rate)
}

// evict makes room when the table is full: drained buckets first, then the
// emptiest, so a flood of new keys cannot push out a key near its limit.
func (l *Limiter) evict(now time.Time) {
	lowest, lowKey := math.Inf(1), uint64(0)
	for h, b := range l.buckets {
		level := l.drained(b, now)
		if level <= 0 {
			delete(l.buckets, h)
			continue
		}
		if level < lowest {
			lowest, lowKey = level, h
		}
	}
	if len(l.buckets) >= l.maxKeys {
		delete(l.buckets, lowKey)
	}
}
