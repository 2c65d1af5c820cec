package dashboard

import (
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
)

// reqAuth is what a request is signed in as. It is loaded once per request.
type reqAuth struct {
	rawID   string // the session id from the cookie, "" when none is valid
	session *admin.Session
	user    *admin.User
	roles   map[string]admin.Role // loaded on first use
}

// signedIn reports a full session (password and, if on, second factor).
func (a *reqAuth) signedIn() bool {
	return a.session != nil && a.session.Stage == admin.StageSignedIn
}

// secondFactorWindow bounds the time between the password and the TOTP
// step.
const secondFactorWindow = 5 * time.Minute

// touchEvery limits last-seen updates to one write a minute per session.
const touchEvery = time.Minute

const localsAuth = "shukei.auth"

// cookieName is the session cookie. The __Host- prefix makes browsers
// refuse it unless it is Secure, host-only and for path /, so no other
// host or path can set or shadow it.
func (u *ui) cookieName() string {
	if u.cfg.InsecureCookies {
		return "shukei_session"
	}
	return "__Host-shukei_session"
}

// requestAuth returns the request's session, loading it on first call.
func (u *ui) requestAuth(c *fiber.Ctx) (*reqAuth, error) {
	if a, ok := c.Locals(localsAuth).(*reqAuth); ok {
		return a, nil
	}
	a, err := u.loadSession(c)
	if err != nil {
		return nil, err
	}
	c.Locals(localsAuth, a)
	return a, nil
}

func (u *ui) loadSession(c *fiber.Ctx) (*reqAuth, error) {
	a := &reqAuth{}
	id := c.Cookies(u.cookieName())
	if id == "" || len(id) > 128 {
		return a, nil
	}
	ctx := c.UserContext()
	hash := auth.HashSecret(id)
	ss, err := u.store.SessionByHash(ctx, hash)
	switch {
	case errors.Is(err, admin.ErrNotFound):
		return a, nil
	case err != nil:
		return nil, err
	}
	now := u.now()
	if u.expired(ss, now) {
		return a, u.store.DeleteSession(ctx, hash)
	}
	user, err := u.store.UserByID(ctx, ss.UserID)
	switch {
	case errors.Is(err, admin.ErrNotFound):
		return a, u.store.DeleteSession(ctx, hash)
	case err != nil:
		return nil, err
	}
	if now.Sub(ss.LastSeen) >= touchEvery {
		if err := u.store.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
		ss.LastSeen = now
	}
	a.rawID, a.session, a.user = id, ss, user
	return a, nil
}

// expired applies the idle and absolute timeouts, and the short window of
// the second-factor step.
func (u *ui) expired(ss *admin.Session, now time.Time) bool {
	if ss.Stage == admin.StageSecondFactor {
		return now.Sub(ss.CreatedAt) > secondFactorWindow
	}
	return now.Sub(ss.LastSeen) > u.cfg.SessionIdle || now.Sub(ss.CreatedAt) > u.cfg.SessionMax
}

// startSession replaces the request's session (if any) by a new one with a
// fresh id and CSRF token: ids rotate at each step of signing in, so an id
// planted before sign-in (session fixation) never becomes a signed-in one.
func (u *ui) startSession(c *fiber.Ctx, a *reqAuth, user *admin.User, stage int) error {
	ctx := c.UserContext()
	if a.rawID != "" {
		if err := u.store.DeleteSession(ctx, auth.HashSecret(a.rawID)); err != nil {
			return err
		}
	}
	now := u.now()
	id := auth.NewSecret()
	ss := &admin.Session{IDHash: auth.HashSecret(id), UserID: user.ID, CSRF: auth.NewSecret(), Stage: stage, CreatedAt: now, LastSeen: now}
	if err := u.store.CreateSession(ctx, ss); err != nil {
		return fmt.Errorf("start session: %w", err)
	}
	lifetime := u.cfg.SessionMax
	if stage == admin.StageSecondFactor {
		lifetime = secondFactorWindow
	}
	u.setCookie(c, u.cookieName(), id, lifetime, fiber.CookieSameSiteLaxMode)
	a.rawID, a.session, a.user, a.roles = id, ss, user, nil
	return nil
}

// endSession deletes the request's session and its cookie.
func (u *ui) endSession(c *fiber.Ctx, a *reqAuth) error {
	if a.rawID != "" {
		if err := u.store.DeleteSession(c.UserContext(), auth.HashSecret(a.rawID)); err != nil {
			return err
		}
	}
	u.setCookie(c, u.cookieName(), "", 0, fiber.CookieSameSiteLaxMode)
	*a = reqAuth{}
	return nil
}

// setCookie sets an HttpOnly cookie for path / on this host only; Secure
// unless -insecure-cookies (loopback only) is on. Its lifetime is a
// Max-Age, relative to the browser's clock; "" deletes the cookie.
func (u *ui) setCookie(c *fiber.Ctx, name, value string, lifetime time.Duration, sameSite string) {
	ck := &fiber.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(lifetime / time.Second),
		Secure: !u.cfg.InsecureCookies, HTTPOnly: true, SameSite: sameSite,
	}
	if value == "" {
		ck.MaxAge = -1
	}
	c.Cookie(ck)
}

// roleOn returns the user's role on a site: instance owners own every site.
func (u *ui) roleOn(c *fiber.Ctx, a *reqAuth, domain string) (admin.Role, error) {
	if a.user == nil {
		return admin.RoleNone, nil
	}
	if _, ok := u.sites.Lookup(domain); !ok {
		return admin.RoleNone, nil
	}
	if a.user.InstanceOwner {
		return admin.RoleOwner, nil
	}
	if a.roles == nil {
		roles, err := u.store.RolesOf(c.UserContext(), a.user.ID)
		if err != nil {
			return admin.RoleNone, err
		}
		a.roles = roles
	}
	return a.roles[domain], nil
}
