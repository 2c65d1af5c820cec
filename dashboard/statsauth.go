package dashboard

import (
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/statsapi"
	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
)

// statsAuth authorises Stats API requests (statsapi.Authorizer):
//
//   - "Authorization: Bearer shk_…": an API token created in the dashboard,
//     for the sites it names (or all), as long as its user may still read
//     the site;
//   - any other bearer token: the start-up token, for every site;
//   - no bearer token: the dashboard's signed-in session, with the
//     session's CSRF token in X-CSRF-Token and a same-origin request, for
//     the sites the user has a role on.
type statsAuth struct {
	ui      *ui
	startup statsapi.StaticToken
}

// Authorize implements statsapi.Authorizer.
func (s *statsAuth) Authorize(c *fiber.Ctx, domain string) bool {
	ok, err := s.authorize(c, domain)
	if err != nil {
		s.ui.log.Error("dashboard: authorize stats request", "err", err)
		return false
	}
	return ok
}

func (s *statsAuth) authorize(c *fiber.Ctx, domain string) (bool, error) {
	if token, ok := statsapi.BearerToken(c); ok {
		if strings.HasPrefix(token, auth.TokenPrefix) {
			if ok, err := s.apiToken(c, token, domain); ok || err != nil {
				return ok, err
			}
		}
		return s.startup.Matches(token), nil
	}
	u := s.ui
	if !u.sameOrigin(c) {
		return false, nil
	}
	a, err := u.requestAuth(c)
	if err != nil || !a.signedIn() || a.user.MustChangePassword || !sessionTokenOK(c, a.session.CSRF) {
		return false, err
	}
	role, err := u.roleOn(c, a, domain)
	return role >= admin.RoleViewer, err
}

// apiToken checks a dashboard-created token and records its use (at most
// once a minute).
func (s *statsAuth) apiToken(c *fiber.Ctx, token, domain string) (bool, error) {
	u := s.ui
	ctx := c.UserContext()
	t, err := u.store.TokenByHash(ctx, auth.HashSecret(token))
	switch {
	case errors.Is(err, admin.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	}
	if t.Sites != nil && !slices.Contains(t.Sites, domain) {
		return false, nil
	}
	user, err := u.store.UserByID(ctx, t.UserID)
	if err != nil {
		return false, err
	}
	role, err := u.roleOn(c, &reqAuth{user: user}, domain)
	if err != nil || role < admin.RoleViewer {
		return false, err
	}
	if now := u.now(); now.Sub(t.LastUsed) >= touchEvery {
		if err := u.store.TouchToken(ctx, t.ID, now); err != nil {
			return false, err
		}
	}
	return true, nil
}
