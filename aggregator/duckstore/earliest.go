package duckstore

import (
	"sync"
	"sync/atomic"
	"time"
)

// The dashboard asks for a site's whole history ("all") in a burst of a
// score of queries, each of which needs the site's oldest row first
// (Earliest: two statements in a transaction). Between two writes the
// answer cannot change, so it is kept until the next write ends.

// writeLock is the store's write mutex. Every write to the rows holds it,
// and its Unlock counts the write in gen, after the write's transaction
// has committed: a value computed after reading gen = g describes the rows
// of every write counted in g or earlier.
type writeLock struct {
	mu  sync.Mutex
	gen atomic.Uint64
}

func (l *writeLock) Lock() { l.mu.Lock() }

// Unlock ends a write: values cached under the previous count are no
// longer used.
func (l *writeLock) Unlock() {
	l.gen.Add(1)
	l.mu.Unlock()
}

// oldestCache holds each site's Earliest with the write count read before
// it was computed.
type oldestCache struct {
	mu    sync.Mutex
	sites map[uint32]oldestEntry
}

type oldestEntry struct {
	gen uint64
	ts  time.Time
}

// get returns the cached Earliest of site id if it was computed with no
// write ended since (gen is the current count).
func (c *oldestCache) get(id uint32, gen uint64) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.sites[id]
	return e.ts, ok && e.gen == gen
}

// put records Earliest of site id, computed after reading count gen.
func (c *oldestCache) put(id uint32, gen uint64, ts time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sites == nil {
		c.sites = map[uint32]oldestEntry{}
	}
	c.sites[id] = oldestEntry{gen: gen, ts: ts}
}
