// Package route is the one type in which every role hands its HTTP routes
// to the composition root (cmd/shukei): the method, the path, the access a
// request needs and the handler. The root collects every role's routes
// into one table, checks it (Check), and mounts it behind one guard
// (Mount), so a route cannot be served without its access being stated and
// enforced, and no role mounts routes of its own.
//
// It is a leaf package: the roles depend on this data type, not on each
// other or on the root.
package route

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Access is what a route requires of a request.
type Access uint8

// The access levels, from open to closed.
const (
	// Public: anyone (ingest, health, metrics, assets, public pages).
	Public Access = iota + 1
	// Anonymous: the sign-in and setup forms; their POSTs carry a
	// double-submit CSRF token.
	Anonymous
	// Stats: the Stats API, authorised per site by a bearer token or a
	// signed-in session with the CSRF header.
	Stats
	// SecondFactor: a session whose password step is done and whose TOTP
	// step is pending.
	SecondFactor
	// Session: any session, at either step (signing out).
	Session
	// Account: a signed-in user's own account pages, which stay open while
	// the user must change their password first.
	Account
	// User: any signed-in user.
	User
	// SiteViewer, SiteAdmin, SiteOwner: a role on the site named by the
	// route's :domain.
	SiteViewer
	SiteAdmin
	SiteOwner
	// InstanceOwner: an instance owner (users, adding sites).
	InstanceOwner
	// Local: the server's local administration endpoint, for the shukei
	// commands run on the same machine: the bearer token kept under the
	// data directory, from a loopback client.
	Local
	maxAccess
)

var accessNames = [...]string{
	Public: "public", Anonymous: "anonymous", Stats: "stats-api",
	SecondFactor: "second-factor", Session: "session", Account: "account", User: "user",
	SiteViewer: "site-viewer", SiteAdmin: "site-admin", SiteOwner: "site-owner",
	InstanceOwner: "instance-owner", Local: "local",
}

func (a Access) String() string {
	if a == 0 || a >= maxAccess {
		return ""
	}
	return accessNames[a]
}

// Route is one entry of the route table.
type Route struct {
	Method  string
	Path    string
	Access  Access
	Handler fiber.Handler
	// Compressed: the handler reads its body through the bounded reader
	// (internal/httpbody) and accepts one gzip or deflate layer; every
	// other route's request with a Content-Encoding is refused with 415
	// before its handler runs.
	Compressed bool
}

// CompressedRoutes returns whether a method and path of routes accepts a
// compressed body, for the body guard (httpbody.Guard).
func CompressedRoutes(routes []Route) func(method, path string) bool {
	set := map[string]bool{}
	for _, r := range routes {
		if r.Compressed {
			set[r.key()] = true
		}
	}
	return func(method, path string) bool { return set[method+" "+path] }
}

func (r Route) key() string { return r.Method + " " + r.Path }

// Checker enforces access levels: For returns the middleware that admits
// a request to a route of access a (calling c.Next) or answers it, or nil
// for a level it does not enforce. The dashboard enforces the session
// levels and the Stats API's; the root enforces Local.
type Checker interface {
	For(a Access) fiber.Handler
}

// Check checks a route table: every route has a method, a path starting
// with "/", a handler and a known access level, and no method and path is
// declared twice (by one role or by two).
func Check(routes []Route) error {
	var problems []string
	seen := map[string]bool{}
	for _, r := range routes {
		switch {
		case r.Method == "" || !strings.HasPrefix(r.Path, "/"):
			problems = append(problems, fmt.Sprintf("route %q %q: a method and a path starting with / are required", r.Method, r.Path))
		case r.Access.String() == "":
			problems = append(problems, fmt.Sprintf("route %s has no access rule", r.key()))
		case r.Handler == nil:
			problems = append(problems, fmt.Sprintf("route %s has no handler", r.key()))
		case seen[r.key()]:
			problems = append(problems, fmt.Sprintf("route %s is declared twice", r.key()))
		}
		seen[r.key()] = true
	}
	return joinProblems(problems)
}

// Mount checks routes and registers each on r behind the middleware that
// enforces its access, found among checkers. A route whose access no
// checker enforces is refused (on a node without the dashboard, a route
// needing a session cannot be served), so the whole table is mounted or
// nothing is.
func Mount(r fiber.Router, routes []Route, checkers ...Checker) error {
	if err := Check(routes); err != nil {
		return err
	}
	guards := make([]fiber.Handler, len(routes))
	var problems []string
	for i, rt := range routes {
		if rt.Access == Public {
			continue
		}
		for _, c := range checkers {
			if guards[i] = c.For(rt.Access); guards[i] != nil {
				break
			}
		}
		if guards[i] == nil {
			problems = append(problems, fmt.Sprintf("route %s requires %s, which nothing on this node checks", rt.key(), rt.Access))
		}
	}
	if err := joinProblems(problems); err != nil {
		return err
	}
	for i, rt := range routes {
		if guards[i] == nil {
			r.Add(rt.Method, rt.Path, rt.Handler)
		} else {
			r.Add(rt.Method, rt.Path, guards[i], rt.Handler)
		}
	}
	return nil
}

// CheckRouter compares what app serves with the table: every registered
// route must be in it (a HEAD route answers with its GET route), and every
// route of the table must be registered. Tests call it on a fully wired
// server, so a route registered behind the table's back fails them.
func CheckRouter(app *fiber.App, routes []Route) error {
	listed := map[string]bool{}
	for _, r := range routes {
		listed[r.key()] = true
	}
	var problems []string
	seen := map[string]bool{}
	for _, r := range app.GetRoutes(true) {
		m := r.Method
		if m == fiber.MethodHead {
			m = fiber.MethodGet
		}
		key := m + " " + r.Path
		if !listed[key] && !seen[key] {
			problems = append(problems, "route "+key+" is served but not in the route table: declare it with the access it requires")
		}
		seen[key] = true
	}
	for key := range listed {
		if !seen[key] {
			problems = append(problems, "table route "+key+" is not registered")
		}
	}
	return joinProblems(problems)
}

func joinProblems(problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	slices.Sort(problems)
	return errors.New(strings.Join(problems, "\n"))
}
