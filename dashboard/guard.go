package dashboard

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
)

// guard enforces a route's access before its handler runs: provenance and
// CSRF token on state changes, the session's step, a pending password
// change, and the role on the route's site or the instance.
func (u *ui) guard(r Route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if r.Access == AccessPublic {
			return c.Next()
		}
		unsafe := c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead
		if unsafe && !u.sameOrigin(c) {
			u.metrics.refused.WithLabelValues("cross_site").Inc()
			return u.fail(c, fiber.StatusForbidden, "error.cross_site")
		}
		a, err := u.requestAuth(c)
		if err != nil {
			return err
		}
		if r.Access == AccessAnonymous {
			if unsafe && !u.anonTokenOK(c) {
				u.metrics.refused.WithLabelValues("csrf").Inc()
				return u.fail(c, fiber.StatusForbidden, "error.csrf")
			}
			return c.Next()
		}
		if ok, err := u.stepOK(c, r.Access, a, unsafe); !ok || err != nil {
			return err
		}
		if unsafe && !sessionTokenOK(c, a.session.CSRF) {
			u.metrics.refused.WithLabelValues("csrf").Inc()
			return u.fail(c, fiber.StatusForbidden, "error.csrf")
		}
		if a.user.MustChangePassword && !r.passwordChange {
			if unsafe {
				return u.fail(c, fiber.StatusForbidden, "error.change_password_first")
			}
			return c.Redirect("/account", fiber.StatusSeeOther)
		}
		if ok, err := u.roleOK(c, r.Access, a); !ok || err != nil {
			return err
		}
		return c.Next()
	}
}

// stepOK checks the session's sign-in step. When it fails it has already
// answered: a page asks to sign in, a state change is refused.
func (u *ui) stepOK(c *fiber.Ctx, access Access, a *reqAuth, unsafe bool) (bool, error) {
	var ok bool
	switch access {
	case AccessSecondFactor:
		ok = a.session != nil && a.session.Stage == admin.StageSecondFactor
	case AccessSession:
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
	if access > AccessSession {
		next += "?next=" + url.QueryEscape(c.OriginalURL())
	}
	return false, c.Redirect(next, fiber.StatusSeeOther)
}

// roleOK checks the role a route needs. A site the user has no role on is
// answered 404, like a site that does not exist, so roles do not reveal
// which sites a server counts.
func (u *ui) roleOK(c *fiber.Ctx, access Access, a *reqAuth) (bool, error) {
	var need admin.Role
	switch access {
	case AccessInstanceOwner:
		if a.user.InstanceOwner {
			return true, nil
		}
		u.metrics.refused.WithLabelValues("role").Inc()
		return false, u.fail(c, fiber.StatusForbidden, "error.forbidden")
	case AccessSiteViewer:
		need = admin.RoleViewer
	case AccessSiteAdmin:
		need = admin.RoleAdmin
	case AccessSiteOwner:
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
