package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestOverloadRefusesWithRetryAfterAndRecovers offers the real binary far
// more concurrent hits than it may process at once (-max-inflight 4,
// 160 clients without pause): the hits above capacity are answered 503
// with Retry-After — never dropped silently, never left waiting in an
// unbounded queue — memory stays bounded, and once the burst is over
// every hit is accepted again and the server is ready. Every 202 is
// stored exactly once and no refused hit is stored.
func TestOverloadRefusesWithRetryAfterAndRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const maxInflight, clients = 4, 160
	data := t.TempDir()
	srv := startBinary(t, data, "-max-inflight", fmt.Sprint(maxInflight), "-wal-sync-wait", "2ms")
	srv.waitReady()
	ledger := newLedger()
	calm := func(prefix string) time.Duration {
		t.Helper()
		client := &http.Client{Timeout: 10 * time.Second}
		defer client.CloseIdleConnections()
		start := time.Now()
		for i := range 50 {
			if o := ledger.send(client, srv.addr, "203.0.113.9", fmt.Sprintf("%s/%d", prefix, i)); o != acked {
				t.Fatalf("%s: hit %d not accepted at normal load (statuses %v)", prefix, i, ledger.statuses)
			}
		}
		return time.Since(start) / 50
	}
	before := calm("/before")
	rssBefore := srv.peakRSS()

	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { ledger.load(srv.addr, "/burst", clients, stop); close(done) }()
	waitFor(t, "the burst to be refused with 503", func() bool {
		ledger.mu.Lock()
		defer ledger.mu.Unlock()
		return ledger.statuses[http.StatusServiceUnavailable] >= 100
	})
	time.Sleep(time.Second)
	close(stop)
	<-done
	rssPeak := srv.peakRSS()

	waitFor(t, "the hits in progress to finish", func() bool {
		n, err := srv.metric("shukei_hits_inflight")
		return err == nil && n == 0
	})
	after := calm("/after")
	if res, err := http.Get("http://" + srv.addr + "/readyz"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("not ready after the burst: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	srv.stop()

	ledger.mu.Lock()
	statuses := fmt.Sprint(ledger.statuses)
	for code := range ledger.statuses {
		if code != http.StatusAccepted && code != http.StatusServiceUnavailable {
			t.Errorf("status %d under overload, want only 202 and 503: %s", code, statuses)
		}
	}
	ledger.mu.Unlock()
	if n := ledger.noRetryAfter.Load(); n != 0 {
		t.Errorf("%d refusals without Retry-After", n)
	}
	if u := ledger.count(unknown); u != 0 {
		t.Errorf("%d hits got no answer at all", u)
	}
	// The burst's extra memory is its connections and the hits in
	// progress, bounded by -max-inflight: far below what queueing
	// thousands of refused hits would take.
	if grow := rssPeak - rssBefore; grow > 256<<20 {
		t.Errorf("resident memory grew by %d MiB during the burst", grow>>20)
	}
	res := ledger.tally(storedByPath(t, data))
	res.check(t)
	t.Logf("overload ×%d clients, -max-inflight %d: %v; statuses %s; peak RSS %d → %d MiB; mean latency at normal load %v before, %v after",
		clients, maxInflight, res, statuses, rssBefore>>20, rssPeak>>20, before.Round(time.Microsecond), after.Round(time.Microsecond))
}

// TestSlowAndOversizedClients checks the HTTP limits against clients that
// would pin connections or memory: a request whose headers never finish
// is cut off after -read-timeout, oversized headers and bodies are
// refused with 431 and 413, and connections above -max-conns are answered
// 503 with Retry-After.
func TestSlowAndOversizedClients(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	srv := startBinary(t, t.TempDir(), "-read-timeout", "1s", "-max-conns", "8")
	srv.waitReady()
	defer srv.stop()

	t.Run("slow headers are cut off", func(t *testing.T) {
		c := dial(t, srv.addr)
		if _, err := io.WriteString(c, "POST /api/event HTTP/1.1\r\nHost: example.org\r\nUser-Agent: slow"); err != nil {
			t.Fatal(err)
		}
		// The server's bound is one second (-read-timeout 1s); the test
		// gives up well before the 10 s default, so a server ignoring the
		// flag fails here instead of passing late.
		start := time.Now()
		_ = c.SetReadDeadline(start.Add(5 * time.Second))
		if _, err := io.Copy(io.Discard, c); err != nil {
			t.Fatalf("the server did not cut off, within 5 s, a request whose headers never finished (-read-timeout 1s): %v", err)
		}
		if took := time.Since(start); took < 900*time.Millisecond {
			t.Errorf("cut off after %v, before -read-timeout 1s was over", took)
		}
	})
	t.Run("oversized headers", func(t *testing.T) {
		c := dial(t, srv.addr)
		req := "POST /api/event HTTP/1.1\r\nHost: example.org\r\nX-Pad: " + strings.Repeat("a", 32<<10) + "\r\nContent-Length: 2\r\n\r\n{}"
		if status := roundTrip(t, c, req); status != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("32 KiB of headers: %d, want 431", status)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		c := dial(t, srv.addr)
		body := strings.Repeat("a", 256<<10)
		req := fmt.Sprintf("POST /api/event HTTP/1.1\r\nHost: example.org\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		if status := roundTrip(t, c, req); status != http.StatusRequestEntityTooLarge {
			t.Errorf("256 KiB body: %d, want 413", status)
		}
	})
	t.Run("connections above the cap", func(t *testing.T) {
		var held []net.Conn
		for range 8 {
			held = append(held, dial(t, srv.addr))
		}
		c := dial(t, srv.addr)
		_ = c.SetDeadline(time.Now().Add(15 * time.Second))
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: example.org\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("connection above -max-conns: %d Retry-After %q, want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
		}
		for _, h := range held {
			h.Close()
		}
		waitFor(t, "a freed connection to be served", func() bool {
			res, err := http.Get("http://" + srv.addr + "/healthz")
			if err != nil {
				return false
			}
			res.Body.Close()
			return res.StatusCode == http.StatusOK
		})
	})
}

// dial opens a raw connection that the test closes at its end.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// roundTrip writes a raw request and returns the answer's status.
func roundTrip(t *testing.T, c net.Conn, req string) int {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(15 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		// The server may answer and close before reading everything.
		t.Logf("write: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
