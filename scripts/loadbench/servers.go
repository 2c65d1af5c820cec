package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gofiber/fiber/v2"
)

// serveBaseline is the do-nothing endpoint: same framework and limits as
// the collector, reads the body, answers 202.
func serveBaseline(addr string) error {
	app := fiber.New(fiber.Config{DisableStartupMessage: true, BodyLimit: 64 << 10, ReadBufferSize: 8 << 10})
	app.Post("/api/event", func(c *fiber.Ctx) error {
		_ = c.Body()
		return c.Status(fiber.StatusAccepted).SendString("ok")
	})
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	return app.Listen(addr)
}

// server is a child process serving on addr.
type server struct {
	addr  string
	cmd   *exec.Cmd
	token string
}

func startBaseline() (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-baseline", addr)
	cmd.Stderr = os.Stderr
	s := &server{addr: addr, cmd: cmd}
	return s, s.start()
}

const benchSite = "bench.example"

func startShukei(bin, tmp string, extra []string) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	token := "loadbench-token-0123456789"
	args := append([]string{"serve", "-listen", addr, "-data", filepath.Join(tmp, "data"),
		"-site", benchSite, "-trusted-proxy", "127.0.0.1/32", "-api-token", token, "-log-level", "warn"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	s := &server{addr: addr, cmd: cmd, token: token}
	return s, s.start()
}

func (s *server) start() error {
	if err := s.cmd.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get("http://" + s.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return fmt.Errorf("%s did not become healthy", s.cmd.Path)
}

// stop sends SIGTERM and waits (a graceful stop stores queued hits).
func (s *server) stop() {
	if s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// storedPageviews polls the Stats API until it reports want page views or
// the timeout passes, and returns the last count.
func (s *server) storedPageviews(ctx context.Context, want int64, timeout time.Duration) (int64, error) {
	body := []byte(`{"site_id":"` + benchSite + `","metrics":["pageviews"],"date_range":"all"}`)
	deadline := time.Now().Add(timeout)
	var got int64
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+s.addr+"/api/v2/query", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		var out struct {
			Results []struct {
				Metrics []int64 `json:"metrics"`
			} `json:"results"`
		}
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if err != nil || len(out.Results) != 1 {
			return 0, fmt.Errorf("stats query: status %d: %v", res.StatusCode, err)
		}
		got = out.Results[0].Metrics[0]
		if got >= want || time.Now().After(deadline) {
			return got, nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// metrics reads the named counters from /metrics.
func (s *server) metrics(names ...string) ([]float64, error) {
	res, err := http.Get("http://" + s.addr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(names))
	for _, line := range strings.Split(string(body), "\n") {
		for i, n := range names {
			if v, ok := strings.CutPrefix(line, n+" "); ok {
				out[i], _ = strconv.ParseFloat(v, 64)
			}
		}
	}
	return out, nil
}
