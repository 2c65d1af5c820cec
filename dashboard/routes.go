package dashboard

import (
	"errors"
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
	// handler is nil for routes another role mounts (the collector, the
	// Stats API); they are listed so that the table is complete.
	handler fiber.Handler
	// passwordChange lets a user who must change their password through.
	passwordChange bool
}

// Routes is the allowlist: every route the server serves, with the access
// it requires. A route not in this table fails the tests that walk the
// router (here and in cmd/shukei, with every role mounted).
func (s *Server) Routes() []Route {
	u := s.ui
	get, post := fiber.MethodGet, fiber.MethodPost
	return []Route{
		{Method: get, Path: "/healthz", Access: AccessPublic, handler: func(c *fiber.Ctx) error { return c.SendString("ok") }},
		{Method: get, Path: "/metrics", Access: AccessPublic, handler: adaptor.HTTPHandler(promhttp.HandlerFor(s.deps.Gatherer, promhttp.HandlerOpts{}))},
		{Method: get, Path: "/assets/:version/*", Access: AccessPublic, handler: u.assets.serve},
		{Method: get, Path: "/favicon.ico", Access: AccessPublic, handler: u.assets.favicon},

		// The collector's endpoints (collector.Routes): ingest, readiness, the
		// tracker script.
		{Method: post, Path: "/api/event", Access: AccessPublic},
		{Method: fiber.MethodOptions, Path: "/api/event", Access: AccessPublic},
		{Method: get, Path: "/api/pixel.gif", Access: AccessPublic},
		{Method: get, Path: "/readyz", Access: AccessPublic},
		{Method: get, Path: "/js/:file", Access: AccessPublic}, // the tracker snippet
		// The Stats API (statsapi.Routes), authorised by statsAuth.
		{Method: post, Path: "/api/v2/query", Access: AccessStats},
		{Method: get, Path: "/api/v1/stats/realtime/visitors", Access: AccessStats},

		{Method: get, Path: "/", Access: AccessPublic, handler: u.home},
		{Method: get, Path: "/setup", Access: AccessAnonymous, handler: u.setupForm},
		{Method: post, Path: "/setup", Access: AccessAnonymous, handler: u.setupSubmit},
		{Method: get, Path: "/login", Access: AccessAnonymous, handler: u.loginForm},
		{Method: post, Path: "/login", Access: AccessAnonymous, handler: u.loginSubmit},
		{Method: get, Path: "/login/second-factor", Access: AccessSecondFactor, handler: u.secondFactorForm},
		{Method: post, Path: "/login/second-factor", Access: AccessSecondFactor, handler: u.secondFactorSubmit},
		{Method: post, Path: "/logout", Access: AccessSession, handler: u.logout, passwordChange: true},

		{Method: get, Path: "/sites", Access: AccessUser, handler: u.sitesPage},
		{Method: get, Path: "/add-site", Access: AccessInstanceOwner, handler: u.addSiteForm},
		{Method: post, Path: "/add-site", Access: AccessInstanceOwner, handler: u.addSiteSubmit},
		{Method: get, Path: "/sites/:domain", Access: AccessSiteViewer, handler: u.boardPage},
		{Method: get, Path: "/sites/:domain/settings", Access: AccessSiteAdmin, handler: u.settingsPage},
		{Method: post, Path: "/sites/:domain/settings", Access: AccessSiteAdmin, handler: u.settingsSubmit},
		{Method: post, Path: "/sites/:domain/members", Access: AccessSiteOwner, handler: u.memberSubmit},
		{Method: post, Path: "/sites/:domain/members/:id/remove", Access: AccessSiteOwner, handler: u.memberRemove},
		{Method: post, Path: "/sites/:domain/remove", Access: AccessSiteOwner, handler: u.siteRemove},

		{Method: get, Path: "/account", Access: AccessUser, handler: u.accountPage, passwordChange: true},
		{Method: post, Path: "/account/password", Access: AccessUser, handler: u.passwordSubmit, passwordChange: true},
		{Method: post, Path: "/account/sessions", Access: AccessUser, handler: u.endOtherSessions},
		{Method: get, Path: "/account/two-factor", Access: AccessUser, handler: u.twoFactorForm},
		{Method: post, Path: "/account/two-factor", Access: AccessUser, handler: u.twoFactorEnable},
		{Method: post, Path: "/account/two-factor/disable", Access: AccessUser, handler: u.twoFactorDisable},
		{Method: post, Path: "/account/recovery-codes", Access: AccessUser, handler: u.recoveryRegenerate},

		{Method: get, Path: "/tokens", Access: AccessUser, handler: u.tokensPage},
		{Method: post, Path: "/tokens", Access: AccessUser, handler: u.tokenCreate},
		{Method: post, Path: "/tokens/:id/revoke", Access: AccessUser, handler: u.tokenRevoke},

		{Method: get, Path: "/users", Access: AccessInstanceOwner, handler: u.usersPage},
		{Method: post, Path: "/users", Access: AccessInstanceOwner, handler: u.userCreate},
		{Method: post, Path: "/users/:id/reset-password", Access: AccessInstanceOwner, handler: u.userResetPassword},
		{Method: post, Path: "/users/:id/reset-two-factor", Access: AccessInstanceOwner, handler: u.userResetTwoFactor},
		{Method: post, Path: "/users/:id/owner", Access: AccessInstanceOwner, handler: u.userSetOwner},
		{Method: post, Path: "/users/:id/delete", Access: AccessInstanceOwner, handler: u.userDelete},
	}
}

// mountRoutes registers the table's handlers behind their access guard,
// then the routes of the collector and the Stats API.
func (s *Server) mountRoutes() {
	for _, r := range s.Routes() {
		if r.handler == nil {
			continue
		}
		s.app.Add(r.Method, r.Path, s.ui.guard(r), r.handler)
	}
	if s.deps.Ingest != nil {
		s.deps.Ingest.Routes(s.app)
	}
	auth := &statsAuth{ui: s.ui, startup: statsapi.StaticToken(s.deps.StartupToken)}
	statsapi.New(s.deps.Stats, s.deps.Realtime, auth, s.deps.Sites, s.log).Routes(s.app)
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
		if r.handler != nil && !seen[key] {
			problems = append(problems, "table route "+key+" is not registered")
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}
