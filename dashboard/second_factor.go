package dashboard

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
)

type secondFactorPage struct {
	Next string
}

func (u *ui) secondFactorForm(c *fiber.Ctx) error {
	return u.render(c, fiber.StatusOK, "second_factor", &view{Title: "second_factor.title",
		Page: secondFactorPage{Next: localPath(c.Query("next"))}})
}

// secondFactorSubmit accepts a TOTP code (each time step once: a replayed
// code is refused) or an unused recovery code, then rotates the session id
// again into a signed-in session.
func (u *ui) secondFactorSubmit(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	cat := u.catalog(c)
	page := secondFactorPage{Next: localPath(c.FormValue("next"))}
	again := func(status int, msg string) error {
		return u.render(c, status, "second_factor", &view{Title: "second_factor.title", Error: msg, Page: page})
	}
	key := []byte("second\x00" + strconv.FormatInt(a.user.ID, 10))
	if wait := u.bySecond.Wait(key); wait > 0 {
		u.metrics.logins.WithLabelValues("throttled").Inc()
		c.Set(fiber.HeaderRetryAfter, fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		return again(fiber.StatusTooManyRequests, cat.T("login.throttled", "minutes", int(math.Ceil(wait.Minutes()))))
	}
	ok, err := u.checkSecondFactor(c, a.user, c.FormValue("code"))
	if err != nil {
		return err
	}
	if !ok {
		u.bySecond.Fail(key)
		u.metrics.logins.WithLabelValues("second_factor_wrong").Inc()
		return again(fiber.StatusUnauthorized, cat.T("second_factor.wrong"))
	}
	u.bySecond.Forget(key)
	if err := u.startSession(c, a, a.user, admin.StageSignedIn); err != nil {
		return err
	}
	u.metrics.logins.WithLabelValues("ok").Inc()
	u.log.Info("dashboard: signed in", "user", a.user.Username, "second_factor", true)
	if a.user.MustChangePassword {
		return c.Redirect("/account?notice=notice.change_password", fiber.StatusSeeOther)
	}
	return c.Redirect(page.Next, fiber.StatusSeeOther)
}

// checkSecondFactor verifies a TOTP code and claims its time step, or
// consumes a recovery code.
func (u *ui) checkSecondFactor(c *fiber.Ctx, user *admin.User, code string) (bool, error) {
	ctx := c.UserContext()
	if _, ok := auth.NormalizeCode(code, auth.TOTPDigits); ok {
		key, err := auth.DecodeTOTPSecret(user.TOTPSecret)
		if err != nil {
			return false, err
		}
		step, ok := auth.VerifyTOTP(key, code, u.now(), user.TOTPLastStep)
		if !ok {
			return false, nil
		}
		// The claim is atomic: two requests racing with one code cannot
		// both pass.
		return u.store.ClaimTOTPStep(ctx, user.ID, step)
	}
	if rc, ok := auth.NormalizeRecoveryCode(code); ok {
		return u.store.UseRecoveryCode(ctx, user.ID, auth.HashSecret(rc))
	}
	return false, nil
}
