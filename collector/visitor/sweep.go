package visitor

import (
	"context"
	"sync"
	"time"
)

// Run sweeps expired state and salts every interval until ctx ends. now is
// the clock (tests inject one).
func (t *Tracker) Run(ctx context.Context, interval time.Duration, now func() time.Time) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			t.Sweep(now())
		}
	}
}

// Sweep forgets visitors whose day (and midnight overlap) is over, and
// destroys the salts of past days (DESIGN §1.3).
func (t *Tracker) Sweep(now time.Time) {
	unix := now.Unix()
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for k, st := range sh.m {
			if unix > st.expires {
				t.remove(sh, k, st)
			}
		}
		sh.mu.Unlock()
	}
	t.salts.sweep(now, t.cfg.SessionTimeout)
	t.spent.rotate(now)
}

// Live is the number of visitors held in memory.
func (t *Tracker) Live() int64 { return t.live.Load() }

// Evicted is the number of visitors forgotten early to bound memory.
func (t *Tracker) Evicted() int64 { return t.evicted.Load() }

// realtimeTTL is how long a realtime count may be reused: the realtime
// endpoints are public (a site's public page), so each request must not
// scan every live visitor under the shard locks that ingest needs.
const realtimeTTL = time.Second

// realtimeCache holds the active visitors of every site, counted in one
// pass over the live state at most once per realtimeTTL. Concurrent
// callers share one pass (the mutex), later ones reuse its result.
type realtimeCache struct {
	mu      sync.Mutex
	counted time.Time // monotonic: when the pass ran
	now     time.Time // the clock's time the pass counted at
	window  time.Duration
	bySite  map[string]int
}

// CurrentVisitors counts the site's visitors seen within the window before
// now (Plausible's realtime visitors use 5 minutes). The count is at most
// realtimeTTL old (or the clock moved by as much).
func (t *Tracker) CurrentVisitors(domain string, now time.Time, window time.Duration) int {
	c := &t.realtime
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := c.bySite != nil && c.window == window && time.Since(c.counted) < realtimeTTL &&
		now.Sub(c.now) < realtimeTTL && !now.Before(c.now)
	if !fresh {
		c.bySite, c.counted, c.now, c.window = t.countActive(now, window), time.Now(), now, window
	}
	return c.bySite[domain]
}

// countActive counts the visitors seen within window before now, per site,
// in one pass.
func (t *Tracker) countActive(now time.Time, window time.Duration) map[string]int {
	since := now.Add(-window).Unix()
	out := map[string]int{}
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for _, st := range sh.m {
			if st.lastSeen >= since {
				out[st.site]++
			}
		}
		sh.mu.Unlock()
	}
	return out
}
