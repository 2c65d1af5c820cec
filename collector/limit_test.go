package collector

import (
	"net/netip"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/ipaddr"
)

func trunc(s string) ipaddr.Truncated { return ipaddr.Truncate(netip.MustParseAddr(s), 24, 48) }

// testLimiter returns a limiter on a clock the test moves.
func testLimiter(ip, site RateLimit) (*limiter, *time.Duration) {
	_ = ip.validate("ip")
	_ = site.validate("site")
	l := newLimiter(ip, site)
	var now time.Duration
	l.now = func() time.Duration { return now }
	return l, &now
}

func TestClientTokenBucket(t *testing.T) {
	l, now := testLimiter(RateLimit{Rate: 2, Burst: 4}, RateLimit{})
	a, sameNet, other := trunc("203.0.113.7"), trunc("203.0.113.200"), trunc("198.51.100.1")
	for i := range 4 {
		if _, ok := l.Allow("e.org", a); !ok {
			t.Fatalf("hit %d of the burst refused", i)
		}
	}
	wait, ok := l.Allow("e.org", sameNet)
	if ok {
		t.Fatal("the same /24 got a fifth hit in the burst")
	}
	if wait != 500*time.Millisecond {
		t.Errorf("retry after %v, want 500ms at 2/s", wait)
	}
	if _, ok := l.Allow("e.org", other); !ok {
		t.Error("another network was refused")
	}
	*now += 500 * time.Millisecond
	if _, ok := l.Allow("e.org", a); !ok {
		t.Error("refused after the bucket refilled one token")
	}
	if _, ok := l.Allow("e.org", a); ok {
		t.Error("a second token appeared from nowhere")
	}
	*now += time.Hour
	for i := range 4 {
		if _, ok := l.Allow("e.org", a); !ok {
			t.Fatalf("hit %d refused after an hour: the bucket must refill to its burst", i)
		}
	}
	if _, ok := l.Allow("e.org", a); ok {
		t.Error("the bucket refilled beyond its burst")
	}
}

func TestSiteLimit(t *testing.T) {
	l, now := testLimiter(RateLimit{}, RateLimit{Rate: 10, Burst: 3})
	for i := range 3 {
		if _, ok := l.Allow("a.org", trunc("203.0.113.7")); !ok {
			t.Fatalf("hit %d refused", i)
		}
	}
	if _, ok := l.Allow("a.org", trunc("198.51.100.1")); ok {
		t.Error("the site's fourth hit in its burst was allowed")
	}
	if _, ok := l.Allow("b.org", trunc("198.51.100.1")); !ok {
		t.Error("another site was limited")
	}
	*now += 100 * time.Millisecond
	if _, ok := l.Allow("a.org", trunc("198.51.100.1")); !ok {
		t.Error("refused after a token refilled")
	}
	if l.tracked() != 0 {
		t.Errorf("%d clients tracked without a client limit", l.tracked())
	}
}

func TestLimiterMemoryIsBounded(t *testing.T) {
	l, now := testLimiter(RateLimit{Rate: 1, Burst: 2}, RateLimit{})
	l.perShard = 4
	// More distinct clients than the table holds, all active.
	for i := range 200 {
		ip := netip.AddrFrom4([4]byte{10, byte(i), 0, 1})
		if _, ok := l.Allow("e.org", trunc(ip.String())); !ok {
			t.Fatalf("client %d refused on its first hit", i)
		}
	}
	if n := l.tracked(); n > 4*limiterShards {
		t.Errorf("%d clients tracked, bound %d", n, 4*limiterShards)
	}
	if l.saturated.Load() == 0 {
		t.Error("a full table let clients through without counting it")
	}
	// Idle clients are swept once their buckets refill.
	*now += 10 * time.Second
	l.sweep()
	if n := l.tracked(); n != 0 {
		t.Errorf("%d idle clients left after the sweep", n)
	}
	// With room made by eviction, new clients are tracked again.
	l.Allow("e.org", trunc("192.0.2.1"))
	if l.tracked() != 1 {
		t.Errorf("%d clients tracked, want 1", l.tracked())
	}
}

func TestRateLimitValidate(t *testing.T) {
	r := RateLimit{Rate: 2.5}
	if err := r.validate("x"); err != nil || r.Burst != 25 {
		t.Errorf("burst %d (%v), want ten seconds' worth", r.Burst, err)
	}
	for _, bad := range []RateLimit{{Rate: -1}, {Burst: -1}} {
		if err := bad.validate("x"); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "1", 10 * time.Millisecond: "1", time.Second: "1", 1500 * time.Millisecond: "2", 30 * time.Second: "30"} {
		if got := retryAfterSeconds(d); got != want {
			t.Errorf("%v: %s, want %s", d, got, want)
		}
	}
}
