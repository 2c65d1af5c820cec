package visitor

import (
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
)

// floodHit is the largest kind of page view the collector lets through:
// a long unique path, campaign values and referrer host.
func floodHit(i int) *Hit {
	h := visit{kind: Pageview, path: fmt.Sprintf("/%d/%s", i, strings.Repeat("p", 2000))}.hit(utc)
	u := func(c string) string { return fmt.Sprintf("%d%s", i, strings.Repeat(c, 250)) }
	h.Row.UTMSource, h.Row.UTMMedium, h.Row.UTMCampaign, h.Row.UTMContent, h.Row.UTMTerm = u("s"), u("m"), u("c"), u("o"), u("t")
	h.Row.ReferrerHost, h.Row.ReferrerSource = u("h")[:250], u("r")
	h.Time = t0.Add(time.Duration(i) * time.Millisecond)
	return h
}

func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Item 9 of the hostile-client findings: the live state is bounded in
// bytes, not only in visitors. A flood of distinct visitors with the
// largest hits stays within MaxBytes as accounted, and the heap it holds
// within a small multiple of it; ordinary visitors are then kept again.
func TestVisitorMemoryIsBoundedInBytes(t *testing.T) {
	const maxBytes = 8 << 20
	cfg := DefaultConfig()
	cfg.MaxBytes = maxBytes
	tr := New(cfg)
	before := heapAfterGC()
	const flood = 20_000
	for i := range flood {
		ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 24, 48)
		if _, err := tr.Track(floodHit(i), ip, fmt.Sprintf("ua-%d", i&255), nil); err != nil {
			t.Fatal(err)
		}
		if b := tr.Bytes(); b > maxBytes {
			t.Fatalf("after %d visitors: %d accounted bytes over the %d bound", i+1, b, maxBytes)
		}
	}
	held := int64(heapAfterGC()) - int64(before)
	if held > 2*maxBytes {
		t.Errorf("the flood holds %d bytes of heap, over twice the %d bound", held, maxBytes)
	}
	if tr.Evicted() == 0 || tr.Live() >= flood {
		t.Errorf("nothing forgotten: %d live, %d evicted", tr.Live(), tr.Evicted())
	}
	t.Logf("flood: %d live visitors, %d accounted bytes (%d each), %d heap bytes held",
		tr.Live(), tr.Bytes(), tr.Bytes()/tr.Live(), held)

	// Ordinary visitors fit many times more.
	tr2 := New(cfg)
	for i := range 10_000 {
		ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 24, 48)
		h := visit{kind: Pageview, path: "/docs/getting-started", source: "Google"}.hit(utc)
		h.Row.Path = string([]byte(h.Row.Path))
		if _, err := tr2.Track(h, ip, "ua", nil); err != nil {
			t.Fatal(err)
		}
	}
	if tr2.Evicted() != 0 {
		t.Errorf("10,000 ordinary visitors do not fit in %d bytes: %d evicted (%d accounted each)", maxBytes, tr2.Evicted(), tr2.Bytes()/tr2.Live())
	}
	t.Logf("ordinary: %d accounted bytes each", tr2.Bytes()/tr2.Live())
	// Forgetting everything returns the accounting to zero.
	tr2.Sweep(t0.Add(72 * time.Hour))
	if tr2.Bytes() != 0 || tr2.Live() != 0 {
		t.Errorf("after the sweep: %d bytes, %d live", tr2.Bytes(), tr2.Live())
	}
}

// Item 8: the realtime count is computed at most once a second, for every
// site in one pass, however often it is asked.
func TestRealtimeIsCachedForASecond(t *testing.T) {
	tr := New(DefaultConfig())
	ip := func(i int) ipaddr.Truncated {
		return ipaddr.Truncate(netip.AddrFrom4([4]byte{10, 0, byte(i), 1}), 24, 48)
	}
	track(t, tr, utc, ip(1), uaA, visit{kind: Pageview, path: "/"})
	now := t0.Add(time.Minute)
	if n := tr.CurrentVisitors(utc.Domain, now, 5*time.Minute); n != 1 {
		t.Fatalf("realtime: %d", n)
	}
	track(t, tr, utc, ip(2), uaA, visit{kind: Pageview, path: "/"})
	if n := tr.CurrentVisitors(utc.Domain, now, 5*time.Minute); n != 1 {
		t.Errorf("within the second: %d, want the cached 1", n)
	}
	if n := tr.CurrentVisitors(utc.Domain, now.Add(time.Second), 5*time.Minute); n != 2 {
		t.Errorf("a second later: %d, want 2", n)
	}
	if n := tr.CurrentVisitors("other.example", now.Add(time.Second), 5*time.Minute); n != 0 {
		t.Errorf("another site: %d", n)
	}
}

// BenchmarkCurrentVisitors asks the realtime count of one site among
// 100,000 live visitors: a map lookup once cached.
func BenchmarkCurrentVisitors(b *testing.B) {
	tr := New(DefaultConfig())
	for i := range 100_000 {
		ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 24, 48)
		h := visit{kind: Pageview, path: "/"}.hit(utc)
		_, _ = tr.Track(h, ip, "ua", nil)
	}
	now := t0.Add(time.Minute)
	b.ReportAllocs()
	for b.Loop() {
		_ = tr.CurrentVisitors(utc.Domain, now, 5*time.Minute)
	}
}

// TestCompactPageOwnsItsStrings: the page a state keeps never points into
// the request's strings (which would pin the whole request URL), and a
// string equal to one the state holds shares it instead of being copied.
func TestCompactPageOwnsItsStrings(t *testing.T) {
	url := "https://example.org/docs/a?q=term"
	row := &event.Row{Hostname: url[8:19], Path: url[19:26], SearchTerm: url[29:]}
	inURL := func(s string) bool {
		if s == "" {
			return false
		}
		p, u := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(url)))
		return p >= u && p < u+uintptr(len(url))
	}
	st := &state{site: "example.org", session: session{sess: &sessionDims{entryPath: "/"}}}
	p := compactPage(st, row)
	if p != (pageDims{hostname: "example.org", path: "/docs/a", searchTerm: "term"}) {
		t.Fatalf("page %+v", p)
	}
	if inURL(p.hostname) || inURL(p.path) || inURL(p.searchTerm) {
		t.Errorf("page %+v points into the request URL", p)
	}
	if unsafe.StringData(p.hostname) != unsafe.StringData(st.site) {
		t.Error("host name equal to the site's domain was copied")
	}
	// The same page again (a reload): everything is shared, nothing copied.
	st.prev = p
	if n := testing.AllocsPerRun(100, func() { _ = compactPage(st, row) }); n != 0 {
		t.Errorf("reload: %v allocations, want 0", n)
	}
	q := compactPage(st, row)
	if unsafe.StringData(q.path) != unsafe.StringData(p.path) || unsafe.StringData(q.searchTerm) != unsafe.StringData(p.searchTerm) {
		t.Error("reload copied the held page instead of sharing it")
	}
	// A new page: one allocation for what is new.
	row2 := &event.Row{Hostname: url[8:19], Path: url[19:24] + "b"}
	if n := testing.AllocsPerRun(100, func() { _ = compactPage(st, row2) }); n != 1 {
		t.Errorf("new page: %v allocations, want 1", n)
	}
}
