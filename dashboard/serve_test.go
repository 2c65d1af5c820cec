package dashboard

import (
	"net"
	"net/http"
	"testing"
	"time"
)

// serve serves the harness's router on a loopback listener until the test
// ends.
func (h *harness) serve() string {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	go func() { _ = h.app.Listener(ln) }()
	h.t.Cleanup(func() { _ = h.app.Shutdown() })
	base := "http://" + ln.Addr().String()
	waitServing(h.t, base)
	return base
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
