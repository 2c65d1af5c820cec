package dashboard

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/dashboard/i18n"
	"github.com/shukei-analytics/shukei/route"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageNames are the templates under templates/, each rendered inside
// layout.html.
var pageNames = []string{
	"error", "setup", "login", "second_factor", "sites", "add_site", "board", "settings",
	"account", "two_factor", "recovery_codes", "tokens", "users", "notice", "share_password", "audit",
}

// pages holds every page's template per language: the catalog's T is bound
// at parse time, so a page never mixes languages.
type pages struct {
	byLang map[string]map[string]*template.Template
}

func loadPages(cats map[string]*i18n.Catalog, as *assets) (*pages, error) {
	assetBase, modules := as.base, as.modules()
	p := &pages{byLang: map[string]map[string]*template.Template{}}
	for lang, cat := range cats {
		funcs := template.FuncMap{
			"t":       cat.T,
			"asset":   func(path string) string { return assetBase + "/" + path },
			"modules": func() []string { return modules },
			"datetime": func(t time.Time) string {
				if t.IsZero() {
					return ""
				}
				return t.UTC().Format(time.RFC3339)
			},
			"roleName": func(r admin.Role) string { return cat.T("role." + r.String()) },
		}
		p.byLang[lang] = map[string]*template.Template{}
		for _, name := range pageNames {
			t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("dashboard: template %s: %w", name, err)
			}
			p.byLang[lang][name] = t
		}
	}
	return p, nil
}

// view is what every page template gets.
type view struct {
	Lang   string
	Title  string // a catalog key
	Nav    string // the active navigation entry
	CSRF   string // the session's token, or the sign-in forms' double-submit token
	User   *admin.User
	Notice string // a catalog key
	Error  string // a translated message
	Page   any    // the page's own data
}

// lang picks the request's language: the switch's cookie, else the
// browser's Accept-Language.
func (u *ui) lang(c *fiber.Ctx) string {
	return i18n.Negotiate(c.Cookies("lang"), c.Get(fiber.HeaderAcceptLanguage))
}

// catalog is the request's message catalog.
func (u *ui) catalog(c *fiber.Ctx) *i18n.Catalog { return u.catalogs[u.lang(c)] }

// render answers a page. Pages are never cached: they show account data.
func (u *ui) render(c *fiber.Ctx, status int, name string, v *view) error {
	v.Lang = u.lang(c)
	if v.CSRF == "" {
		if a, _ := c.Locals(localsAuth).(*reqAuth); a != nil && a.session != nil {
			v.CSRF, v.User = a.session.CSRF, a.user
		}
	}
	if v.User == nil {
		if a, _ := c.Locals(localsAuth).(*reqAuth); a != nil && a.signedIn() {
			v.User = a.user
		}
	}
	if n := c.Query("notice"); v.Notice == "" && strings.HasPrefix(n, "notice.") && u.catalogs[v.Lang].Has(n) {
		v.Notice = n
	}
	var buf bytes.Buffer
	if err := u.pages.byLang[v.Lang][name].Execute(&buf, v); err != nil {
		return fmt.Errorf("dashboard: render %s: %w", name, err)
	}
	pageHeaders(c)
	u.hsts(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderContentLanguage, v.Lang)
	c.Set(fiber.HeaderVary, "Accept-Language, Cookie")
	return c.Status(status).Send(buf.Bytes())
}

// wantsJSON reports requests answered in JSON rather than as pages: the
// APIs, and scripts that ask for JSON.
func wantsJSON(c *fiber.Ctx) bool {
	return strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON)
}

// fail answers an error: a JSON {"error"} for APIs, an error page else.
func (u *ui) fail(c *fiber.Ctx, status int, key string) error {
	msg := u.catalogs["en"].T(key)
	if wantsJSON(c) {
		return c.Status(status).JSON(fiber.Map{"error": msg})
	}
	return u.render(c, status, "error", &view{Title: "error.title", Error: u.catalog(c).T(key)})
}

// errorHandler answers errors as JSON for the APIs (including those fasthttp
// raises before a handler runs: a body over the limit, a malformed request)
// and as an error page for the dashboard.
func (u *ui) errorHandler(c *fiber.Ctx, err error) error {
	status := fiber.StatusInternalServerError
	msg := "internal error"
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		status, msg = fe.Code, fe.Message
	case errors.Is(err, auth.ErrBusy):
		// The password-hash queue is full: a moment's wait, not a fault.
		status, msg = fiber.StatusServiceUnavailable, "the server is busy; retry shortly"
		c.Set(fiber.HeaderRetryAfter, retryAfter(busyRetryAfter))
	default:
		u.log.Error("dashboard: request failed", "route", c.Route().Path, "err", err)
	}
	if status == fiber.StatusRequestEntityTooLarge {
		msg = fmt.Sprintf("request body is larger than the %d-byte limit", route.MaxRequestBytes)
	}
	// A body over the limit is always answered in JSON: fasthttp resets
	// the request when a chunked body overflows, so its path is gone, and
	// the clients that send such bodies are programs, not browsers.
	if wantsJSON(c) || status == fiber.StatusRequestEntityTooLarge {
		return c.Status(status).JSON(fiber.Map{"error": msg})
	}
	key := "error.internal"
	switch status {
	case fiber.StatusRequestEntityTooLarge:
		key = "error.too_large"
	case fiber.StatusNotFound:
		key = "error.not_found"
	case fiber.StatusBadRequest:
		key = "error.bad_request"
	case fiber.StatusServiceUnavailable:
		key = "error.busy"
	}
	return u.render(c, status, "error", &view{Title: "error.title", Error: u.catalog(c).T(key)})
}

// notFound answers paths no route serves.
func (u *ui) notFound(c *fiber.Ctx) error {
	if wantsJSON(c) {
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{"error": "no such endpoint"})
	}
	return u.render(c, fiber.StatusNotFound, "error", &view{Title: "error.title", Error: u.catalog(c).T("error.not_found")})
}
