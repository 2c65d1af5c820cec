package hostile

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Probe is an ordinary visitor that keeps sending page views during an
// attack: the server must go on accepting them, and every one it accepts
// must be stored. Each hit has its own path under Prefix.
type Probe struct {
	Target   *Target
	Prefix   string        // e.g. "/probe"
	Interval time.Duration // between hits (default 20ms)
	// ForwardedFor is the probe's address, sent as X-Forwarded-For (the
	// servers under test trust loopback as a proxy).
	ForwardedFor string

	mu        sync.Mutex
	accepted  []string
	latencies []time.Duration
	tally     Tally
}

// Run sends page views until ctx ends.
func (p *Probe) Run(ctx context.Context) {
	interval := p.Interval
	if interval == 0 {
		interval = 20 * time.Millisecond
	}
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		path := fmt.Sprintf("%s/%d", p.Prefix, i)
		req := NewRequest(context.Background(), http.MethodPost, p.Target.URL("/api/event"), Pageview(p.Target.Site, path),
			"Content-Type", "text/plain", "User-Agent", UserAgent, "X-Forwarded-For", p.ForwardedFor)
		start := time.Now()
		res := p.tally.Send(client, req)
		if res != nil && res.StatusCode == http.StatusAccepted && res.Header.Get("X-Shukei-Dropped") == "" {
			p.mu.Lock()
			p.accepted = append(p.accepted, path)
			p.latencies = append(p.latencies, time.Since(start))
			p.mu.Unlock()
		}
	}
}

// Accepted returns the paths of the hits answered 202.
func (p *Probe) Accepted() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.accepted)
}

// Tally returns the answers to every probe hit.
func (p *Probe) Tally() *Tally { return &p.tally }

// Latency returns the median and the slowest time to a 202.
func (p *Probe) Latency() (median, slowest time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.latencies) == 0 {
		return 0, 0
	}
	l := slices.Clone(p.latencies)
	slices.Sort(l)
	return l[len(l)/2], l[len(l)-1]
}
