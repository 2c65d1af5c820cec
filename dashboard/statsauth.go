package dashboard

import (
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/route"
)

// statsAuth authenticates Stats API requests (route.Authenticator) from
// their headers alone, before the API reads any body:
//
//   - "Authorization: Bearer shk_…": an API token created in the dashboard,
//     for the sites it names (or all), as long as its user may still read
//     the site;
//   - any other bearer token: the start-up token, for every site;
//   - the X-Shukei-Share header: a shared link's secret, for its site's
//     statistics only (sharedlinks.go);
//   - no bearer token: the dashboard's signed-in session, with the
//     session's CSRF token in the X-CSRF-Token header (never a form field:
//     that would parse the body) and a same-origin request, for the sites
//     the user has a role on.
type statsAuth struct {
	srv     *Server
	startup string
}

// StatsAuthorizer returns the Stats API's authorizer: the dashboard's API
// tokens and sessions, and the start-up token. It may be taken before
// Start; it authenticates requests once Start has returned.
func (s *Server) StatsAuthorizer() route.Authenticator {
	return &statsAuth{srv: s, startup: s.deps.StartupToken}
}

// Authenticate implements route.Authenticator.
func (s *statsAuth) Authenticate(c *fiber.Ctx) (route.Grant, error) {
	if secret := c.Get(shareHeader); secret != "" {
		return s.shareGrant(c, secret)
	}
	if token, ok := route.BearerToken(c); ok {
		if strings.HasPrefix(token, auth.TokenPrefix) {
			if g, err := s.apiToken(c, token); g != nil || err != nil {
				return g, err
			}
		}
		if route.SameToken(s.startup, token) {
			return route.AllSites{}, nil
		}
		return nil, nil
	}
	u := s.srv.ui
	if !u.sameOrigin(c) {
		return nil, nil
	}
	a, err := u.requestAuth(c)
	if err != nil || !a.signedIn() || a.user.MustChangePassword || !headerTokenOK(c, a.session.CSRF) {
		return nil, err
	}
	return &userGrant{ui: u, auth: a}, nil
}

// userGrant lets a user read the sites they have a role on, and an API
// token the sites it names among those.
type userGrant struct {
	ui    *ui
	auth  *reqAuth
	sites []string // nil: every site of the user
}

// Allows implements route.Grant.
func (g *userGrant) Allows(c *fiber.Ctx, domain string) (bool, error) {
	if g.sites != nil && !slices.Contains(g.sites, domain) {
		return false, nil
	}
	role, err := g.ui.roleOn(c, g.auth, domain)
	return role >= admin.RoleViewer, err
}

// apiToken checks a dashboard-created token and records its use (at most
// once a minute). It returns nil for an unknown token.
func (s *statsAuth) apiToken(c *fiber.Ctx, token string) (route.Grant, error) {
	u := s.srv.ui
	ctx := c.UserContext()
	t, err := u.store.TokenByHash(ctx, auth.HashSecret(token))
	switch {
	case errors.Is(err, admin.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	}
	user, err := u.store.UserByID(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if now := u.now(); now.Sub(t.LastUsed) >= touchEvery {
		if err := u.store.TouchToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return &userGrant{ui: u, auth: &reqAuth{user: user}, sites: t.Sites}, nil
}
