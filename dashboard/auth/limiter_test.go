package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestLimiterLocksAfterBurstAndDrains(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(5, 15*time.Minute, 100, c.now)
	key := []byte("acct:tanaka")
	for i := range 5 {
		if w := l.Wait(key); w != 0 {
			t.Fatalf("attempt %d refused (%v)", i+1, w)
		}
		l.Fail(key)
	}
	w := l.Wait(key)
	if w <= 0 || w > 3*time.Minute+time.Second {
		t.Fatalf("after 5 failures wait %v, want about 3m (one slot drains in 15m/5)", w)
	}
	if other := l.Wait([]byte("acct:suzuki")); other != 0 {
		t.Errorf("another key is throttled: %v", other)
	}
	c.t = c.t.Add(w)
	if w := l.Wait(key); w != 0 {
		t.Errorf("after waiting still refused: %v", w)
	}
	l.Forget(key)
	if l.Len() != 0 {
		t.Errorf("Forget left %d keys", l.Len())
	}
}

func TestLimiterBoundedUnderFlood(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(5, 15*time.Minute, 50, c.now)
	victim := []byte("acct:victim")
	for range 5 {
		l.Fail(victim)
	}
	for i := range 1000 {
		l.Fail(fmt.Appendf(nil, "acct:random-%d", i))
	}
	if l.Len() > 50 {
		t.Errorf("%d keys tracked, bound is 50", l.Len())
	}
	if l.Wait(victim) == 0 {
		t.Error("a flood of new keys evicted a locked key")
	}
	c.t = c.t.Add(time.Hour)
	l.Sweep()
	if l.Len() != 0 {
		t.Errorf("sweep left %d drained keys", l.Len())
	}
}

// Take checks and charges at once: of many concurrent attempts, exactly
// the burst pass; Refund gives a charge back.
func TestLimiterTakeIsAtomic(t *testing.T) {
	c := &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(5, 15*time.Minute, 100, c.now)
	key := []byte("net:203.0.113")
	passed := make(chan bool, 200)
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() { passed <- l.Take(key) == 0 })
	}
	wg.Wait()
	close(passed)
	n := 0
	for ok := range passed {
		if ok {
			n++
		}
	}
	if n != 5 {
		t.Fatalf("%d of 200 concurrent attempts passed, want the burst of 5", n)
	}
	l.Refund(key)
	if l.Take(key) != 0 || l.Take(key) == 0 {
		t.Error("a refund gives back exactly one attempt")
	}
	if l.Level(key) != 5 || l.ClearIn(key) != 15*time.Minute {
		t.Errorf("level %v, clear in %v", l.Level(key), l.ClearIn(key))
	}
}
