package dashboard

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/shukei-analytics/shukei/aggregator/statsapi"
)

// Access is what a route requires of a request.
type Access uint8

// The access levels, from open to closed.
const (
	// AccessPublic: anyone (ingest, health, metrics, assets).
	AccessPublic Access = iota + 1
	// AccessAnonymous: the sign-in and setup forms; their POSTs carry a
	// double-submit CSRF token.
	AccessAnonymous
	// AccessStats: the Stats API, authorised per site by a bearer token or
	// a signed-in session with the CSRF header (see statsAuth).
	AccessStats
	// AccessSecondFactor: a session whose password step is done and whose
	// TOTP step is pending.
	AccessSecondFactor
	// AccessSession: any session, at either step (signing out).
	AccessSession
	// AccessUser: any signed-in user.
	AccessUser
	// AccessSiteViewer, AccessSiteAdmin, AccessSiteOwner: a role on the
	// site named by the route's :domain.
	AccessSiteViewer
	AccessSiteAdmin
	AccessSiteOwner
	// AccessInstanceOwner: an instance owner (users, adding sites).
	AccessInstanceOwner
)

var accessNames = map[Access]string{
	AccessPublic: "public", AccessAnonymous: "anonymous", AccessStats: "stats-api",
	AccessSecondFactor: "second-factor", AccessSession: "session", AccessUser: "user", AccessSiteViewer: "site-viewer",
	AccessSiteAdmin: "site-admin", AccessSiteOwner: "site-owner", AccessInstanceOwner: "instance-owner",
}

func (a Access) String() string { return accessNames[a] }

// Route is one entry of the route table.
type Route struct {
	Method string
	Path   string
	Access Access
	// Handler serves the route behind the guard of its access. It is nil
	// for routes another role mounts itself (the collector, the Stats API,
	// the public pages); those are listed so that the table is complete.
	Handler fiber.Handler
	// Compressed: the route's handler reads its body through the bounded
	// reader (internal/httpbody) and accepts one gzip or deflate layer;
	// every other route refuses a Content-Encoding with 415.
	Compressed bool
	// passwordChange lets a user who must change their password through.
	passwordChange bool
}

// Routes is the allowlist: every route the server serves, with the access
// it requires. A route not in this table fails the tests that walk the
// router (here and in cmd/shukei, with every role mounted).
func (s *Server) Routes() []Route {
	u := s.ui
	get, post := fiber.MethodGet, fiber.MethodPost
	table := []Route{
		{Method: get, Path: "/healthz", Access: AccessPublic, Handler: func(c *fiber.Ctx) error { return c.SendString("ok") }},
		{Method: get, Path: "/metrics", Access: AccessPublic, Handler: adaptor.HTTPHandler(promhttp.HandlerFor(s.deps.Gatherer, promhttp.HandlerOpts{}))},
		{Method: get, Path: "/assets/:version/*", Access: AccessPublic, Handler: u.serveAsset},
		{Method: get, Path: "/favicon.ico", Access: AccessPublic, Handler: u.assets.favicon},

		// The collector's endpoints (collector.Routes): ingest, readiness, the
		// tracker script.
		{Method: post, Path: "/api/event", Access: AccessPublic, Compressed: true},
		{Method: fiber.MethodOptions, Path: "/api/event", Access: AccessPublic},
		{Method: get, Path: "/api/pixel.gif", Access: AccessPublic},
		{Method: get, Path: "/readyz", Access: AccessPublic},
		{Method: get, Path: "/js/:file", Access: AccessPublic}, // the tracker snippet
		// The Stats API (statsapi.Routes), authorised by statsAuth.
		{Method: post, Path: "/api/v2/query", Access: AccessStats, Compressed: true},
		{Method: get, Path: "/api/v1/stats/realtime/visitors", Access: AccessStats},

		{Method: get, Path: "/", Access: AccessPublic, Handler: u.home},
		{Method: get, Path: "/setup", Access: AccessAnonymous, Handler: u.setupForm},
		{Method: post, Path: "/setup", Access: AccessAnonymous, Handler: u.setupSubmit},
		{Method: get, Path: "/login", Access: AccessAnonymous, Handler: u.loginForm},
		{Method: post, Path: "/login", Access: AccessAnonymous, Handler: u.loginSubmit},
		{Method: get, Path: "/login/second-factor", Access: AccessSecondFactor, Handler: u.secondFactorForm},
		{Method: post, Path: "/login/second-factor", Access: AccessSecondFactor, Handler: u.secondFactorSubmit},
		{Method: post, Path: "/logout", Access: AccessSession, Handler: u.logout, passwordChange: true},

		{Method: get, Path: "/sites", Access: AccessUser, Handler: u.sitesPage},
		{Method: get, Path: "/add-site", Access: AccessInstanceOwner, Handler: u.addSiteForm},
		{Method: post, Path: "/add-site", Access: AccessInstanceOwner, Handler: u.addSiteSubmit},
		{Method: get, Path: "/sites/:domain", Access: AccessSiteViewer, Handler: u.boardPage},
		{Method: get, Path: "/sites/:domain/privacy-notice", Access: AccessSiteViewer, Handler: u.noticeShow},
		{Method: get, Path: "/sites/:domain/settings", Access: AccessSiteAdmin, Handler: u.settingsPage},
		{Method: post, Path: "/sites/:domain/settings", Access: AccessSiteAdmin, Handler: u.settingsSubmit},
		{Method: post, Path: "/sites/:domain/members", Access: AccessSiteOwner, Handler: u.memberSubmit},
		{Method: post, Path: "/sites/:domain/members/:id/remove", Access: AccessSiteOwner, Handler: u.memberRemove},
		{Method: post, Path: "/sites/:domain/remove", Access: AccessSiteOwner, Handler: u.siteRemove},

		{Method: get, Path: "/account", Access: AccessUser, Handler: u.accountPage, passwordChange: true},
		{Method: post, Path: "/account/password", Access: AccessUser, Handler: u.passwordSubmit, passwordChange: true},
		{Method: post, Path: "/account/sessions", Access: AccessUser, Handler: u.endOtherSessions},
		{Method: get, Path: "/account/two-factor", Access: AccessUser, Handler: u.twoFactorForm},
		{Method: post, Path: "/account/two-factor", Access: AccessUser, Handler: u.twoFactorEnable},
		{Method: post, Path: "/account/two-factor/disable", Access: AccessUser, Handler: u.twoFactorDisable},
		{Method: post, Path: "/account/recovery-codes", Access: AccessUser, Handler: u.recoveryRegenerate},

		{Method: get, Path: "/tokens", Access: AccessUser, Handler: u.tokensPage},
		{Method: post, Path: "/tokens", Access: AccessUser, Handler: u.tokenCreate},
		{Method: post, Path: "/tokens/:id/revoke", Access: AccessUser, Handler: u.tokenRevoke},

		{Method: get, Path: "/users", Access: AccessInstanceOwner, Handler: u.usersPage},
		{Method: post, Path: "/users", Access: AccessInstanceOwner, Handler: u.userCreate},
		{Method: post, Path: "/users/:id/reset-password", Access: AccessInstanceOwner, Handler: u.userResetPassword},
		{Method: post, Path: "/users/:id/reset-two-factor", Access: AccessInstanceOwner, Handler: u.userResetTwoFactor},
		{Method: post, Path: "/users/:id/owner", Access: AccessInstanceOwner, Handler: u.userSetOwner},
		{Method: post, Path: "/users/:id/delete", Access: AccessInstanceOwner, Handler: u.userDelete},
	}
	return append(table, s.deps.ExtraRoutes...)
}

// checkExtraRoutes refuses a route declared by another role that would
// escape the guard: a route its role mounts itself (no Handler) gets no
// access check here, so it may only be public.
func checkExtraRoutes(routes []Route) error {
	for _, r := range routes {
		if r.Method == "" || !strings.HasPrefix(r.Path, "/") || r.Access.String() == "" {
			return fmt.Errorf("dashboard: extra route %q %q: method, path and access are required", r.Method, r.Path)
		}
		if r.Handler == nil && r.Access != AccessPublic {
			return fmt.Errorf("dashboard: extra route %s %s requires %s but has no Handler for the guard to protect", r.Method, r.Path, r.Access)
		}
	}
	return nil
}

// mountRoutes registers the table's handlers behind their access guard,
// then the routes of the collector and the Stats API.
func (s *Server) mountRoutes() {
	for _, r := range s.Routes() {
		if r.Handler == nil {
			continue
		}
		s.app.Add(r.Method, r.Path, s.ui.guard(r), r.Handler)
	}
	if s.deps.Ingest != nil {
		s.deps.Ingest.Routes(s.app)
	}
	auth := &statsAuth{ui: s.ui, startup: statsapi.StaticToken(s.deps.StartupToken)}
	statsapi.New(s.deps.Stats, s.deps.Realtime, auth, s.deps.Sites, s.log).Routes(s.app)
}

// compressedRoutes returns the routes that accept a compressed body, for
// the body guard (httpbody.Guard).
func (s *Server) compressedRoutes() func(method, path string) bool {
	set := map[string]bool{}
	for _, r := range s.Routes() {
		if r.Compressed {
			set[r.Method+" "+r.Path] = true
		}
	}
	return func(method, path string) bool { return set[method+" "+path] }
}

// CheckRoutes compares the router with the route table: every registered
// route must be listed (a HEAD route answers with its GET route), and every
// listed route with a handler must be registered. Tests call it on a fully
// wired server, so a role cannot add a route without stating its access.
func (s *Server) CheckRoutes() error {
	listed := map[string]Route{}
	for _, r := range s.Routes() {
		listed[r.Method+" "+r.Path] = r
	}
	var problems []string
	seen := map[string]bool{}
	for _, r := range s.app.GetRoutes(true) {
		m := r.Method
		if m == fiber.MethodHead {
			m = fiber.MethodGet
		}
		key := m + " " + r.Path
		if _, ok := listed[key]; !ok && !seen[key] {
			problems = append(problems, "route "+key+" is not in the route table (dashboard/routes.go): add it with the access it requires")
		}
		seen[key] = true
	}
	for key, r := range listed {
		if r.Handler != nil && !seen[key] {
			problems = append(problems, "table route "+key+" is not registered")
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}
