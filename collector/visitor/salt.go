package visitor

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"
)

// saltDay identifies one calendar day in one time zone. Sites in the same
// zone share the day's salt; the site's domain is part of the hashed key.
type saltDay struct {
	zone string
	day  int32 // days since 1970-01-01 in that zone
}

// salt is a 128-bit SipHash key.
type salt struct{ k0, k1 uint64 }

// salts holds the random daily salts (DESIGN §1.3). They live only in this
// map: never logged, never written to disk, and deleted by sweep once no
// session can still continue from their day.
type salts struct {
	mu    sync.RWMutex
	byDay map[saltDay]salt
}

func newSalts() *salts { return &salts{byDay: make(map[saltDay]salt)} }

// get returns the day's salt, creating it on first use.
func (s *salts) get(d saltDay) salt {
	s.mu.RLock()
	k, ok := s.byDay[d]
	s.mu.RUnlock()
	if ok {
		return k
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.byDay[d]; ok {
		return k
	}
	var b [16]byte
	// crypto/rand never fails on supported platforms (Go ≥ 1.24 panics
	// rather than returning weak bytes).
	_, _ = rand.Read(b[:])
	k = salt{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}
	s.byDay[d] = k
	return k
}

// lookup returns the day's salt only if it exists.
func (s *salts) lookup(d saltDay) (salt, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.byDay[d]
	return k, ok
}

// sweep destroys every salt whose day ended more than overlap ago: after
// that no session can continue from it, so nothing may link to it.
func (s *salts) sweep(now time.Time, overlap time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for d := range s.byDay {
		loc, err := time.LoadLocation(d.zone)
		if err != nil {
			loc = time.UTC
		}
		if now.After(dayEnd(d.day, loc).Add(overlap)) {
			delete(s.byDay, d)
		}
	}
}

// len reports how many salts are alive (for tests).
func (s *salts) len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byDay)
}

// dayNumber is the local calendar day of t, as days since 1970-01-01.
func dayNumber(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dayEnd is the instant the local day ends (the next local midnight).
func dayEnd(day int32, loc *time.Location) time.Time {
	y, m, d := time.Unix(int64(day)*86400, 0).UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}
