package visitor

import (
	"fmt"
	"net/netip"
	"runtime"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
)

// BenchmarkTrack measures one page view of a returning visitor (the common
// case) and of a new visitor.
func BenchmarkTrack(b *testing.B) {
	for _, returning := range []bool{true, false} {
		b.Run(fmt.Sprintf("returning=%v", returning), func(b *testing.B) {
			tr := New(Config{SessionTimeout: 30 * time.Minute, MaxVisitors: 1 << 20, MaxSeen: 256})
			out := make([]event.Row, 0, 2)
			b.ReportAllocs()
			for i := range b.N {
				n := i
				if returning {
					n = i % 1000
				}
				ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{10, byte(n >> 16), byte(n >> 8), 0}), 24, 48)
				h := visit{at: time.Duration(i) * time.Millisecond, kind: Pageview, path: "/docs/page"}.hit(utc)
				out, _ = tr.Track(h, ip, uaA, out[:0])
			}
		})
	}
}

// BenchmarkLiveVisitorBytes reports the heap held per live visitor after
// one page view each, with a realistic mix of dimension strings.
func BenchmarkLiveVisitorBytes(b *testing.B) {
	const visitors = 200_000
	for range b.N {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		tr := New(Config{SessionTimeout: 30 * time.Minute, MaxVisitors: 1 << 21, MaxSeen: 256})
		paths := []string{"/", "/blog/how-we-count-without-cookies", "/docs/getting-started", "/pricing"}
		for i := range visitors {
			ip := ipaddr.Truncate(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 24, 48)
			h := visit{kind: Pageview, path: paths[i%len(paths)], source: "Google"}.hit(utc)
			h.Time = t0.Add(time.Duration(i) * time.Millisecond)
			// A fresh path string per visitor, as decoding a request gives.
			h.Row.Path = string([]byte(h.Row.Path))
			h.Row.Region, h.Row.Language, h.Row.Device, h.Row.OS = "JP-13", "ja", "Desktop", "Windows"
			tr.Track(h, ip, fmt.Sprintf("ua-%d", i%500), nil)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(tr.Live()), "bytes/visitor")
		runtime.KeepAlive(tr)
	}
}
