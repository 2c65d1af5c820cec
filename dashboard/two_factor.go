package dashboard

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/dashboard/qr"
)

// recoveryCodeCount is how many single-use recovery codes a user gets.
const recoveryCodeCount = 10

type twoFactorPage struct {
	Secret string
	URI    template.URL  // our own otpauth: URI; html/template would blank an unknown scheme
	QR     template.HTML // an SVG drawn by package qr from the URI
}

func (u *ui) twoFactorForm(c *fiber.Ctx) error {
	return u.renderTwoFactor(c, fiber.StatusOK, auth.NewTOTPSecret(), "")
}

func (u *ui) renderTwoFactor(c *fiber.Ctx, status int, secret, errMsg string) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	if a.user.TOTPEnabled() {
		return c.Redirect("/account", fiber.StatusSeeOther)
	}
	uri := auth.TOTPURI(secret, "Shukei", a.user.Username)
	svg, err := qr.SVG(uri)
	if err != nil {
		return err
	}
	return u.render(c, status, "two_factor", &view{Title: "two_factor.title", Nav: "account", Error: errMsg,
		Page: twoFactorPage{Secret: secret, URI: template.URL(uri), QR: svg}}) //nolint:gosec // built by auth.TOTPURI from escaped parts
}

// twoFactorEnable turns TOTP on once the user proves their app has the
// secret (a valid code) and their password; then shows recovery codes once.
func (u *ui) twoFactorEnable(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	cat := u.catalog(c)
	secret := c.FormValue("secret")
	key, err := auth.DecodeTOTPSecret(secret)
	if err != nil || a.user.TOTPEnabled() {
		return u.fail(c, fiber.StatusBadRequest, "error.bad_request")
	}
	ok, err := u.checkPassword(c, a.user.PasswordHash, c.FormValue("password"))
	if err != nil {
		return err
	}
	if !ok {
		return u.renderTwoFactor(c, fiber.StatusUnauthorized, secret, cat.T("account.wrong_password"))
	}
	step, ok := auth.VerifyTOTP(key, c.FormValue("code"), u.now(), 0)
	if !ok {
		return u.renderTwoFactor(c, fiber.StatusUnprocessableEntity, secret, cat.T("two_factor.wrong_code"))
	}
	ctx := c.UserContext()
	if err := u.store.SetTOTP(ctx, a.user.ID, secret); err != nil {
		return err
	}
	// The code just used cannot be used again to sign in.
	if _, err := u.store.ClaimTOTPStep(ctx, a.user.ID, step); err != nil {
		return err
	}
	u.log.Info("dashboard: second factor enabled", "user", a.user.Username)
	return u.showRecoveryCodes(c, a.user.ID)
}

// showRecoveryCodes replaces the user's recovery codes and shows the new
// ones, once: only their hashes are stored.
func (u *ui) showRecoveryCodes(c *fiber.Ctx, userID int64) error {
	codes := auth.NewRecoveryCodes(recoveryCodeCount)
	hashes := make([]string, len(codes))
	for i, code := range codes {
		hashes[i] = auth.HashSecret(code)
	}
	if err := u.store.ReplaceRecoveryCodes(c.UserContext(), userID, hashes); err != nil {
		return err
	}
	return u.render(c, fiber.StatusOK, "recovery_codes", &view{Title: "recovery.title", Nav: "account", Page: codes})
}

// twoFactorDisable turns TOTP off, with the password.
func (u *ui) twoFactorDisable(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	ok, err := u.checkPassword(c, a.user.PasswordHash, c.FormValue("password"))
	if err != nil {
		return err
	}
	if !ok {
		return u.renderAccount(c, fiber.StatusUnauthorized, u.catalog(c).T("account.wrong_password"))
	}
	ctx := c.UserContext()
	if err := u.store.SetTOTP(ctx, a.user.ID, ""); err != nil {
		return err
	}
	if err := u.store.ReplaceRecoveryCodes(ctx, a.user.ID, nil); err != nil {
		return err
	}
	u.log.Info("dashboard: second factor disabled", "user", a.user.Username)
	return c.Redirect("/account?notice=notice.two_factor_off", fiber.StatusSeeOther)
}

// recoveryRegenerate issues new recovery codes, with the password.
func (u *ui) recoveryRegenerate(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	if !a.user.TOTPEnabled() {
		return c.Redirect("/account", fiber.StatusSeeOther)
	}
	ok, err := u.checkPassword(c, a.user.PasswordHash, c.FormValue("password"))
	if err != nil {
		return err
	}
	if !ok {
		return u.renderAccount(c, fiber.StatusUnauthorized, u.catalog(c).T("account.wrong_password"))
	}
	return u.showRecoveryCodes(c, a.user.ID)
}
