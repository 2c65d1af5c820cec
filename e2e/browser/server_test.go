package browser

import (
	"bufio"
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
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The shukei binary, built once per test run with the same race setting as
// the tests.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

func shukeiBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "shukei-e2e-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "shukei")
		args := []string{"build", "-o", binPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "github.com/shukei-analytics/shukei/cmd/shukei")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/shukei: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// shukei is a running `shukei serve` process on a loopback port.
type shukei struct {
	t     *testing.T
	url   string
	token string
	cmd   *exec.Cmd
	logs  *bytes.Buffer
	mu    *sync.Mutex
	done  chan error
}

const apiToken = "e2e-browser-test-token-0123456789abcdef"

// startShukei runs the real server counting sites, flushing often so that
// tests need not wait long for rows to be stored.
func startShukei(t *testing.T, sites ...string) *shukei {
	t.Helper()
	bin := shukeiBinary(t)
	port := freePort(t)
	args := []string{"serve", "-listen", "127.0.0.1:" + port, "-data", t.TempDir(),
		"-api-token", apiToken, "-flush-interval", "20ms", "-log-format", "json"}
	for _, s := range sites {
		args = append(args, "-site", s)
	}
	s := &shukei{t: t, url: "http://127.0.0.1:" + port, token: apiToken, logs: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Env = cleanEnv()
	s.cmd.Stdout = lockedWriter{s.mu, s.logs}
	s.cmd.Stderr = lockedWriter{s.mu, s.logs}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(s.stop)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(s.url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("shukei serve exited: %v\n%s", err, s.logText())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("shukei serve did not answer /healthz in 30s\n%s", s.logText())
		}
	}
}

// cleanEnv drops SHUKEI_* variables so the developer's environment cannot
// change the server under test.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHUKEI_") {
			env = append(env, kv)
		}
	}
	return env
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (s *shukei) logText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logs.String()
}

// stop sends SIGTERM, as an operator would, and waits for a clean exit.
func (s *shukei) stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("shukei serve exited with %v\n%s", err, s.logText())
		}
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		s.t.Errorf("shukei serve did not stop in 30s")
	}
	s.cmd.Process = nil
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// pendingGauges count accepted hits not yet in the store: the write-ahead
// log's, or the in-memory queue's of servers without one.
var pendingGauges = []string{"shukei_wal_pending_records", "shukei_queue_rows"}

// settle waits until every accepted hit is stored: the pending gauge is 0
// twice in a row, a flush interval apart.
func (s *shukei) settle() {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	zero := 0
	for time.Now().Before(deadline) {
		if s.pending() == 0 {
			if zero++; zero == 2 {
				return
			}
		} else {
			zero = 0
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("accepted hits were not all stored in 20s\n%s", s.logText())
}

// pending reads the first pending gauge the server exports (-1: none).
func (s *shukei) pending() float64 {
	for _, name := range pendingGauges {
		if v, ok := s.metric(name); ok {
			return v
		}
	}
	return -1
}

// metric reads one unlabelled sample from /metrics.
func (s *shukei) metric(name string) (float64, bool) {
	res, err := http.Get(s.url + "/metrics")
	if err != nil {
		return 0, false
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f, err == nil
		}
	}
	return 0, false
}

// query runs a Stats API v2 query and returns its rows as
// "dimension|..." → metrics, nulls as -1.
func (s *shukei) query(q map[string]any) map[string][]float64 {
	s.t.Helper()
	body, _ := json.Marshal(q)
	req, _ := http.NewRequest(http.MethodPost, s.url+"/api/v2/query", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("query %s: %d %s", body, res.StatusCode, raw)
	}
	var out struct {
		Results []struct {
			Metrics    []*float64 `json:"metrics"`
			Dimensions []string   `json:"dimensions"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		s.t.Fatalf("decode %s: %v", raw, err)
	}
	rows := map[string][]float64{}
	for _, r := range out.Results {
		vals := make([]float64, len(r.Metrics))
		for i, m := range r.Metrics {
			vals[i] = -1
			if m != nil {
				vals[i] = *m
			}
		}
		rows[strings.Join(r.Dimensions, "|")] = vals
	}
	return rows
}
