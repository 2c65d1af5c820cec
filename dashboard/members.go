package dashboard

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
)

// memberSubmit gives an existing user a role on the site (or changes it).
func (u *ui) memberSubmit(c *fiber.Ctx) error {
	domain := strings.Clone(c.Params("domain"))
	cat := u.catalog(c)
	name, err := admin.NormalizeUsername(c.FormValue("username"))
	if err != nil {
		return u.renderSettings(c, fiber.StatusUnprocessableEntity, cat.T("user.invalid_name"), nil)
	}
	role, ok := admin.ParseRole(c.FormValue("role"))
	if !ok {
		return u.fail(c, fiber.StatusBadRequest, "error.bad_request")
	}
	ctx := c.UserContext()
	user, err := u.store.UserByName(ctx, name)
	if errors.Is(err, admin.ErrNotFound) {
		return u.renderSettings(c, fiber.StatusUnprocessableEntity, cat.T("members.no_user"), nil)
	} else if err != nil {
		return err
	}
	if err := u.store.SetRole(ctx, user.ID, domain, role); err != nil {
		return err
	}
	u.log.Info("dashboard: role granted", "site", domain, "user", user.Username, "role", role.String())
	return c.Redirect("/sites/"+domain+"/settings?notice=notice.member_saved#members", fiber.StatusSeeOther)
}

// memberRemove takes a user's role on the site away.
func (u *ui) memberRemove(c *fiber.Ctx) error {
	domain := strings.Clone(c.Params("domain"))
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return u.fail(c, fiber.StatusBadRequest, "error.bad_request")
	}
	if err := u.store.RemoveRole(c.UserContext(), id, domain); err != nil {
		return err
	}
	return c.Redirect("/sites/"+domain+"/settings?notice=notice.member_removed#members", fiber.StatusSeeOther)
}
