// Package dashboard is Shukei's web front: it serves the collector's ingest
// endpoints, the Stats API, health and metrics on one HTTP listener, and
// (later) the administrators' dashboard and public pages.
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Mounter is a role that serves HTTP routes (the collector, the Stats API).
type Mounter interface {
	Routes(r fiber.Router)
}

// Config configures the HTTP server.
type Config struct {
	Listen string
	// ReadTimeout bounds reading one request, so slow clients cannot pin
	// connections.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
}

// Validate fills defaults.
func (c *Config) Validate() error {
	if c.Listen == "" {
		return errors.New("dashboard: listen address is empty")
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 10 * time.Second
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 30 * time.Second
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 75 * time.Second
	}
	return nil
}

// MaxRequestBytes bounds any request body; routes enforce tighter limits
// (4 KiB for a hit) with their own messages.
const MaxRequestBytes = 64 << 10

// Server is the HTTP role.
type Server struct {
	cfg Config
	app *fiber.App
	log *slog.Logger
}

// New builds the server and mounts the roles' routes.
func New(cfg Config, gatherer prometheus.Gatherer, log *slog.Logger, roles ...Mounter) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	app := fiber.New(fiber.Config{
		AppName:               "shukei",
		BodyLimit:             MaxRequestBytes,
		ReadTimeout:           cfg.ReadTimeout,
		WriteTimeout:          cfg.WriteTimeout,
		IdleTimeout:           cfg.IdleTimeout,
		ReadBufferSize:        8 << 10, // bounds the request line and headers
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler,
	})
	app.Use(securityHeaders)
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{})))
	for _, r := range roles {
		r.Routes(app)
	}
	app.Use(func(c *fiber.Ctx) error {
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{"error": "no such endpoint"})
	})
	return &Server{cfg: cfg, app: app, log: log}, nil
}

// App exposes the fiber app (tests drive it in-process).
func (s *Server) App() *fiber.App { return s.app }

// Run serves on the configured address until Stop.
func (s *Server) Run() error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ln)
}

// Serve serves on ln until Stop.
func (s *Server) Serve(ln net.Listener) error {
	s.log.Info("listening", "addr", ln.Addr().String())
	return s.app.Listener(ln)
}

// Stop stops accepting connections and waits for running requests.
func (s *Server) Stop(ctx context.Context) error {
	return s.app.ShutdownWithContext(ctx)
}

// errorHandler answers every error as JSON, including those fasthttp raises
// before a handler runs (a body over the limit, a malformed request).
func errorHandler(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	msg := "internal error"
	var fe *fiber.Error
	if errors.As(err, &fe) {
		status, msg = fe.Code, fe.Message
	}
	if status == fiber.StatusRequestEntityTooLarge {
		msg = fmt.Sprintf("request body is larger than the %d-byte limit", MaxRequestBytes)
	}
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

func securityHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	return c.Next()
}
