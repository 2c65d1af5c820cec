package dashboard

import "net"

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
