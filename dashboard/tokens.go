package dashboard

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
)

type tokensPage struct {
	Tokens []*admin.Token
	Sites  []siteItem
	// Created is the token just created, shown once: only its hash is kept.
	Created string
	Name    string
	Owner   bool
}

const maxTokenName = 100

func (u *ui) tokensPage(c *fiber.Ctx) error {
	return u.renderTokens(c, fiber.StatusOK, "", "", "")
}

func (u *ui) renderTokens(c *fiber.Ctx, status int, errMsg, created, name string) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	all, err := u.store.Tokens(c.UserContext())
	if err != nil {
		return err
	}
	p := tokensPage{Created: created, Name: name, Owner: a.user.InstanceOwner}
	for _, t := range all {
		if a.user.InstanceOwner || t.UserID == a.user.ID {
			p.Tokens = append(p.Tokens, t)
		}
	}
	if p.Sites, err = u.visibleSites(c, a); err != nil {
		return err
	}
	return u.render(c, status, "tokens", &view{Title: "tokens.title", Nav: "tokens", Error: errMsg, Page: p})
}

// tokenCreate makes a Stats API token for all the user's sites or a chosen
// few. It reads only what its user may read, now and later: a role taken
// away also takes it from the token.
func (u *ui) tokenCreate(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	cat := u.catalog(c)
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" || utf8.RuneCountInString(name) > maxTokenName || !utf8.ValidString(name) {
		return u.renderTokens(c, fiber.StatusUnprocessableEntity, cat.T("tokens.invalid_name"), "", "")
	}
	var sites []string
	if c.FormValue("scope") != "all" {
		visible, err := u.visibleSites(c, a)
		if err != nil {
			return err
		}
		sites = []string{}
		for _, d := range multiValues(c, "site") {
			if !slices.ContainsFunc(visible, func(s siteItem) bool { return s.Domain == d }) {
				return u.fail(c, fiber.StatusForbidden, "error.forbidden")
			}
			sites = append(sites, d)
		}
		if len(sites) == 0 {
			return u.renderTokens(c, fiber.StatusUnprocessableEntity, cat.T("tokens.no_site"), "", "")
		}
	}
	secret := auth.NewAPIToken()
	t := &admin.Token{UserID: a.user.ID, Name: name, Hash: auth.HashSecret(secret), Hint: secret[:len(auth.TokenPrefix)+4], Sites: sites, CreatedAt: u.now()}
	if err := u.store.CreateToken(c.UserContext(), t); err != nil {
		return err
	}
	u.log.Info("dashboard: API token created", "user", a.user.Username, "token", t.ID)
	return u.renderTokens(c, fiber.StatusOK, "", secret, name)
}

// multiValues returns every value of a repeated form field.
func multiValues(c *fiber.Ctx, name string) []string {
	var out []string
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == name && len(out) < 1000 {
			out = append(out, string(v))
		}
	})
	return out
}

// tokenRevoke deletes a token: its user's own, or any for an instance
// owner.
func (u *ui) tokenRevoke(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return u.fail(c, fiber.StatusBadRequest, "error.bad_request")
	}
	ctx := c.UserContext()
	all, err := u.store.Tokens(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(all, func(t *admin.Token) bool { return t.ID == id })
	if i < 0 || !a.user.InstanceOwner && all[i].UserID != a.user.ID {
		return u.fail(c, fiber.StatusNotFound, "error.not_found")
	}
	if err := u.store.DeleteToken(ctx, id); errors.Is(err, admin.ErrNotFound) {
		return u.fail(c, fiber.StatusNotFound, "error.not_found")
	} else if err != nil {
		return err
	}
	return c.Redirect("/tokens?notice=notice.token_revoked", fiber.StatusSeeOther)
}
