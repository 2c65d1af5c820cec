package dashboard

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// serve starts the harness on a loopback listener.
func (h *harness) serve() string {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	go func() { _ = h.srv.Serve(ln) }()
	return "http://" + ln.Addr().String()
}

// TestStopBeforeAndDuringServe: Stop ends Serve whichever runs first, and
// Serve returns nil once stopped.
func TestStopBeforeAndDuringServe(t *testing.T) {
	for _, before := range []bool{true, false} {
		h := newHarness(t, harnessOpts{})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		served := make(chan error, 1)
		if before {
			if err := h.srv.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
			go func() { served <- h.srv.Serve(ln) }()
		} else {
			go func() { served <- h.srv.Serve(ln) }()
			waitServing(t, "http://"+ln.Addr().String())
			if err := h.srv.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("stop before serve = %v: Serve returned %v", before, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("stop before serve = %v: Serve did not return", before)
		}
	}
}

func waitServing(t *testing.T, base string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			return
		}
	}
	t.Fatal("the server did not start serving")
}
