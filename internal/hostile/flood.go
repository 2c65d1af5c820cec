package hostile

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// Flood sends n page views from n distinct visitors (one forwarded
// address each) over 32 connections, with bodies from body(i), and
// records the answers in tally.
func Flood(ctx context.Context, t *Target, n int, body func(i int) []byte, tally *Tally) {
	var next atomic.Int64
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	defer client.CloseIdleConnections()
	concurrently(32, func(int) {
		for ctx.Err() == nil {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			ip := fmt.Sprintf("10.%d.%d.1", 64+i>>16&63, i>>8&255)
			ua := fmt.Sprintf("%s v%d", UserAgent, i&255)
			tally.Send(client, NewRequest(ctx, http.MethodPost, t.URL("/api/event"), body(i),
				"Content-Type", "text/plain", "User-Agent", ua, "X-Forwarded-For", ip))
		}
	})
}

// realtimeFlood fills the live state with Visitors visitors, then asks
// the public realtime count from 8 clients for o.Realtime while the probe
// measures ingest latency.
func realtimeFlood(ctx context.Context, t *Target, o *Options, res *Result) error {
	o.fill()
	var fill Tally
	start := time.Now()
	Flood(ctx, t, o.Visitors, func(i int) []byte { return Pageview(t.Site, fmt.Sprintf("/rt/%d", i)) }, &fill)
	res.Note("prefill", "%d visitors in %v: %s", o.Visitors, time.Since(start).Round(time.Second), fill.String())
	res.Accepted += fill.Count(http.StatusAccepted) - fill.Dropped
	deadline := time.Now().Add(o.Realtime)
	var served atomic.Int64
	client := &http.Client{Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()
	concurrently(8, func(int) {
		for time.Now().Before(deadline) && ctx.Err() == nil {
			r := res.Tally.Send(client, NewRequest(ctx, http.MethodGet, t.URL("/public/"+t.Site+"/data/realtime.json"), nil))
			if r != nil && r.StatusCode == http.StatusOK {
				served.Add(1)
			}
		}
	})
	res.Note("realtime", "%.0f requests/s answered 200", float64(served.Load())/o.Realtime.Seconds())
	return nil
}

// visitorFlood makes Visitors visitors, each with a page view of unique
// long path, referrer and campaign values.
func visitorFlood(ctx context.Context, t *Target, o *Options, res *Result) error {
	o.fill()
	start := time.Now()
	Flood(ctx, t, o.Visitors, func(i int) []byte { return LongPageview(t.Site, i) }, &res.Tally)
	res.Note("flood", "%d visitors in %v", o.Visitors, time.Since(start).Round(time.Second))
	res.Accepted += res.Tally.Count(http.StatusAccepted) - res.Tally.Dropped
	return nil
}

// rawExchange writes req on a fresh connection and reads one response:
// its status line, its headers, and whether the server closed the
// connection after it.
func rawExchange(t *Target, req string) (status string, headers []string, closed bool, err error) {
	conn, err := net.DialTimeout("tcp", t.Addr, 5*time.Second)
	if err != nil {
		return "", nil, false, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(15 * time.Second))
	if _, err := conn.Write([]byte(req)); err != nil {
		return "", nil, false, err
	}
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		return "", nil, false, err
	}
	for k, vs := range res.Header {
		for _, v := range vs {
			headers = append(headers, k+": "+v)
		}
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	// A second request on the same connection: a server that kept the
	// connection answers it.
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		return res.Status, headers, true, nil
	}
	_, err = http.ReadResponse(br, nil)
	return res.Status, headers, err != nil, nil
}

// smuggle sends a hit with both Content-Length and Transfer-Encoding.
func smuggle(_ context.Context, t *Target, _ *Options, res *Result) error {
	body := string(Pageview(t.Site, "/smuggled"))
	chunked := fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body)
	req := "POST /api/event HTTP/1.1\r\nHost: " + t.Addr + "\r\nUser-Agent: " + UserAgent +
		"\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
	start := time.Now()
	status, _, closed, err := rawExchange(t, req)
	if err != nil {
		return err
	}
	res.Tally.Add(statusCode(status), time.Since(start))
	res.Note("answer", "%s, connection closed: %v", status, closed)
	res.Note("closed", "%v", closed)
	return nil
}

// chunkedOver sends a chunked body larger than any limit.
func chunkedOver(_ context.Context, t *Target, _ *Options, res *Result) error {
	chunk := strings.Repeat("x", 16<<10)
	var b strings.Builder
	for range 8 {
		fmt.Fprintf(&b, "%x\r\n%s\r\n", len(chunk), chunk)
	}
	b.WriteString("0\r\n\r\n")
	req := "POST /api/event HTTP/1.1\r\nHost: " + t.Addr + "\r\nUser-Agent: " + UserAgent +
		"\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" + b.String()
	start := time.Now()
	status, headers, _, err := rawExchange(t, req)
	if err != nil {
		return err
	}
	res.Tally.Add(statusCode(status), time.Since(start))
	ctype := ""
	for _, h := range headers {
		if v, ok := strings.CutPrefix(h, "Content-Type: "); ok {
			ctype = v
		}
	}
	res.Note("answer", "%s, %s", status, ctype)
	res.Note("content_type", "%s", ctype)
	return nil
}

func statusCode(status string) int {
	var code int
	_, _ = fmt.Sscanf(status, "%d", &code)
	return code
}
