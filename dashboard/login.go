package dashboard

import (
	"errors"
	"math"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
)

type loginPage struct {
	Username string
	Next     string
	// Insecure warns that the page came over plain HTTP from a host that
	// is not loopback: browsers drop the Secure session cookie there.
	Insecure bool
}

func (u *ui) home(c *fiber.Ctx) error {
	if u.setup.code() != "" {
		return c.Redirect("/setup", fiber.StatusSeeOther)
	}
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	if a.signedIn() {
		return c.Redirect("/sites", fiber.StatusSeeOther)
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

func (u *ui) loginForm(c *fiber.Ctx) error {
	if u.setup.code() != "" {
		return c.Redirect("/setup", fiber.StatusSeeOther)
	}
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	next := localPath(c.Query("next"))
	if a.signedIn() {
		return c.Redirect(next, fiber.StatusSeeOther)
	}
	return u.render(c, fiber.StatusOK, "login", &view{Title: "login.title", CSRF: u.anonToken(c),
		Page: loginPage{Next: next, Insecure: u.insecureOrigin(c)}})
}

// insecureOrigin reports a plain-HTTP request to a host other than
// loopback, where browsers refuse the Secure session cookie.
func (u *ui) insecureOrigin(c *fiber.Ctx) bool {
	if u.cfg.InsecureCookies || u.requestScheme(c) == "https" {
		return false
	}
	host := u.requestHost(c)
	if h, _, found := strings.Cut(host, ":"); found && !strings.HasPrefix(host, "[") {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err != nil || !ip.IsLoopback()
}

func (u *ui) loginSubmit(c *fiber.Ctx) error {
	cat := u.catalog(c)
	page := loginPage{Username: c.FormValue("username"), Next: localPath(c.FormValue("next")), Insecure: u.insecureOrigin(c)}
	again := func(status int, msg string) error {
		return u.render(c, status, "login", &view{Title: "login.title", CSRF: u.anonToken(c), Error: msg, Page: page})
	}
	busy := func() error {
		u.metrics.logins.WithLabelValues("busy").Inc()
		c.Set(fiber.HeaderRetryAfter, retryAfter(busyRetryAfter))
		return again(fiber.StatusServiceUnavailable, cat.T("error.busy"))
	}
	name, nameErr := admin.NormalizeUsername(page.Username)
	at, wait, err := u.throttle.begin(u.networkKey(c), name)
	switch {
	case errors.Is(err, errHashesInProgress):
		return busy()
	case at == nil:
		u.metrics.logins.WithLabelValues("throttled").Inc()
		c.Set(fiber.HeaderRetryAfter, retryAfter(wait))
		return again(fiber.StatusTooManyRequests, cat.T("login.throttled", "minutes", int(math.Ceil(wait.Minutes()))))
	}
	ok, user, err := u.verifyLogin(c, name, nameErr, c.FormValue("password"))
	switch {
	case errors.Is(err, auth.ErrBusy):
		at.abandoned()
		return busy()
	case err != nil:
		at.abandoned()
		return err
	case !ok:
		at.failed()
		u.metrics.logins.WithLabelValues("wrong").Inc()
		return again(fiber.StatusUnauthorized, cat.T("login.wrong"))
	}
	at.succeeded()
	return u.passwordAccepted(c, user, page.Next)
}

// verifyLogin checks name's password, spending the same hash time on an
// unknown name, and stores a stronger hash when the stored one is weaker
// than the configured cost.
func (u *ui) verifyLogin(c *fiber.Ctx, name string, nameErr error, password string) (bool, *admin.User, error) {
	user, err := u.store.UserByName(c.UserContext(), name)
	if nameErr != nil || errors.Is(err, admin.ErrNotFound) {
		return false, nil, u.hasher.VerifyDummy(password)
	}
	if err != nil {
		return false, nil, err
	}
	ok, rehash, err := u.hasher.Verify(user.PasswordHash, password)
	if err != nil || !ok {
		return false, nil, err
	}
	if rehash {
		if err := u.rehash(c, user, password); err != nil && !errors.Is(err, auth.ErrBusy) {
			return false, nil, err
		}
	}
	return true, user, nil
}

// retryAfter formats a Retry-After value: whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
}

// passwordAccepted starts the session: at the second-factor step when the
// account has TOTP, signed in otherwise.
func (u *ui) passwordAccepted(c *fiber.Ctx, user *admin.User, next string) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	if user.TOTPEnabled() {
		if err := u.startSession(c, a, user, admin.StageSecondFactor); err != nil {
			return err
		}
		return c.Redirect("/login/second-factor?next="+url.QueryEscape(next), fiber.StatusSeeOther)
	}
	if err := u.startSession(c, a, user, admin.StageSignedIn); err != nil {
		return err
	}
	u.metrics.logins.WithLabelValues("ok").Inc()
	u.log.Info("dashboard: signed in", "user", user.Username)
	if user.MustChangePassword {
		return c.Redirect("/account?notice=notice.change_password", fiber.StatusSeeOther)
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (u *ui) rehash(c *fiber.Ctx, user *admin.User, password string) error {
	hash, err := u.hasher.Hash(password)
	if err != nil {
		return err
	}
	return u.store.SetPassword(c.UserContext(), user.ID, hash, user.MustChangePassword)
}

// networkKey is the rate-limit key of the client's network: its address
// truncated like the collector's (/24, /48). It is hashed by the limiter
// and never stored or logged.
func (u *ui) networkKey(c *fiber.Ctx) []byte {
	t, err := u.ips.FromRequest(remoteAddr(c), &c.Request().Header)
	if err != nil {
		return []byte("network\x00unknown")
	}
	return t.AppendTo([]byte("network\x00"))
}

func (u *ui) logout(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	if err := u.endSession(c, a); err != nil {
		return err
	}
	return c.Redirect("/login?notice=notice.signed_out", fiber.StatusSeeOther)
}

// localPath returns p if it is a path on this server, "/sites" otherwise:
// the redirect after sign-in can never lead to another site.
func localPath(p string) string {
	const fallback = "/sites"
	if len(p) == 0 || len(p) > 1024 || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return fallback
	}
	parsed, err := url.Parse(p)
	if err != nil || parsed.Scheme != "" || parsed.Host != "" || parsed.Opaque != "" {
		return fallback
	}
	if strings.HasPrefix(parsed.Path, "/login") || strings.HasPrefix(parsed.Path, "/logout") {
		return fallback
	}
	return strings.Clone(p)
}
