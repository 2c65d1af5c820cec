package dashboard

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/site"
)

// setupState is the first-run setup: while no account exists, the setup
// page creates the instance owner, but only for someone who has the
// one-time code printed on the server's console at start. There is no
// default password, and a server reachable from the internet before its
// owner signs up cannot be claimed by a stranger.
type setupState struct {
	mu  sync.Mutex
	val string // "" once an account exists
}

func newSetupState(ctx context.Context, store *admin.Store) (*setupState, error) {
	n, err := store.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	s := &setupState{}
	if n == 0 {
		codes := auth.NewRecoveryCodes(1) // 12 unambiguous characters
		s.val = codes[0]
	}
	return s, nil
}

func (s *setupState) code() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.val
}

func (s *setupState) done() {
	s.mu.Lock()
	s.val = ""
	s.mu.Unlock()
}

func (s *setupState) matches(input string) bool {
	want := s.code()
	got, ok := auth.NormalizeRecoveryCode(input)
	return want != "" && ok && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

type setupPage struct {
	Code     string
	Username string
}

func (u *ui) setupForm(c *fiber.Ctx) error {
	if u.setup.code() == "" {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return u.render(c, fiber.StatusOK, "setup", &view{Title: "setup.title", CSRF: u.anonToken(c),
		Page: setupPage{Code: strings.Clone(c.Query("code"))}})
}

func (u *ui) setupSubmit(c *fiber.Ctx) error {
	if u.setup.code() == "" {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	cat := u.catalog(c)
	page := setupPage{Code: c.FormValue("code"), Username: c.FormValue("username")}
	again := func(msg string) error {
		return u.render(c, fiber.StatusUnprocessableEntity, "setup", &view{Title: "setup.title", CSRF: u.anonToken(c), Error: msg, Page: page})
	}
	if !u.setup.matches(page.Code) {
		u.metrics.logins.WithLabelValues("wrong").Inc()
		return again(cat.T("setup.wrong_code"))
	}
	name, err := admin.NormalizeUsername(page.Username)
	if err != nil {
		return again(cat.T("user.invalid_name"))
	}
	password := c.FormValue("password")
	if msg := u.passwordProblem(c, password, c.FormValue("password2"), name); msg != "" {
		return again(msg)
	}
	hash, err := u.hasher.Hash(password)
	if err != nil {
		return err
	}
	owner := &admin.User{Username: name, PasswordHash: hash, CreatedAt: u.now()}
	if err := u.store.CreateFirstOwner(c.UserContext(), owner); errors.Is(err, admin.ErrExists) {
		u.setup.done()
		return c.Redirect("/login", fiber.StatusSeeOther)
	} else if err != nil {
		return err
	}
	u.setup.done()
	u.log.Info("dashboard: owner account created", "user", owner.Username)
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	if err := u.startSession(c, a, owner, admin.StageSignedIn); err != nil {
		return err
	}
	return c.Redirect(welcomePage(u.sites.All()), fiber.StatusSeeOther)
}

// welcomePage is where the new owner lands: the site's dashboard when the
// server counts one (-site), the list when it counts several, and adding
// a site only when there is none.
func welcomePage(sites []*site.Site) string {
	switch len(sites) {
	case 0:
		return "/add-site?notice=notice.welcome"
	case 1:
		return "/sites/" + sites[0].Domain + "?notice=notice.welcome_site"
	}
	return "/sites?notice=notice.welcome_sites"
}

// passwordProblem checks a new password and its confirmation, and returns
// the message to show, "" when fine.
func (u *ui) passwordProblem(c *fiber.Ctx, password, confirm, username string) string {
	cat := u.catalog(c)
	if password != confirm {
		return cat.T("password.mismatch")
	}
	var pe *auth.PolicyError
	if err := auth.CheckPassword(password, username); errors.As(err, &pe) {
		return cat.T(pe.Key, "min", auth.MinPasswordLen, "max", auth.MaxPasswordLen)
	}
	return ""
}
