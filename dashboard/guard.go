package dashboard

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/route"
)

// For is the dashboard's part of the root's guard (route.Checker): the
// middleware that enforces a session-based access level before the
// route's handler runs — provenance and CSRF token on state changes, the
// session's step, a pending password change, and the role on the route's
// site or the instance. For route.Stats it lets the request through: the
// Stats API authorizes each request for the site it asks about, through
// the dashboard's tokens and sessions (StatsAuthorizer). It returns nil
// for the levels it does not enforce (public, local).
func (s *Server) For(a route.Access) fiber.Handler {
	switch a {
	case route.Public, route.Local:
		return nil
	case route.Stats:
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	if a.String() == "" {
		return nil
	}
	return s.ui.guard(a)
}

func (u *ui) guard(access route.Access) fiber.Handler {
	return func(c *fiber.Ctx) error {
		unsafe := c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead
		if unsafe && !u.sameOrigin(c) {
			u.metrics.refused.WithLabelValues("cross_site").Inc()
			return u.fail(c, fiber.StatusForbidden, "error.cross_site")
		}
		a, err := u.requestAuth(c)
		if err != nil {
			return err
		}
		if access == route.Anonymous {
			if unsafe && !u.anonTokenOK(c) {
				u.metrics.refused.WithLabelValues("csrf").Inc()
				return u.fail(c, fiber.StatusForbidden, "error.csrf")
			}
			return c.Next()
		}
		if ok, err := u.stepOK(c, access, a, unsafe); !ok || err != nil {
			return err
		}
		if unsafe && !sessionTokenOK(c, a.session.CSRF) {
			u.metrics.refused.WithLabelValues("csrf").Inc()
			return u.fail(c, fiber.StatusForbidden, "error.csrf")
		}
		// Signing out and the account pages stay open to a user who must
		// change their password first.
		if a.user.MustChangePassword && access != route.Session && access != route.Account {
			if unsafe {
				return u.fail(c, fiber.StatusForbidden, "error.change_password_first")
			}
			return c.Redirect("/account", fiber.StatusSeeOther)
		}
		if ok, err := u.roleOK(c, access, a); !ok || err != nil {
			return err
		}
		return c.Next()
	}
}

// stepOK checks the session's sign-in step. When it fails it has already
// answered: a page asks to sign in, a state change is refused.
func (u *ui) stepOK(c *fiber.Ctx, access route.Access, a *reqAuth, unsafe bool) (bool, error) {
	var ok bool
	switch access {
	case route.SecondFactor:
		ok = a.session != nil && a.session.Stage == admin.StageSecondFactor
	case route.Session:
		ok = a.session != nil
	default:
		ok = a.signedIn()
	}
	if ok {
		return true, nil
	}
	u.metrics.refused.WithLabelValues("signed_out").Inc()
	if unsafe {
		return false, u.fail(c, fiber.StatusUnauthorized, "error.signed_out")
	}
	next := "/login"
	if access > route.Session {
		next += "?next=" + url.QueryEscape(c.OriginalURL())
	}
	return false, c.Redirect(next, fiber.StatusSeeOther)
}

// roleOK checks the role a route needs. A site the user has no role on is
// answered 404, like a site that does not exist, so roles do not reveal
// which sites a server counts.
func (u *ui) roleOK(c *fiber.Ctx, access route.Access, a *reqAuth) (bool, error) {
	var need admin.Role
	switch access {
	case route.InstanceOwner:
		if a.user.InstanceOwner {
			return true, nil
		}
		u.metrics.refused.WithLabelValues("role").Inc()
		return false, u.fail(c, fiber.StatusForbidden, "error.forbidden")
	case route.SiteViewer:
		need = admin.RoleViewer
	case route.SiteAdmin:
		need = admin.RoleAdmin
	case route.SiteOwner:
		need = admin.RoleOwner
	default:
		return true, nil
	}
	role, err := u.roleOn(c, a, c.Params("domain"))
	switch {
	case err != nil:
		return false, err
	case role == admin.RoleNone:
		u.metrics.refused.WithLabelValues("role").Inc()
		return false, u.fail(c, fiber.StatusNotFound, "error.no_site")
	case role < need:
		u.metrics.refused.WithLabelValues("role").Inc()
		return false, u.fail(c, fiber.StatusForbidden, "error.forbidden")
	}
	return true, nil
}
