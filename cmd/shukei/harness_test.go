package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is the injectable clock of end-to-end tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// syncBuffer collects log output from concurrent goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a full `shukei serve` in-process on a loopback port.
type testServer struct {
	t      *testing.T
	cfg    *serveConfig
	inst   *instance
	url    string
	clock  *fakeClock
	logs   *syncBuffer
	stdout *syncBuffer
	client *http.Client
	done   chan error
}

// testOptions tweak a test server; args are `shukei serve` flags.
type testOptions struct {
	args  []string
	start time.Time
}

func startTestServer(t *testing.T, opts testOptions) *testServer {
	t.Helper()
	cfg := &serveConfig{}
	fs := newServeFlagSet(cfg)
	// Sites count in UTC whatever the machine's zone (a test may give
	// another -timezone after this one).
	args := append([]string{"-data", t.TempDir(), "-trusted-proxy", "127.0.0.1/32,::1/128", "-log-format", "json", "-log-level", "debug", "-timezone", "UTC"}, opts.args...)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	start := opts.start
	if start.IsZero() {
		start = time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)
	}
	s := &testServer{t: t, cfg: cfg, clock: &fakeClock{t: start}, logs: &syncBuffer{}, stdout: &syncBuffer{},
		client: &http.Client{Timeout: 30 * time.Second}, done: make(chan error, 1)}
	log, err := cfg.logFlags.logger(s.logs)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := startServer(context.Background(), cfg, serverDeps{log: log, stdout: s.stdout, now: s.clock.Now, listener: ln})
	if err != nil {
		t.Fatal(err)
	}
	s.inst = inst
	s.url = "http://" + ln.Addr().String()
	go func() { s.done <- <-inst.app.served() }()
	t.Cleanup(func() { s.stop() })
	return s
}

func newServeFlagSet(cfg *serveConfig) interface{ Parse([]string) error } {
	fs := flagSet("serve")
	cfg.register(fs)
	return fs
}

// stop stops the server like SIGTERM does: every accepted hit is stored.
func (s *testServer) stop() {
	if s.inst == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.inst.stop(ctx); err != nil {
		s.t.Errorf("stop: %v", err)
	}
	<-s.done
	s.inst = nil
}

// flush stores every queued row now.
func (s *testServer) flush() {
	s.t.Helper()
	if err := s.inst.collector.Flush(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

// post sends a raw request and returns status and body.
func (s *testServer) post(path, contentType string, body []byte, headers map[string]string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url+path, bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return s.do(req)
}

func (s *testServer) do(req *http.Request) (int, string) {
	s.t.Helper()
	res, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// hit posts one event as a browser behind the trusted proxy would.
func (s *testServer) hit(ip, ua string, payload map[string]any, extra map[string]string) (int, string) {
	s.t.Helper()
	body, _ := json.Marshal(payload)
	headers := map[string]string{"X-Forwarded-For": ip, "User-Agent": ua}
	for k, v := range extra {
		headers[k] = v
	}
	return s.post("/api/event", "text/plain", body, headers)
}

// query runs a Stats API query and decodes the response.
func (s *testServer) query(q string) queryResponse {
	s.t.Helper()
	status, body := s.post("/api/v2/query", "application/json", []byte(q), map[string]string{"Authorization": "Bearer " + s.inst.token})
	if status != http.StatusOK {
		s.t.Fatalf("query %s: %d %s", q, status, body)
	}
	var res queryResponse
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		s.t.Fatalf("decode %s: %v", body, err)
	}
	return res
}

type queryResponse struct {
	Results []struct {
		Metrics    []*float64 `json:"metrics"`
		Dimensions []string   `json:"dimensions"`
	} `json:"results"`
	Meta struct {
		TimeLabels []string `json:"time_labels"`
		TotalRows  *int64   `json:"total_rows"`
	} `json:"meta"`
}

// table turns a response into "dims → metrics" for comparison.
func (r queryResponse) table() map[string][]float64 {
	out := map[string][]float64{}
	for _, row := range r.Results {
		vals := make([]float64, len(row.Metrics))
		for i, m := range row.Metrics {
			if m == nil {
				vals[i] = -1 // null
			} else {
				vals[i] = *m
			}
		}
		out[strings.Join(row.Dimensions, "|")] = vals
	}
	return out
}

func (s *testServer) metrics() string {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.url+"/metrics", nil)
	status, body := s.do(req)
	if status != http.StatusOK {
		s.t.Fatalf("/metrics: %d", status)
	}
	return body
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func (s *testServer) get(url string) (int, string) {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+s.inst.token)
	return s.do(req)
}

// postRaw sends a request over its own connection and reads the answer
// even when the server answers before the body is sent (a body over the
// limit is refused from its Content-Length), which net/http's client
// reports as a write error instead.
func (s *testServer) postRaw(path string, body []byte, headers map[string]string) (int, string) {
	s.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	var head strings.Builder
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: test\r\nContent-Length: %d\r\nConnection: close\r\n", path, len(body))
	for k, v := range headers {
		fmt.Fprintf(&head, "%s: %s\r\n", k, v)
	}
	head.WriteString("\r\n")
	if _, err := io.WriteString(conn, head.String()); err != nil {
		s.t.Fatal(err)
	}
	go func() { _, _ = conn.Write(body) }()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		s.t.Fatalf("read response: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
