// Package clusterload sends page views to a deployment the way many
// clients on many networks would, all on loopback: every address of
// 127.0.0.0/8 is the machine itself, so a client of network n connects
// from 127.0.n.x and the load balancer sees n different /24 networks. The
// cluster test (ground truth, an ingest node killed mid-load) and the
// cluster benchmark (scripts/clusterbench) share it.
package clusterload

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// uas are real browsers' User-Agents: a visitor is a network and a
// browser, so visitors sharing a network differ by browser.
var uas = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
}

// MaxNetworks is how many /24 networks the clients come from.
const MaxNetworks = 200

// Visitor is one client: its address and browser.
type Visitor struct {
	Addr netip.Addr
	UA   string
}

// Visitors returns n distinct visitors spread over networks /24 networks
// (at most MaxNetworks) and the browsers: visitor i is on network
// i%networks with browser i/networks.
func Visitors(n, networks int) ([]Visitor, error) {
	networks = min(networks, MaxNetworks)
	if n > networks*len(uas) {
		return nil, fmt.Errorf("clusterload: at most %d visitors on %d networks", networks*len(uas), networks)
	}
	out := make([]Visitor, n)
	for i := range out {
		nw := i % networks
		out[i] = Visitor{Addr: netip.AddrFrom4([4]byte{127, 0, byte(1 + nw), byte(10 + i/networks)}), UA: uas[i/networks]}
	}
	return out, nil
}

// Client sends page views of one site to a deployment's base URL.
type Client struct {
	base, site string
	mu         sync.Mutex
	clients    map[netip.Addr]*http.Client
}

// New returns a client for base (http://host:port) and site.
func New(base, site string) *Client {
	return &Client{base: base, site: site, clients: map[netip.Addr]*http.Client{}}
}

// from returns the HTTP client whose connections leave from addr: one
// keep-alive pool per client address, as separate browsers have.
func (c *Client) from(addr netip.Addr) *http.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.clients[addr]; ok {
		return h
	}
	d := &net.Dialer{LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)), Timeout: 5 * time.Second}
	h := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, MaxIdleConnsPerHost: 4, IdleConnTimeout: 30 * time.Second,
	}}
	c.clients[addr] = h
	return h
}

// PageView sends one page view of path and reports whether the server
// acknowledged it (202 Accepted): only an acknowledged hit is promised to
// be counted.
func (c *Client) PageView(ctx context.Context, v Visitor, path string) (bool, error) {
	body := fmt.Sprintf(`{"n":"pageview","u":"https://%s%s","d":%q}`, c.site, path, c.site)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/event", bytes.NewBufferString(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", v.UA)
	res, err := c.from(v.Addr).Do(req)
	if err != nil {
		return false, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 4096))
	_ = res.Body.Close()
	return res.StatusCode == http.StatusAccepted, nil
}

// Close closes the idle connections.
func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, h := range c.clients {
		h.CloseIdleConnections()
	}
}

// Hit is one page view to send.
type Hit struct {
	Visitor Visitor
	Path    string
}

// Counts says what a drive sent and what was acknowledged.
type Counts struct{ Sent, Acked int64 }

// Drive sends hits over conns concurrent senders until all are sent or ctx
// ends (a hit in flight then still completes), and counts them. progress,
// when not nil, is called after each send with the counts so far.
func Drive(ctx context.Context, c *Client, hits []Hit, conns int, progress func(Counts)) Counts {
	return send(ctx, c, hits, conns, false, progress)
}

// Cycle sends hits over and over over conns concurrent senders until ctx
// ends, and counts them: a load of a fixed duration. A hit cut off by the
// end is not counted as sent.
func Cycle(ctx context.Context, c *Client, hits []Hit, conns int) Counts {
	return send(ctx, c, hits, conns, true, nil)
}

func send(ctx context.Context, c *Client, hits []Hit, conns int, cycle bool, progress func(Counts)) Counts {
	var next, sent, acked atomic.Int64
	// A drive lets the hit in flight finish; a cycle's end cuts it off.
	reqCtx := context.WithoutCancel(ctx)
	if cycle {
		reqCtx = ctx
	}
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if cycle {
					i %= int64(len(hits))
				} else if i >= int64(len(hits)) {
					return
				}
				ok, err := c.PageView(reqCtx, hits[i].Visitor, hits[i].Path)
				if err != nil && cycle && ctx.Err() != nil {
					return
				}
				s, a := sent.Add(1), acked.Load()
				if ok {
					a = acked.Add(1)
				}
				if progress != nil {
					progress(Counts{Sent: s, Acked: a})
				}
			}
		}()
	}
	wg.Wait()
	return Counts{Sent: sent.Load(), Acked: acked.Load()}
}
