package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a `shukei serve` the import goes through.
type server struct {
	cmd  *exec.Cmd
	done chan error
}

// startServer starts shukei serve on data on a free loopback port, with
// the site and retention the other steps give the command, and waits
// until it has written its local administration file.
func startServer(bin, data string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "-listen", addr, "-data", data, "-site", "bench.example=Asia/Tokyo",
		"-retention-months", "120", "-log-level", "warn")
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("serve exited at start: %v", err)
		default:
		}
		if _, err := os.Stat(filepath.Join(data, "local-admin.json")); err == nil {
			return s, nil
		}
	}
	return nil, errors.Join(errors.New("serve did not start within 2 minutes"), s.stop())
}

// usage is the server's CPU seconds so far and its peak resident bytes.
func (s *server) usage() (cpu, rss float64) {
	pid := strconv.Itoa(s.cmd.Process.Pid)
	if b, err := os.ReadFile("/proc/" + pid + "/stat"); err == nil {
		// Fields after the command name, which ends at the last ')'.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
		if len(f) > 12 {
			utime, _ := strconv.ParseFloat(f[11], 64)
			stime, _ := strconv.ParseFloat(f[12], 64)
			cpu = (utime + stime) / 100 // clock ticks (USER_HZ = 100 on Linux)
		}
	}
	if b, err := os.ReadFile("/proc/" + pid + "/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
				rss = kb * 1024
			}
		}
	}
	return cpu, rss
}

// stop asks the server to stop and waits for it.
func (s *server) stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.done:
		return err
	case <-time.After(time.Minute):
		_ = s.cmd.Process.Kill()
		return errors.New("serve did not stop within a minute of SIGTERM")
	}
}
