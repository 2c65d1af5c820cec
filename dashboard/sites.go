package dashboard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
)

// siteItem is a site as lists show it.
type siteItem struct {
	Domain   string
	TimeZone string
	Role     admin.Role
	FromFlag bool
	Public   bool
}

// visibleSites lists the sites the user has a role on.
func (u *ui) visibleSites(c *fiber.Ctx, a *reqAuth) ([]siteItem, error) {
	var out []siteItem
	for _, s := range u.sites.All() {
		role, err := u.roleOn(c, a, s.Domain)
		if err != nil {
			return nil, err
		}
		if role == admin.RoleNone {
			continue
		}
		out = append(out, siteItem{Domain: s.Domain, TimeZone: s.Location.String(), Role: role,
			FromFlag: u.flagSites[s.Domain], Public: s.Publish.Public})
	}
	return out, nil
}

func (u *ui) sitesPage(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	list, err := u.visibleSites(c, a)
	if err != nil {
		return err
	}
	return u.render(c, fiber.StatusOK, "sites", &view{Title: "sites.title", Nav: "sites", Page: list})
}

type addSitePage struct {
	Domain   string
	TimeZone string
}

func (u *ui) addSiteForm(c *fiber.Ctx) error {
	return u.render(c, fiber.StatusOK, "add_site", &view{Title: "add_site.title", Nav: "sites",
		Page: addSitePage{TimeZone: "Asia/Tokyo"}})
}

// addSiteSubmit registers a new site: counted from now on and stored, so
// it is loaded again at the next start.
func (u *ui) addSiteSubmit(c *fiber.Ctx) error {
	cat := u.catalog(c)
	// Copies: the domain and the zone name go into the live registry.
	page := addSitePage{Domain: strings.Clone(c.FormValue("domain")), TimeZone: strings.Clone(c.FormValue("timezone"))}
	again := func(msg string) error {
		return u.render(c, fiber.StatusUnprocessableEntity, "add_site", &view{Title: "add_site.title", Nav: "sites", Error: msg, Page: page})
	}
	domain := normalizeDomain(page.Domain)
	if err := validDomain(domain); err != nil {
		return again(cat.T("site.invalid_domain"))
	}
	loc, err := loadZone(page.TimeZone)
	if err != nil {
		return again(cat.T("site.invalid_timezone"))
	}
	if _, exists := u.sites.Lookup(domain); exists {
		return again(cat.T("site.exists"))
	}
	s := &site.Site{Domain: domain, Location: loc}
	if err := u.store.PutSite(c.UserContext(), recordFromSite(s, admin.OriginUI, u.now())); err != nil {
		return err
	}
	u.sites.Put(s)
	u.log.Info("dashboard: site added", "site", domain)
	return c.Redirect("/sites/"+domain+"/settings?notice=notice.site_added", fiber.StatusSeeOther)
}

// normalizeDomain accepts what people paste: a URL, upper case, a trailing
// dot or slash. The result is a fresh string (fiber's form values are
// reused after the request).
func normalizeDomain(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s, _, _ = strings.Cut(s, "/")
	return strings.Clone(strings.TrimSuffix(s, "."))
}

// validDomain is site.ValidateDomain, and labels that start and end with a
// letter or digit, as host names do.
func validDomain(d string) error {
	if err := site.ValidateDomain(d); err != nil {
		return err
	}
	for _, label := range strings.Split(d, ".") {
		if !alnum(label[0]) || !alnum(label[len(label)-1]) {
			return fmt.Errorf("domain %q: labels must start and end with a letter or digit", d)
		}
	}
	return nil
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// loadZone reads an IANA time zone name; "Local" and files are refused.
func loadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "Local" || len(name) > 64 || strings.Contains(name, "..") {
		return nil, errors.New("invalid time zone")
	}
	return time.LoadLocation(name)
}

// siteRemove stops counting a site and forgets its settings and roles. The
// rows stay until retention deletes them (at the default retention, for a
// site no longer configured): adding the site again shows them.
func (u *ui) siteRemove(c *fiber.Ctx) error {
	domain := strings.Clone(c.Params("domain"))
	if u.flagSites[domain] {
		return u.fail(c, fiber.StatusConflict, "site.flag_managed")
	}
	if normalizeDomain(c.FormValue("confirm")) != domain {
		return u.renderSettings(c, fiber.StatusUnprocessableEntity, u.catalog(c).T("site.confirm_mismatch"), nil)
	}
	if err := u.removeSite(c.UserContext(), domain); err != nil {
		return err
	}
	u.log.Info("dashboard: site removed", "site", domain)
	return c.Redirect("/sites?notice=notice.site_removed", fiber.StatusSeeOther)
}

func (u *ui) removeSite(ctx context.Context, domain string) error {
	if err := u.store.DeleteSite(ctx, domain); err != nil {
		return err
	}
	u.sites.Remove(domain)
	return nil
}
