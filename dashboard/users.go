package dashboard

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
)

type userRow struct {
	*admin.User
	Roles map[string]admin.Role
}

type usersPage struct {
	Users []userRow
	// Created is the account just created or reset, with its temporary
	// password, shown once.
	Created     string
	TempPass    string
	CurrentUser int64
}

func (u *ui) usersPage(c *fiber.Ctx) error {
	return u.renderUsers(c, fiber.StatusOK, "", usersPage{})
}

func (u *ui) renderUsers(c *fiber.Ctx, status int, errMsg string, p usersPage) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	users, err := u.store.Users(ctx)
	if err != nil {
		return err
	}
	for _, usr := range users {
		roles, err := u.store.RolesOf(ctx, usr.ID)
		if err != nil {
			return err
		}
		p.Users = append(p.Users, userRow{User: usr, Roles: roles})
	}
	p.CurrentUser = a.user.ID
	return u.render(c, status, "users", &view{Title: "users.title", Nav: "users", Error: errMsg, Page: p})
}

// tempPassword is a generated first password: the user must replace it at
// first sign-in.
func tempPassword() string {
	codes := auth.NewRecoveryCodes(2) // about 118 random bits together
	return codes[0] + "-" + codes[1]
}

// userCreate adds an account with a temporary password shown once to the
// instance owner, who passes it on; the user must change it.
func (u *ui) userCreate(c *fiber.Ctx) error {
	cat := u.catalog(c)
	name, err := admin.NormalizeUsername(c.FormValue("username"))
	if err != nil {
		return u.renderUsers(c, fiber.StatusUnprocessableEntity, cat.T("user.invalid_name"), usersPage{})
	}
	pass := tempPassword()
	hash, err := u.hasher.Hash(pass)
	if err != nil {
		return err
	}
	user := &admin.User{Username: name, PasswordHash: hash, MustChangePassword: true, CreatedAt: u.now()}
	if err := u.store.CreateUser(c.UserContext(), user); errors.Is(err, admin.ErrExists) {
		return u.renderUsers(c, fiber.StatusUnprocessableEntity, cat.T("user.exists"), usersPage{})
	} else if err != nil {
		return err
	}
	u.log.Info("dashboard: user created", "user", name)
	return u.renderUsers(c, fiber.StatusOK, "", usersPage{Created: name, TempPass: pass})
}

// target loads the :id user of a users route.
func (u *ui) target(c *fiber.Ctx) (*admin.User, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return nil, u.fail(c, fiber.StatusBadRequest, "error.bad_request")
	}
	user, err := u.store.UserByID(c.UserContext(), id)
	if errors.Is(err, admin.ErrNotFound) {
		return nil, u.fail(c, fiber.StatusNotFound, "error.not_found")
	}
	return user, err
}

// userResetPassword gives the user a new temporary password and signs
// them out everywhere.
func (u *ui) userResetPassword(c *fiber.Ctx) error {
	user, err := u.target(c)
	if user == nil {
		return err
	}
	pass := tempPassword()
	hash, err := u.hasher.Hash(pass)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if err := u.store.SetPassword(ctx, user.ID, hash, true); err != nil {
		return err
	}
	if err := u.store.DeleteUserSessions(ctx, user.ID, ""); err != nil {
		return err
	}
	return u.renderUsers(c, fiber.StatusOK, "", usersPage{Created: user.Username, TempPass: pass})
}

// userResetTwoFactor turns off a user's second factor (a lost phone).
func (u *ui) userResetTwoFactor(c *fiber.Ctx) error {
	user, err := u.target(c)
	if user == nil {
		return err
	}
	ctx := c.UserContext()
	if err := u.store.SetTOTP(ctx, user.ID, ""); err != nil {
		return err
	}
	if err := u.store.ReplaceRecoveryCodes(ctx, user.ID, nil); err != nil {
		return err
	}
	return c.Redirect("/users?notice=notice.two_factor_reset", fiber.StatusSeeOther)
}

// userSetOwner grants or takes instance ownership; the last owner stays.
func (u *ui) userSetOwner(c *fiber.Ctx) error {
	user, err := u.target(c)
	if user == nil {
		return err
	}
	owner := c.FormValue("owner") == "on"
	if !owner && user.InstanceOwner {
		if ok, err := u.notLastOwner(c); !ok || err != nil {
			return err
		}
	}
	if err := u.store.SetInstanceOwner(c.UserContext(), user.ID, owner); err != nil {
		return err
	}
	return c.Redirect("/users?notice=notice.user_saved", fiber.StatusSeeOther)
}

// userDelete removes an account; not oneself, and not the last owner.
func (u *ui) userDelete(c *fiber.Ctx) error {
	user, err := u.target(c)
	if user == nil {
		return err
	}
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	if user.ID == a.user.ID {
		return u.renderUsers(c, fiber.StatusConflict, u.catalog(c).T("users.not_yourself"), usersPage{})
	}
	if user.InstanceOwner {
		if ok, err := u.notLastOwner(c); !ok || err != nil {
			return err
		}
	}
	if err := u.store.DeleteUser(c.UserContext(), user.ID); err != nil {
		return err
	}
	u.log.Info("dashboard: user deleted", "user", user.Username)
	return c.Redirect("/users?notice=notice.user_deleted", fiber.StatusSeeOther)
}

func (u *ui) notLastOwner(c *fiber.Ctx) (bool, error) {
	n, err := u.store.CountInstanceOwners(c.UserContext())
	if err != nil {
		return false, err
	}
	if n <= 1 {
		return false, u.renderUsers(c, fiber.StatusConflict, u.catalog(c).T("users.last_owner"), usersPage{})
	}
	return true, nil
}
