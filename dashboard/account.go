package dashboard

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/auth"
)

type accountPage struct {
	TwoFactor     bool
	RecoveryLeft  int
	MustChange    bool
	MinPassword   int
	SessionMaxHrs int
}

func (u *ui) accountPage(c *fiber.Ctx) error {
	return u.renderAccount(c, fiber.StatusOK, "")
}

func (u *ui) renderAccount(c *fiber.Ctx, status int, errMsg string) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	left, err := u.store.CountRecoveryCodes(c.UserContext(), a.user.ID)
	if err != nil {
		return err
	}
	return u.render(c, status, "account", &view{Title: "account.title", Nav: "account", Error: errMsg, Page: accountPage{
		TwoFactor: a.user.TOTPEnabled(), RecoveryLeft: left, MustChange: a.user.MustChangePassword,
		MinPassword: auth.MinPasswordLen, SessionMaxHrs: int(u.cfg.SessionMax.Hours()),
	}})
}

// passwordSubmit changes the password: the current one is asked again (a
// borrowed session alone cannot lock the owner out), every other session
// of the user ends, and this one gets a new id.
func (u *ui) passwordSubmit(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	cat := u.catalog(c)
	ok, err := u.checkPassword(c, a.user.PasswordHash, c.FormValue("current"))
	if err != nil {
		return err
	}
	if !ok {
		return u.renderAccount(c, fiber.StatusUnauthorized, cat.T("account.wrong_password"))
	}
	password := c.FormValue("password")
	if msg := u.passwordProblem(c, password, c.FormValue("password2"), a.user.Username); msg != "" {
		return u.renderAccount(c, fiber.StatusUnprocessableEntity, msg)
	}
	if c.FormValue("current") == password {
		return u.renderAccount(c, fiber.StatusUnprocessableEntity, cat.T("password.same"))
	}
	hash, err := u.hasher.Hash(password)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if err := u.store.SetPassword(ctx, a.user.ID, hash, false); err != nil {
		return err
	}
	a.user.MustChangePassword = false
	if err := u.store.DeleteUserSessions(ctx, a.user.ID, auth.HashSecret(a.rawID)); err != nil {
		return err
	}
	if err := u.startSession(c, a, a.user, a.session.Stage); err != nil {
		return err
	}
	u.log.Info("dashboard: password changed", "user", a.user.Username)
	return c.Redirect("/account?notice=notice.password_changed", fiber.StatusSeeOther)
}

// checkPassword re-verifies a signed-in user's password (changing it, the
// two-factor settings), under a per-user limit of its own: only the
// session's holder can trip it, so a lock-out of the sign-in by strangers
// never blocks these.
func (u *ui) checkPassword(c *fiber.Ctx, hash, password string) (bool, error) {
	a, err := u.requestAuth(c)
	if err != nil {
		return false, err
	}
	key := []byte("reverify\x00" + strconv.FormatInt(a.user.ID, 10))
	if u.reverify.Take(key) > 0 {
		return false, nil
	}
	ok, _, err := u.hasher.Verify(hash, password)
	switch {
	case err != nil:
		u.reverify.Refund(key)
	case ok:
		u.reverify.Forget(key)
	}
	return ok, err
}

// endOtherSessions signs the user out everywhere else.
func (u *ui) endOtherSessions(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	if err := u.store.DeleteUserSessions(c.UserContext(), a.user.ID, auth.HashSecret(a.rawID)); err != nil {
		return err
	}
	return c.Redirect("/account?notice=notice.sessions_ended", fiber.StatusSeeOther)
}
