package chtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// Server is a ClickHouse server of one test's own, for tests that stop
// and restart it: the shared servers stay up for the other tests.
type Server struct {
	t    testing.TB
	dir  string
	port int
	// Addr is the server's native protocol address.
	Addr string
}

// Private starts a server for the test with scripts/clickhouse.sh, in a
// temporary directory on a free port, and stops it when the test ends.
// The test is skipped when clickhouse-server is not installed, except in
// CI, where that fails it.
func Private(t testing.TB) *Server {
	t.Helper()
	if _, err := exec.LookPath("clickhouse-server"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("clickhouse-server is not installed: scripts/clickhouse.sh installs it")
		}
		t.Skip("clickhouse-server is not installed; run scripts/clickhouse.sh start")
	}
	s := &Server{t: t, dir: t.TempDir(), port: freePortPair(t)}
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Start starts the server, or does nothing when it runs, and waits until
// it answers.
func (s *Server) Start() {
	s.t.Helper()
	s.script("start")
}

// Stop stops the server gracefully; its data stays for the next Start.
func (s *Server) Stop() {
	s.t.Helper()
	s.script("stop")
}

func (s *Server) script(cmd string) {
	s.t.Helper()
	root, err := repoRoot()
	if err != nil {
		s.t.Fatal(err)
	}
	c := exec.Command(filepath.Join(root, "scripts", "clickhouse.sh"), cmd, "1")
	c.Env = append(os.Environ(), "SHUKEI_CLICKHOUSE_DIR="+s.dir, "SHUKEI_CLICKHOUSE_PORT="+strconv.Itoa(s.port))
	if out, err := c.CombinedOutput(); err != nil {
		s.t.Fatalf("scripts/clickhouse.sh %s: %v\n%s", cmd, err, out)
	}
}

// Ping reports whether the server answers.
func (s *Server) Ping() error {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{s.Addr}, DialTimeout: time.Second})
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return conn.Ping(ctx)
}

// freePortPair finds a free TCP port p with p+10 free too (the script's
// HTTP port).
func freePortPair(t testing.TB) int {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if p+10 > 65535 {
			continue
		}
		if l2, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p+10))); err == nil {
			l2.Close()
			return p
		}
	}
	t.Fatal("no free port pair on 127.0.0.1")
	return 0
}

// repoRoot is the directory holding go.mod, found from the working
// directory (a package directory when tests run).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod not found above the working directory")
		}
		dir = parent
	}
}
