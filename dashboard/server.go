// Package dashboard is Shukei's web front: one HTTP listener serving the
// collector's ingest endpoints, the Stats API, health and metrics, and the
// administrators' dashboard — accounts and sessions, sites and their
// settings, API tokens, users and roles, and the statistics pages in
// English and Japanese.
//
// Every route is declared in one table with the access it requires
// (routes.go); a test walks the router and fails on any route missing from
// it. The dashboard reads statistics only through the Stats API, from the
// browser, with the session cookie and a CSRF header.
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator/statsapi"
	"github.com/shukei-analytics/shukei/collector/ipaddr"
	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/internal/httpbody"
	"github.com/shukei-analytics/shukei/site"
)

// Mounter is a role that serves HTTP routes (the collector).
type Mounter interface {
	Routes(r fiber.Router)
}

// Config configures the HTTP server and the dashboard.
type Config struct {
	Listen string
	// ReadTimeout bounds reading one request, so slow clients cannot pin
	// connections.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	IdleTimeout  time.Duration
	// MaxConns caps the open connections (default 10,000); above it a
	// connection is answered 503 with Retry-After (connlimit.go).
	MaxConns int

	// AdminPath is the admin database file; "" keeps it in memory (tests).
	AdminPath string
	// InsecureCookies names the session cookie without the __Host- prefix
	// and the Secure attribute, for browsers that refuse Secure cookies on
	// http://127.0.0.1. It is refused unless Listen is a loopback address,
	// so a production server never sends its session over plain HTTP.
	InsecureCookies bool
	// SessionIdle ends a session unused for this long (default 2h);
	// SessionMax ends any session this long after sign-in (default 12h).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// Password sets argon2id's cost; zero means auth.DefaultParams.
	Password auth.Params
	// Notice holds the collector settings the privacy-notice page
	// describes (address truncation, geolocation, public URL); the page
	// sets Site and Lang per request.
	Notice public.NoticeConfig
	// Now is the clock; tests inject one.
	Now func() time.Time
}

// DefaultConfig returns the defaults (Listen has none).
func DefaultConfig() Config {
	return Config{
		ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 75 * time.Second,
		MaxConns:    10_000,
		SessionIdle: 2 * time.Hour, SessionMax: 12 * time.Hour,
		Password: auth.DefaultParams,
	}
}

// EnsureDefaults fills the fields left zero.
func (c *Config) EnsureDefaults() {
	d := DefaultConfig()
	c.ReadTimeout = orDefault(c.ReadTimeout, d.ReadTimeout)
	c.WriteTimeout = orDefault(c.WriteTimeout, d.WriteTimeout)
	c.IdleTimeout = orDefault(c.IdleTimeout, d.IdleTimeout)
	if c.MaxConns == 0 {
		c.MaxConns = d.MaxConns
	}
	c.SessionIdle = orDefault(c.SessionIdle, d.SessionIdle)
	c.SessionMax = orDefault(c.SessionMax, d.SessionMax)
	if c.Password == (auth.Params{}) {
		c.Password = d.Password
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate checks the values.
func (c *Config) Validate() error {
	if c.Listen == "" {
		return errors.New("dashboard: listen address is empty")
	}
	if c.SessionIdle > c.SessionMax {
		return fmt.Errorf("dashboard: session idle timeout %v is longer than the maximum %v", c.SessionIdle, c.SessionMax)
	}
	if c.InsecureCookies && !loopbackListen(c.Listen) {
		return fmt.Errorf("dashboard: -insecure-cookies is only allowed when listening on a loopback address, not %q", c.Listen)
	}
	return nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// loopbackListen reports whether addr only accepts local connections.
func loopbackListen(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// Deps are the server's collaborators.
type Deps struct {
	Log        *slog.Logger
	Gatherer   prometheus.Gatherer
	Registerer prometheus.Registerer
	// Sites is the live registry; sites added in the dashboard are loaded
	// into it at start.
	Sites *site.Registry
	// FlagSites are the domains given on the command line: their time zone
	// is the flag's and they cannot be removed in the dashboard.
	FlagSites []string
	// Ingest is the collector (nil in a process without one).
	Ingest Mounter
	// Stats answers Stats API queries; Realtime counts current visitors
	// (nil without a collector).
	Stats    statsapi.Querier
	Realtime statsapi.Realtime
	// ScrubCounts tells what the URL scrubber changed per site, for the
	// settings page (the collector; nil without one).
	ScrubCounts ScrubCounter
	// ExtraRoutes extends the route table for other roles, such as the
	// public statistics pages. A route with a Handler is mounted behind the
	// guard of its access like the dashboard's own; a route without one is
	// mounted by its role (through Ingest) and is only declared here, so
	// the tests that walk the router cover it — it must be AccessPublic.
	ExtraRoutes []Route
	// StartupToken is the start-up API token, accepted for every site as
	// a fallback to the tokens created in the dashboard ("" for none).
	StartupToken string
	// Resolver is the server's one client-address resolver and
	// trusted-proxy policy (collector/ipaddr), shared with the collector:
	// it gives the network a sign-in comes from, and the scheme and host
	// the browser addressed. nil trusts no proxy.
	Resolver *ipaddr.Resolver
}

// MaxRequestBytes bounds any request body; routes enforce tighter limits
// (4 KiB for a hit) with their own messages.
const MaxRequestBytes = 64 << 10

// Server is the HTTP role.
type Server struct {
	cfg   Config
	deps  Deps
	app   *fiber.App
	log   *slog.Logger
	admin *admin.Store
	ui    *ui
	wg    sync.WaitGroup

	// mu orders Serve and Stop, which may run in either order: a Stop
	// before Serve makes Serve return at once, a Stop during it closes the
	// listener (fasthttp's Shutdown alone misses a listener it has not
	// registered yet, and would leave Serve running).
	mu      sync.Mutex
	stopped bool
	ln      net.Listener
	cancel  context.CancelFunc
}

// New opens the admin database under cfg.AdminPath, loads the sites added
// in the dashboard into deps.Sites, and builds the router.
func New(ctx context.Context, cfg Config, deps Deps) (*Server, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Sites == nil || deps.Stats == nil {
		return nil, errors.New("dashboard: the site registry and the Stats API querier are required")
	}
	if err := checkExtraRoutes(deps.ExtraRoutes); err != nil {
		return nil, err
	}
	store, err := admin.Open(ctx, admin.Config{Path: cfg.AdminPath}, deps.Log)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Log, admin: store}
	if err := s.build(ctx); err != nil {
		return nil, errors.Join(err, store.Close())
	}
	return s, nil
}

func (s *Server) build(ctx context.Context) error {
	if err := loadSites(ctx, s.admin, s.deps.Sites, s.deps.FlagSites, s.log); err != nil {
		return err
	}
	u, err := newUI(ctx, s)
	if err != nil {
		return err
	}
	s.ui = u
	s.app = fiber.New(fiber.Config{
		AppName:               "shukei",
		BodyLimit:             MaxRequestBytes,
		ReadTimeout:           s.cfg.ReadTimeout,
		WriteTimeout:          s.cfg.WriteTimeout,
		IdleTimeout:           s.cfg.IdleTimeout,
		ReadBufferSize:        8 << 10, // bounds the request line and headers
		DisableStartupMessage: true,
		// fiber trusts no proxy: c.Protocol(), c.Hostname() and c.IP()
		// never read forwarded headers. The one trusted-proxy policy is
		// Deps.Resolver's (collector/ipaddr), which every handler asks.
		EnableTrustedProxyCheck: true,
		ErrorHandler:            s.ui.errorHandler,
	})
	// The body guard runs first: ambiguous framing, multipart and
	// compressed bodies are refused before any handler can touch them.
	s.app.Use(httpbody.Guard(s.compressedRoutes()))
	s.app.Use(securityHeaders)
	s.mountRoutes()
	s.app.Use(s.ui.notFound)
	return nil
}

// App exposes the fiber app (tests drive it in-process).
func (s *Server) App() *fiber.App { return s.app }

// Admin exposes the admin database (tests and commands).
func (s *Server) Admin() *admin.Store { return s.admin }

// SetupCode returns the one-time code that the first-run setup page asks
// for, or "" once an owner account exists.
func (s *Server) SetupCode() string { return s.ui.setup.code() }

// Run serves on the configured address until Stop.
func (s *Server) Run() error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ln)
}

// Serve serves on ln until Stop, and sweeps expired sessions and rate-limit
// counters in the background. It returns nil once stopped.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return ln.Close()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.ln = &closeOnce{Listener: limitConns(ln, s.cfg.MaxConns)}
	s.wg.Go(func() { s.ui.sweep(ctx, 10*time.Minute) })
	s.mu.Unlock()
	s.log.Info("listening", "addr", ln.Addr().String())
	return s.app.Listener(s.ln)
}

// Stop stops accepting connections, waits for running requests and closes
// the admin database.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	ln, cancel := s.ln, s.cancel
	s.mu.Unlock()
	var err error
	if ln != nil {
		err = ln.Close()
	}
	err = errors.Join(err, s.app.ShutdownWithContext(ctx))
	if cancel != nil {
		cancel()
		s.wg.Wait()
	}
	return errors.Join(err, s.admin.Close())
}

// closeOnce lets Stop and fasthttp's Shutdown both close the listener: the
// second Close reports no error, so Shutdown goes on to wait for running
// requests instead of returning early.
type closeOnce struct {
	net.Listener
	once sync.Once
	err  error
}

func (l *closeOnce) Close() error {
	l.once.Do(func() { l.err = l.Listener.Close() })
	return l.err
}
