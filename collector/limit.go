package collector

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dchest/siphash"

	"github.com/shukei-analytics/shukei/ipaddr"
)

// RateLimit is a token bucket: Rate hits per second on average, Burst at
// once. A zero Rate is no limit; a zero Burst is ten seconds' worth.
type RateLimit struct {
	Rate  float64
	Burst int
}

func (r *RateLimit) validate(what string) error {
	if r.Rate < 0 || math.IsNaN(r.Rate) || math.IsInf(r.Rate, 0) || r.Burst < 0 {
		return fmt.Errorf("collector: %s rate limit %v/s burst %d: must not be negative", what, r.Rate, r.Burst)
	}
	if r.Rate > 0 && r.Burst == 0 {
		r.Burst = int(math.Ceil(10 * r.Rate))
	}
	return nil
}

// limiter applies the per-site and per-client rate limits.
//
// Privacy (DESIGN §1.1, §1.3): a client is keyed by a SipHash of its
// truncated address under a random key made at start and held only in
// memory, never by the address. An entry whose bucket has refilled means
// the same as no entry and is dropped (by sweep every few seconds, and
// when room is needed), so the table only knows clients active in the
// last seconds, and its size is bounded: when a shard is full of active
// clients, new clients are let through uncounted (the per-site limit still
// applies) and the saturation is counted.
type limiter struct {
	ip, site RateLimit
	k0, k1   uint64
	start    time.Time
	now      func() time.Duration // since start; tests replace it

	shards    [limiterShards]limiterShard
	perShard  int
	saturated atomic.Int64

	siteMu sync.Mutex
	sites  map[string]bucket
}

const (
	limiterShards = 16
	// maxLimiterEntries bounds the clients tracked at once (about 3 MB).
	maxLimiterEntries = 1 << 16
	// evictScan bounds the entries examined to make room for a new one.
	evictScan = 64
)

type limiterShard struct {
	mu sync.Mutex
	m  map[uint64]bucket
}

// bucket is a token bucket's state: tokens at time at.
type bucket struct {
	tokens float64
	at     time.Duration
}

func newLimiter(ip, site RateLimit) *limiter {
	var k [16]byte
	_, _ = rand.Read(k[:])
	l := &limiter{ip: ip, site: site, start: time.Now(), perShard: maxLimiterEntries / limiterShards,
		k0: binary.LittleEndian.Uint64(k[:8]), k1: binary.LittleEndian.Uint64(k[8:]), sites: map[string]bucket{}}
	l.now = func() time.Duration { return time.Since(l.start) }
	for i := range l.shards {
		l.shards[i].m = make(map[uint64]bucket)
	}
	return l
}

// Allow takes a token for a hit of the client on the site. When either
// bucket is empty it returns false and how long until a token is back.
func (l *limiter) Allow(site string, ip ipaddr.Truncated) (time.Duration, bool) {
	now := l.now()
	if l.ip.Rate > 0 {
		var buf [16]byte
		key := siphash.Hash(l.k0, l.k1, ip.AppendTo(buf[:0]))
		if wait, ok := l.takeClient(key, now); !ok {
			return wait, false
		}
	}
	if l.site.Rate > 0 {
		l.siteMu.Lock()
		b, ok := l.sites[site]
		if !ok {
			b = bucket{tokens: float64(l.site.Burst), at: now}
		}
		wait, allowed := take(&b, l.site, now)
		l.sites[site] = b
		l.siteMu.Unlock()
		if !allowed {
			return wait, false
		}
	}
	return 0, true
}

func (l *limiter) takeClient(key uint64, now time.Duration) (time.Duration, bool) {
	s := &l.shards[key%limiterShards]
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[key]
	if !ok {
		if len(s.m) >= l.perShard && !l.evict(s, now) {
			l.saturated.Add(1)
			return 0, true
		}
		b = bucket{tokens: float64(l.ip.Burst), at: now}
	}
	wait, allowed := take(&b, l.ip, now)
	s.m[key] = b
	return wait, allowed
}

// evict drops entries whose buckets have refilled, looking at a bounded
// number of them; s.mu is held. It reports whether there is room.
func (l *limiter) evict(s *limiterShard, now time.Duration) bool {
	n := 0
	for k, b := range s.m {
		if refill(b, l.ip, now) >= float64(l.ip.Burst) {
			delete(s.m, k)
		}
		if n++; n >= evictScan {
			break
		}
	}
	return len(s.m) < l.perShard
}

func refill(b bucket, r RateLimit, now time.Duration) float64 {
	return min(float64(r.Burst), b.tokens+(now-b.at).Seconds()*r.Rate)
}

// take refills b to now and takes one token if there is one.
func take(b *bucket, r RateLimit, now time.Duration) (time.Duration, bool) {
	b.tokens, b.at = refill(*b, r, now), now
	if b.tokens >= 1 {
		b.tokens--
		return 0, true
	}
	return time.Duration((1 - b.tokens) / r.Rate * float64(time.Second)), false
}

// sweep drops every entry whose bucket has refilled.
func (l *limiter) sweep() {
	now := l.now()
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		for k, b := range s.m {
			if refill(b, l.ip, now) >= float64(l.ip.Burst) {
				delete(s.m, k)
			}
		}
		s.mu.Unlock()
	}
}

// tracked returns the number of clients in the table.
func (l *limiter) tracked() int {
	n := 0
	for i := range l.shards {
		l.shards[i].mu.Lock()
		n += len(l.shards[i].m)
		l.shards[i].mu.Unlock()
	}
	return n
}
