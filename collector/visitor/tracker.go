// Package visitor keeps the in-memory visitor and session state of the
// collector and turns each accepted hit into identifier-free rows with
// signed-delta counters (DESIGN §3).
//
// Privacy (DESIGN §1.3): a visitor is found by SipHash(daily salt, site,
// truncated IP, User-Agent). The salt is random per local day of the site's
// time zone, kept only in memory, and destroyed once the day and its
// midnight overlap are over. The hash exists only as a map key here; rows
// never carry it.
package visitor

import (
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dchest/siphash"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
)

// Config bounds the tracker.
type Config struct {
	// SessionTimeout ends a session after this much inactivity (default 30m).
	// It is also the midnight overlap during which yesterday's salt is kept.
	SessionTimeout time.Duration
	// MaxVisitors bounds the live state (default 1,000,000). Beyond it the
	// longest-idle visitors are forgotten, which at worst re-counts them.
	MaxVisitors int
	// MaxBytes bounds the live state's memory as the tracker accounts it
	// (memory.go; default 128 MiB, sized for a server with 1 GiB of
	// memory): beyond it the longest-idle visitors are forgotten too. A
	// flood of visitors with long paths and campaign values then costs
	// this much, not MaxVisitors times the largest state.
	MaxBytes int64
	// MaxSeen bounds the distinct pages, events and sources remembered per
	// visitor and day (default 256).
	MaxSeen int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{SessionTimeout: 30 * time.Minute, MaxVisitors: 1_000_000, MaxBytes: DefaultMaxBytes, MaxSeen: 256}
}

// EnsureDefaults fills the fields left zero.
func (c *Config) EnsureDefaults() {
	d := DefaultConfig()
	if c.SessionTimeout == 0 {
		c.SessionTimeout = d.SessionTimeout
	}
	if c.MaxVisitors == 0 {
		c.MaxVisitors = d.MaxVisitors
	}
	if c.MaxSeen == 0 {
		c.MaxSeen = d.MaxSeen
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = d.MaxBytes
	}
}

// Validate checks ranges.
func (c *Config) Validate() error {
	switch {
	case c.SessionTimeout < time.Minute || c.SessionTimeout > 24*time.Hour:
		return fmt.Errorf("visitor: session timeout %v outside 1m..24h", c.SessionTimeout)
	case c.MaxVisitors < numShards:
		return fmt.Errorf("visitor: max visitors %d below %d", c.MaxVisitors, numShards)
	case c.MaxBytes < minMaxBytes:
		return fmt.Errorf("visitor: max memory %d bytes below %d (4 MiB)", c.MaxBytes, minMaxBytes)
	case c.MaxSeen < 1 || c.MaxSeen > 65535:
		return fmt.Errorf("visitor: max seen %d outside 1..65535", c.MaxSeen)
	}
	return nil
}

// HitKind says what a hit is.
type HitKind uint8

// The kinds of hits.
const (
	Pageview HitKind = iota + 1
	CustomEvent
	// Engagement reports engaged time on the current page (Plausible's
	// "engagement" event); it makes no row of its own.
	Engagement
)

// Hit is an accepted, scrubbed hit. Row carries this hit's dimensions (page,
// acquisition, client class, location); the tracker completes it.
type Hit struct {
	Site        *site.Site
	Time        time.Time
	Kind        HitKind
	Name        string // custom event name
	Interactive bool   // an interactive event ends a bounce
	// EngagedSeconds is the engaged time an Engagement hit reports.
	EngagedSeconds int32
	// Props are the custom properties the site keeps of this page view or
	// event, scrubbed and capped: each becomes a property row.
	Props []Prop
	Row   event.Row
}

// Prop is one kept custom property of a hit.
type Prop struct{ Key, Value string }

// ErrNoSession is returned for an engagement hit that matches no live page
// view of the visitor (it arrived after the session ended, or for a page
// the collector never saw).
var ErrNoSession = errors.New("engagement without a current page view")

const numShards = 64

// internMax bounds each intern table.
const internMax = 1 << 16

type shard struct {
	mu    sync.Mutex
	m     map[uint64]*state
	bytes int64 // Σ state.size of m
}

// Tracker holds the live state. It is safe for concurrent use.
type Tracker struct {
	cfg      Config
	salts    *salts
	seenSeed maphash.Seed
	shards   [numShards]shard
	// clients and sessions intern the per-visitor and per-visit
	// dimension sets (intern.go).
	clients  *interner[visitorDims]
	sessions *interner[sessionDims]
	// spent remembers evicted visitors, so their day is not counted twice.
	spent   *spent
	live    atomic.Int64
	evicted atomic.Int64
	// bytes is the accounted memory of the live states (memory.go).
	bytes atomic.Int64
	// realtime caches the active-visitor counts (sweep.go).
	realtime realtimeCache
}

// New returns a tracker; cfg must have been validated.
func New(cfg Config) *Tracker {
	t := &Tracker{cfg: cfg, salts: newSalts(), seenSeed: maphash.MakeSeed(),
		clients:  newInterner(internMax, cfg.MaxBytes/internShare, visitorDims.size, (*visitorDims).compact),
		sessions: newInterner(internMax, cfg.MaxBytes/internShare, sessionDims.size, (*sessionDims).compact),
		spent:    newSpent(cfg.MaxVisitors)}
	for i := range t.shards {
		t.shards[i].m = make(map[uint64]*state)
	}
	return t
}

// Track updates the visitor's state with h and appends the rows it produces
// to out: the hit's own row and, when the hit ends the previous page's view
// or its bounce, a correction row for that page.
func (t *Tracker) Track(h *Hit, ip ipaddr.Truncated, userAgent string, out []event.Row) ([]event.Row, error) {
	loc := h.Site.Location
	local := h.Time.In(loc)
	today := saltDay{zone: loc.String(), day: dayNumber(local)}
	key := t.key(t.salts.get(today), h.Site.Domain, ip, userAgent)

	sh := &t.shards[key%numShards]
	sh.mu.Lock()
	if st := sh.m[key]; st != nil {
		defer sh.mu.Unlock()
		return t.applyAccounted(sh, key, st, h, out)
	}
	sh.mu.Unlock()
	// Look under yesterday's salt without holding this shard's lock: the
	// old key may live in the same shard.
	carried := t.carryOver(h, ip, userAgent, local, today)
	if carried == nil && h.Kind == Engagement {
		return out, ErrNoSession
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if st := sh.m[key]; st != nil {
		// A concurrent hit of the same visitor got here first.
		return t.applyAccounted(sh, key, st, h, out)
	}
	st := t.newState(h, today, loc, carried)
	if t.spent.has(key) {
		// This visitor was counted today by a state forgotten early.
		st.exhaustPublic()
	}
	if len(sh.m) >= t.cfg.MaxVisitors/numShards {
		t.evictOne(sh, key, h.Time)
	}
	sh.m[key] = st
	t.live.Add(1)
	return t.applyAccounted(sh, key, st, h, out)
}

// key hashes the visitor's identity under a salt. The inputs are the
// truncated address and the UA string; neither outlives this call.
func (t *Tracker) key(s salt, domain string, ip ipaddr.Truncated, userAgent string) uint64 {
	var stack [512]byte
	b := append(stack[:0], domain...)
	b = append(b, 0)
	b = ip.AppendTo(b)
	b = append(b, 0)
	b = append(b, userAgent...)
	return siphash.Hash(s.k0, s.k1, b)
}

// carryOver looks the visitor up under yesterday's salt during the midnight
// overlap, so a session running across midnight continues (while the
// visitor is counted again for the new day). It removes the old state.
func (t *Tracker) carryOver(h *Hit, ip ipaddr.Truncated, userAgent string, local time.Time, today saltDay) *state {
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, local.Location())
	if local.Sub(midnight) >= t.cfg.SessionTimeout {
		return nil
	}
	yesterday := saltDay{zone: today.zone, day: today.day - 1}
	s, ok := t.salts.lookup(yesterday)
	if !ok {
		return nil
	}
	key := t.key(s, h.Site.Domain, ip, userAgent)
	sh := &t.shards[key%numShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	st := sh.m[key]
	if st != nil {
		t.remove(sh, key, st)
	}
	return st
}

// newState starts the visitor's day, continuing the session of the state
// carried over from yesterday, if any.
func (t *Tracker) newState(h *Hit, today saltDay, loc *time.Location, carried *state) *state {
	st := &state{
		site:    h.Site.Domain,
		expires: dayEnd(today.day, loc).Add(t.cfg.SessionTimeout).Unix(),
	}
	st.dims = t.clients.get(visitorDimsOf(&h.Row))
	if carried != nil {
		// The session goes on, with the visitor's dimensions it started
		// with; the day's uniques start afresh.
		st.session = carried.session
	}
	return st
}

// evictOne forgets the longest-idle of a few states sampled from the shard
// (map iteration starts at a random place), keeping eviction O(1). keep is
// the state being updated, never the victim.
func (t *Tracker) evictOne(sh *shard, keep uint64, now time.Time) {
	const sample = 8
	var victim *state
	var victimKey uint64
	n := 0
	for k, st := range sh.m {
		if k != keep && (victim == nil || st.lastSeen < victim.lastSeen) {
			victim, victimKey = st, k
		}
		if n++; n == sample {
			break
		}
	}
	if victim == nil {
		return
	}
	t.remove(sh, victimKey, victim)
	t.spent.add(victimKey, now)
	t.evicted.Add(1)
}
