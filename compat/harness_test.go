// Package compat is the Plausible compatibility suite: cases derived from
// Plausible's public documentation (each cites the page and section it comes
// from), run against the real shukei binary over HTTP — hits in through the
// Events API, answers out of the Stats API v2.
//
// A case is data (see Case). Each file of the package adds its cases to the
// suite from an init function with register; TestCompat starts one server
// per distinct set of server flags, with every case's site and goals, sends
// every case's events in order, waits until they are stored and runs every
// case's checks. It runs on the embedded DuckDB store, and also on ClickHouse
// when a test server is named (SHUKEI_TEST_CLICKHOUSE; always in CI).
//
// docs/compat.md explains how to add cases.
package compat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// binary is the shukei binary built once for the whole package.
var binary struct {
	once sync.Once
	path string
	err  error
	dir  string
}

func buildBinary() (string, error) {
	binary.once.Do(func() {
		binary.dir, binary.err = os.MkdirTemp("", "shukei-compat-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "shukei")
		out, err := exec.Command("go", "build", "-o", binary.path, "../cmd/shukei").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	return binary.path, binary.err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// apiToken is the Stats API token every server of the suite starts with.
const apiToken = "compat-suite-token-0123456789abcdef"

// server is one running `shukei serve`.
type server struct {
	t      *testing.T
	url    string
	cmd    *exec.Cmd
	logs   *lockedBuffer
	done   chan error
	client *http.Client
	zone   string
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer runs the binary with args on a free loopback port and waits
// until it answers.
func startServer(t *testing.T, args []string) *server {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	all := append([]string{"serve", "-listen", addr, "-data", t.TempDir(),
		"-trusted-proxy", "127.0.0.1/32", "-rate-limit-ip", "0", "-api-token", apiToken,
		"-flush-interval", "50ms", "-log-level", "warn"}, args...)
	s := &server{t: t, url: "http://" + addr, cmd: exec.Command(bin, all...), logs: &lockedBuffer{},
		done: make(chan error, 1), client: &http.Client{Timeout: 30 * time.Second}}
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(s.stop)
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := s.client.Get(s.url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case err := <-s.done:
			s.done <- err
			t.Fatalf("shukei serve exited: %v\n%s", err, s.logs)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("shukei serve did not answer within 60 s\n%s", s.logs)
		}
	}
}

func (s *server) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	if s.t.Failed() {
		s.t.Logf("server log:\n%s", s.logs)
	}
}

// do sends a request and returns the status and body.
func (s *server) do(ctx context.Context, method, path string, body []byte, headers map[string]string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	return res.StatusCode, b, err
}

// query posts a Stats API query with the suite's token.
func (s *server) query(q map[string]any) (int, []byte, error) {
	body, err := json.Marshal(q)
	if err != nil {
		return 0, nil, err
	}
	return s.do(context.Background(), http.MethodPost, "/api/v2/query", body, map[string]string{
		"Authorization": "Bearer " + apiToken, "Content-Type": "application/json"})
}

// noonZone returns the fixed-offset time zone in which it is now about
// noon, so that a run of the suite does not cross a day boundary of its
// sites (every event of a case lands on the same local day).
func noonZone(now time.Time) (name string, loc *time.Location) {
	offset := 12 - now.UTC().Hour() // -11 … +12
	switch {
	case offset > 0:
		name = fmt.Sprintf("Etc/GMT-%d", offset)
	case offset < 0:
		name = fmt.Sprintf("Etc/GMT+%d", -offset)
	default:
		name = "Etc/UTC"
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.FixedZone(name, offset*3600)
	}
	return name, loc
}

// siteDomain is a case's own site, so cases never see each other's data.
func siteDomain(caseName string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(caseName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if s := b.String(); s != "" && !strings.HasSuffix(s, "-") {
				b.WriteByte('-')
			}
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 50 {
		name = strings.Trim(name[:50], "-")
	}
	return name + ".compat.test"
}
