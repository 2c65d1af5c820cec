package dashboard

import (
	"crypto/subtle"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/route"
)

// Shared links: a secret, revocable, read-only link to one site's
// dashboard for colleagues without an account (/share/<domain>?auth=…),
// optionally with a password. The store keeps the secret's SHA-256 and the
// password's Argon2id hash; a link reads the statistics of its site only,
// through the Stats API with the secret in the X-Shukei-Share header, and
// nothing else (no settings, no other site, no goal changes).
const (
	shareHeader = "X-Shukei-Share"
	// shareTries is how many wrong passwords a network may send to one
	// link per limitWindow.
	shareTries     = 5
	shareCookieAge = 12 * time.Hour
	maxLinkName    = 100
)

type sharedLinkView struct {
	ID        int64
	Name      string
	Password  bool
	CreatedAt string
}

// sharedLinkViews lists a site's links for its settings page.
func (u *ui) sharedLinkViews(c *fiber.Ctx, domain string) ([]sharedLinkView, error) {
	links, err := u.store.SharedLinks(c.UserContext(), domain)
	if err != nil {
		return nil, err
	}
	out := make([]sharedLinkView, 0, len(links))
	for _, l := range links {
		out = append(out, sharedLinkView{ID: l.ID, Name: l.Name, Password: l.PasswordHash != "", CreatedAt: l.CreatedAt.Format("2006-01-02 15:04")})
	}
	return out, nil
}

// shareCreate makes a link; its address is shown once, on the settings
// page this answers with.
func (u *ui) shareCreate(c *fiber.Ctx) error {
	s, ok := u.sites.Lookup(c.Params("domain"))
	if !ok {
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	}
	name := strings.TrimSpace(c.FormValue("name"))
	password := c.FormValue("password")
	switch {
	case name == "" || len(name) > maxLinkName:
		return u.renderSettings(c, fiber.StatusUnprocessableEntity, u.catalog(c).T("share.invalid_name"), nil)
	case password != "" && len(password) < auth.MinPasswordLen:
		return u.renderSettings(c, fiber.StatusUnprocessableEntity, u.catalog(c).T("share.short_password", "min", auth.MinPasswordLen), nil)
	}
	secret := auth.NewSecret()
	l := &admin.SharedLink{Domain: s.Domain, Name: strings.Clone(name), SecretHash: auth.HashSecret(secret), CreatedAt: u.now()}
	if password != "" {
		h, err := u.hasher.Hash(password)
		if err != nil {
			return err
		}
		l.PasswordHash = h
	}
	if err := u.store.CreateSharedLink(c.UserContext(), l); err != nil {
		return err
	}
	u.log.Info("dashboard: shared link created", "site", s.Domain, "link", l.ID)
	c.Locals(localsNewShare, u.requestScheme(c)+"://"+u.requestHost(c)+"/share/"+s.Domain+"?auth="+secret)
	return u.renderSettings(c, fiber.StatusOK, "", nil)
}

const localsNewShare = "shukei.newShare"

// shareRevoke deletes a link: its address stops working at once.
func (u *ui) shareRevoke(c *fiber.Ctx) error {
	s, ok := u.sites.Lookup(c.Params("domain"))
	if !ok {
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return u.fail(c, fiber.StatusNotFound, "share.not_found")
	}
	switch err := u.store.DeleteSharedLink(c.UserContext(), s.Domain, id); {
	case errors.Is(err, admin.ErrNotFound):
		return u.fail(c, fiber.StatusNotFound, "share.not_found")
	case err != nil:
		return err
	}
	u.log.Info("dashboard: shared link revoked", "site", s.Domain, "link", id)
	return c.Redirect("/sites/"+s.Domain+"/settings?notice=notice.share_revoked#share-h", fiber.StatusSeeOther)
}

// sharedLink finds the link a request's auth secret names, for the site
// in its path.
func (u *ui) sharedLink(c *fiber.Ctx, secret string) (*admin.SharedLink, error) {
	if len(secret) < 32 || len(secret) > 64 {
		return nil, admin.ErrNotFound
	}
	l, err := u.store.SharedLinkByHash(c.UserContext(), auth.HashSecret(secret))
	if err != nil {
		return nil, err
	}
	if _, ok := u.sites.Lookup(l.Domain); !ok {
		return nil, admin.ErrNotFound
	}
	return l, nil
}

func (u *ui) shareCookieName() string {
	if u.cfg.InsecureCookies {
		return "shukei_share"
	}
	return "__Host-shukei_share"
}

// shareProof is what the cookie of a link's password holds: derived from
// the stored hashes, so that it cannot be made without the password having
// been checked, and stops working when the link is revoked.
func shareProof(l *admin.SharedLink) string {
	return auth.HashSecret("shukei share proof\x00" + l.SecretHash + "\x00" + l.PasswordHash)
}

func (u *ui) shareUnlocked(c *fiber.Ctx, l *admin.SharedLink) bool {
	if l.PasswordHash == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(c.Cookies(u.shareCookieName())), []byte(shareProof(l))) == 1
}

type sharePasswordPage struct {
	Domain, Auth string
}

// shareView shows the shared dashboard, or asks for the link's password.
func (u *ui) shareView(c *fiber.Ctx) error {
	secret := c.Query("auth")
	l, err := u.sharedLink(c, secret)
	if err != nil || l.Domain != strings.ToLower(c.Params("domain")) {
		if err != nil && !errors.Is(err, admin.ErrNotFound) {
			return err
		}
		return u.fail(c, fiber.StatusNotFound, "share.not_found")
	}
	c.Set("Referrer-Policy", "no-referrer") // the secret is in the address
	if !u.shareUnlocked(c, l) {
		return u.render(c, fiber.StatusOK, "share_password", &view{Title: "share.password_title", CSRF: u.anonToken(c),
			Page: sharePasswordPage{Domain: l.Domain, Auth: secret}})
	}
	s, _ := u.sites.Lookup(l.Domain)
	p := u.board(c, s, admin.RoleViewer, []siteItem{{Domain: s.Domain}})
	p.Config.Share = secret
	p.Shared = true
	return u.render(c, fiber.StatusOK, "board", &view{Title: "board.title", Page: p})
}

// shareUnlock checks a link's password, limited per link and network,
// and sets the cookie that opens the link in this browser.
func (u *ui) shareUnlock(c *fiber.Ctx) error {
	// A sign-in form of its own: same origin and the double-submit token,
	// checked before anything else.
	if !u.sameOrigin(c) || !u.anonTokenOK(c) {
		return u.fail(c, fiber.StatusForbidden, "error.csrf")
	}
	secret := c.Query("auth")
	l, err := u.sharedLink(c, secret)
	if err != nil || l.Domain != strings.ToLower(c.Params("domain")) || l.PasswordHash == "" {
		if err != nil && !errors.Is(err, admin.ErrNotFound) {
			return err
		}
		return u.fail(c, fiber.StatusNotFound, "share.not_found")
	}
	c.Set("Referrer-Policy", "no-referrer")
	page := &view{Title: "share.password_title", CSRF: u.anonToken(c), Page: sharePasswordPage{Domain: l.Domain, Auth: secret}}
	key := append([]byte("share:"+strconv.FormatInt(l.ID, 10)+":"), u.networkKey(c)...)
	if wait := u.shareTries.Wait(key); wait > 0 {
		page.Error = u.catalog(c).T("login.throttled", "minutes", int(wait/time.Minute)+1)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait/time.Second)+1))
		return u.render(c, fiber.StatusTooManyRequests, "share_password", page)
	}
	ok, _, err := u.hasher.Verify(l.PasswordHash, c.FormValue("password"))
	if err != nil {
		return err
	}
	if !ok {
		u.shareTries.Fail(key)
		page.Error = u.catalog(c).T("share.wrong_password")
		return u.render(c, fiber.StatusUnauthorized, "share_password", page)
	}
	u.setCookie(c, u.shareCookieName(), shareProof(l), shareCookieAge, fiber.CookieSameSiteStrictMode)
	return c.Redirect("/share/"+l.Domain+"?auth="+secret, fiber.StatusSeeOther)
}

// shareGrant admits a Stats API read of the link's site: only the query
// and stats endpoints (not the goals API), only that site, and only once
// a password link was opened with its password in this browser.
func (s *statsAuth) shareGrant(c *fiber.Ctx, secret string) (route.Grant, error) {
	u := s.srv.ui
	p := c.Path()
	if !strings.HasPrefix(p, "/api/v2/query") && !strings.HasPrefix(p, "/api/v1/stats/") {
		return nil, nil
	}
	l, err := u.sharedLink(c, secret)
	if errors.Is(err, admin.ErrNotFound) {
		return nil, nil
	}
	if err != nil || !u.shareUnlocked(c, l) {
		return nil, err
	}
	return shareGrant(l.Domain), nil
}

type shareGrant string

// Allows implements route.Grant.
func (g shareGrant) Allows(_ *fiber.Ctx, domain string) (bool, error) {
	return domain == string(g), nil
}
