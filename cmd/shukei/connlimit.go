package main

import (
	"io"
	"net"
	"sync"
	"time"
)

// limitListener caps the open connections. Above the cap a connection is
// answered 503 with Retry-After and closed, so that a flood of connections,
// or slow clients holding them open, cannot exhaust the server's memory,
// and every client that is turned away learns when to come back (fasthttp's
// own concurrency limit answers 503 without Retry-After).
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func limitConns(ln net.Listener, max int) net.Listener {
	return &limitListener{Listener: ln, slots: make(chan struct{}, max)}
}

// Accept returns the next connection within the cap, turning away the
// ones above it in the background.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.slots <- struct{}{}:
			return &limitConn{Conn: c, release: func() { <-l.slots }}, nil
		default:
			go refuseConn(c)
		}
	}
}

// refusedResponse is the whole answer to a connection above the cap.
const refusedResponse = "HTTP/1.1 503 Service Unavailable\r\n" +
	"Retry-After: 5\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 60\r\n\r\n" +
	`{"error":"the server has too many connections; retry later"}`

// refuseConn reads what the client sent so far (so that closing does not
// reset the connection before the answer arrives), answers 503 and closes,
// within one second.
func refuseConn(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 4096)
	_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	_, _ = c.Read(buf)
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := io.WriteString(c, refusedResponse); err != nil {
		return
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(c, 64<<10))
}

// limitConn frees its slot when closed.
type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}
