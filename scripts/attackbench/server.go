package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

const benchToken = "attackbench-token-0123456789"

// server is one `shukei serve` child process.
type server struct {
	addr   string
	cmd    *exec.Cmd
	stdout *lockedBuffer
	done   chan struct{}
	err    error
}

// lockedBuffer collects a child's output.
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

// start runs the server on a free loopback port with the suite's common
// flags: loopback is a trusted proxy (the attacks and the probe forward
// their addresses), no per-address rate limit, a known Stats API token.
func start(bin, data string, extra []string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := append([]string{"serve", "-listen", addr, "-data", data, "-site", "example.org",
		"-trusted-proxy", "127.0.0.1/32", "-rate-limit-ip", "0", "-api-token", benchToken,
		"-log-level", "error"}, extra...)
	s := &server{addr: addr, cmd: exec.Command(bin, args...), stdout: &lockedBuffer{}, done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stdout
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return nil, fmt.Errorf("server exited at start: %v\n%s", s.err, s.stdout.String())
		default:
		}
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.kill()
	return nil, fmt.Errorf("server did not start\n%s", s.stdout.String())
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// kill ends the process at once.
func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

// exitStatus describes how the process ended ("" while it runs).
func (s *server) exitStatus() string {
	select {
	case <-s.done:
		if s.err == nil {
			return "exit 0"
		}
		return s.err.Error()
	default:
		return ""
	}
}

// stop asks the process to stop and kills it after 30 seconds.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.kill()
	}
}
