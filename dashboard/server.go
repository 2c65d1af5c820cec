// Package dashboard is the administrators' dashboard role: accounts and
// sessions, sites and their settings, API tokens, users and roles, and the
// statistics pages in English and Japanese.
//
// It hands the composition root its routes, each with the access it
// requires (routes.go), and enforces the session-based access levels and
// the Stats API's authorization for the root's guard (guard.go,
// statsauth.go). The dashboard reads statistics only through the Stats
// API, from the browser, with the session cookie and a CSRF header.
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
)

// Config configures the dashboard.
type Config struct {
	// Listen is the address the server listens on; InsecureCookies is
	// refused unless it is a loopback address.
	Listen string

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
	return Config{SessionIdle: 2 * time.Hour, SessionMax: 12 * time.Hour, Password: auth.DefaultParams}
}

// EnsureDefaults fills the fields left zero.
func (c *Config) EnsureDefaults() {
	d := DefaultConfig()
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

// Deps are the dashboard's collaborators.
type Deps struct {
	Log        *slog.Logger
	Registerer prometheus.Registerer
	// Sites is the live registry; sites added in the dashboard are loaded
	// into it at start.
	Sites *site.Registry
	// FlagSites are the domains given on the command line: they cannot be
	// removed in the dashboard.
	FlagSites []string
	// FixedZones are the flag sites whose flag gave their time zone
	// (example.org=Asia/Tokyo): the dashboard shows it and cannot change
	// it. The other flag sites start in the default zone and take the one
	// set in the dashboard.
	FixedZones []string
	// ScrubCounts tells what the URL scrubber changed per site, for the
	// settings page (the collector; nil without one).
	ScrubCounts ScrubCounter
	// Drops tells a site's recently dropped hits, for the installation
	// check (the collector; nil without one).
	Drops DropReporter
	// VerifyClient fetches the site's page for the installation check;
	// nil: one that refuses loopback and link-local addresses (tests give
	// one that reaches their local page server).
	VerifyClient *http.Client
	// Audits reads what is at rest for a site, for its owners' audit page
	// (the store; nil in a process without one).
	Audits Auditor
	// StartupToken is the start-up API token, accepted for every site as
	// a fallback to the tokens created in the dashboard ("" for none).
	StartupToken string
	// Resolver is the server's one client-address resolver and
	// trusted-proxy policy (ipaddr), shared with the collector:
	// it gives the network a sign-in comes from, and the scheme and host
	// the browser addressed. nil trusts no proxy.
	Resolver *ipaddr.Resolver
}

// Server is the dashboard role.
type Server struct {
	cfg   Config
	deps  Deps
	log   *slog.Logger
	admin *admin.Store
	ui    *ui
	wg    sync.WaitGroup

	mu     sync.Mutex
	cancel context.CancelFunc
}

// New checks the configuration and returns the dashboard; Start opens its
// database.
func New(cfg Config, deps Deps) (*Server, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	if deps.Sites == nil {
		return nil, errors.New("dashboard: the site registry is required")
	}
	return &Server{cfg: cfg, deps: deps, log: deps.Log}, nil
}

// Start opens the admin database under cfg.AdminPath, loads the sites
// added in the dashboard into deps.Sites, and starts sweeping expired
// sessions. ctx bounds the start only. A failed Start closes what it
// opened.
func (s *Server) Start(ctx context.Context) error {
	store, err := admin.Open(ctx, admin.Config{Path: s.cfg.AdminPath}, s.log)
	if err != nil {
		return err
	}
	s.admin = store
	if err := s.build(ctx); err != nil {
		s.admin = nil
		return errors.Join(err, store.Close())
	}
	sweepCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.mu.Lock()
	s.cancel = cancel
	s.mu.Unlock()
	s.wg.Go(func() { s.ui.sweep(sweepCtx, 10*time.Minute) })
	return nil
}

func (s *Server) build(ctx context.Context) error {
	if err := loadSites(ctx, s.admin, s.deps.Sites, s.deps.FlagSites, s.deps.FixedZones, s.log); err != nil {
		return err
	}
	if err := loadGoals(ctx, s.admin, s.deps.Sites, s.log); err != nil {
		return err
	}
	u, err := newUI(ctx, s)
	if err != nil {
		return err
	}
	s.ui = u
	return nil
}

// Stop ends the sweep and closes the admin database. The HTTP server must
// have stopped serving the dashboard's routes first.
func (s *Server) Stop(context.Context) error {
	s.mu.Lock()
	cancel := s.cancel
	s.cancel = nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		s.wg.Wait()
	}
	if s.admin == nil {
		return nil
	}
	err := s.admin.Close()
	s.admin = nil
	return err
}

// Admin exposes the admin database (tests and commands).
func (s *Server) Admin() *admin.Store { return s.admin }

// SetupCode returns the one-time code that the first-run setup page asks
// for, or "" once an owner account exists.
func (s *Server) SetupCode() string { return s.ui.setup.code() }

// ErrorHandler answers errors as JSON for the APIs (including those
// fasthttp raises before a handler runs: a body over the limit, a
// malformed request) and as an error page for the dashboard. The root
// uses it for every route when the dashboard runs.
func (s *Server) ErrorHandler() fiber.ErrorHandler { return s.ui.errorHandler }

// NotFound answers paths no route serves: a JSON error for API paths, an
// error page otherwise.
func (s *Server) NotFound() fiber.Handler { return s.ui.notFound }
