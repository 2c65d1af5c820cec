package visitor

import (
	"context"
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
				delete(sh.m, k)
				t.live.Add(-1)
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

// CurrentVisitors counts the site's visitors seen within the window before
// now (Plausible's realtime visitors use 5 minutes).
func (t *Tracker) CurrentVisitors(domain string, now time.Time, window time.Duration) int {
	since := now.Add(-window).Unix()
	n := 0
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for _, st := range sh.m {
			if st.site == domain && st.lastSeen >= since {
				n++
			}
		}
		sh.mu.Unlock()
	}
	return n
}
