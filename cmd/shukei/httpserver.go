package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/internal/httpbody"
	"github.com/shukei-analytics/shukei/route"
)

// httpConfig configures the one HTTP listener of a server.
type httpConfig struct {
	Listen string
	// ReadTimeout bounds reading one request, so slow clients cannot pin
	// connections.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	// MaxConns caps the open connections; above it a connection is
	// answered 503 with Retry-After (connlimit.go).
	MaxConns int
}

// defaultHTTPConfig returns the defaults, which the flags show.
func defaultHTTPConfig() httpConfig {
	return httpConfig{
		Listen:      "127.0.0.1:8080",
		ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 75 * time.Second,
		MaxConns: 10_000,
	}
}

// registerHTTPFlags binds the listener's flags to c, whose values are the
// defaults.
func registerHTTPFlags(fs *flag.FlagSet, c *httpConfig) {
	fs.StringVar(&c.Listen, "listen", c.Listen, "address to serve HTTP on")
	fs.DurationVar(&c.ReadTimeout, "read-timeout", c.ReadTimeout, "time a client has to send a whole request; slower ones are cut off")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", c.IdleTimeout, "how long an idle keep-alive connection stays open")
	fs.IntVar(&c.MaxConns, "max-conns", c.MaxConns, "open connections at most; above it new ones get 503 with Retry-After")
}

func (c httpConfig) validate() error {
	if c.ReadTimeout <= 0 || c.WriteTimeout <= 0 || c.IdleTimeout <= 0 || c.MaxConns < 1 {
		return errors.New("-read-timeout, -idle-timeout and -max-conns must be positive")
	}
	return nil
}

// newFiber returns the router a table of routes is mounted on. The body
// guard runs first: ambiguous framing, multipart bodies, and compressed
// bodies on routes that do not read them are refused before any handler
// can touch them.
func newFiber(c httpConfig, pages errorPages, table []route.Route) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "shukei",
		BodyLimit:             route.MaxRequestBytes,
		ReadTimeout:           c.ReadTimeout,
		WriteTimeout:          c.WriteTimeout,
		IdleTimeout:           c.IdleTimeout,
		ReadBufferSize:        8 << 10, // bounds the request line and headers
		DisableStartupMessage: true,
		// fiber trusts no proxy: c.Protocol(), c.Hostname() and c.IP()
		// never read forwarded headers. The one trusted-proxy policy is
		// the resolver's (ipaddr), which every role asks.
		EnableTrustedProxyCheck: true,
		// Every string a handler gets from the request (Params, Query,
		// Get, FormValue, Cookies) is a copy, not a view into fasthttp's
		// pooled buffers that the next request overwrites: a value kept
		// past the handler (a map key, a site's settings, a time zone
		// name) cannot change under it. scripts/loadbench measured the
		// cost (docs/hostile.md).
		Immutable:    true,
		ErrorHandler: pages.errors,
	})
	app.Use(httpbody.Guard(route.CompressedRoutes(table)))
	app.Use(securityHeaders)
	return app
}

// securityHeaders applies to every response of every role.
func securityHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	return c.Next()
}

// jsonPages answer errors and unknown paths as JSON, on a node without
// the dashboard (which answers them with its pages).
func jsonPages(log *slog.Logger) errorPages {
	return errorPages{
		errors: func(c *fiber.Ctx, err error) error {
			status, msg := fiber.StatusInternalServerError, "internal error"
			var fe *fiber.Error
			if errors.As(err, &fe) {
				status, msg = fe.Code, fe.Message
			} else {
				log.Error("request failed", "route", c.Route().Path, "err", err)
			}
			if status == fiber.StatusRequestEntityTooLarge {
				msg = fmt.Sprintf("request body is larger than the %d-byte limit", route.MaxRequestBytes)
			}
			return c.Status(status).JSON(fiber.Map{"error": msg})
		},
		notFound: func(c *fiber.Ctx) error {
			return c.Status(fiber.StatusNotFound).JSON(fiber.Map{"error": "no such endpoint"})
		},
	}
}

// httpServer serves a router on a listener until stopped.
type httpServer struct {
	app     *fiber.App
	cfg     httpConfig
	log     *slog.Logger
	ln      *closeOnce
	stopped atomic.Bool
	done    chan error
}

func newHTTPServer(app *fiber.App, c httpConfig, log *slog.Logger) *httpServer {
	return &httpServer{app: app, cfg: c, log: log, done: make(chan error, 1)}
}

// serve serves on ln, capped at MaxConns, in the background; done
// receives the result once serving ends (nil after stop).
func (s *httpServer) serve(ln net.Listener) {
	s.ln = &closeOnce{Listener: limitConns(ln, s.cfg.MaxConns)}
	s.log.Info("listening", "addr", ln.Addr().String())
	go func() {
		err := s.app.Listener(s.ln)
		if s.stopped.Load() {
			err = nil
		}
		s.done <- err
	}()
}

// stop stops accepting connections and waits for running requests until
// ctx ends.
func (s *httpServer) stop(ctx context.Context) error {
	s.stopped.Store(true)
	err := s.ln.Close()
	return errors.Join(err, s.app.ShutdownWithContext(ctx))
}

// closeOnce lets stop and fasthttp's Shutdown both close the listener:
// the second Close reports no error, so Shutdown goes on to wait for
// running requests instead of returning early.
type closeOnce struct {
	net.Listener
	once sync.Once
	err  error
}

func (l *closeOnce) Close() error {
	l.once.Do(func() { l.err = l.Listener.Close() })
	return l.err
}
