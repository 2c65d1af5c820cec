package dashboard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/route"
)

func TestEveryRouteIsInTheTable(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if err := route.CheckRouter(h.app, h.table); err != nil {
		t.Error(err)
	}
}

// accessFixture is a server with one site and a user of each role.
type accessFixture struct {
	h                                             *harness
	owner, viewer, siteAdmin, siteOwner, outsider *client
	viewerID, tokenID                             int64
}

const fixtureSite = "a.example"

func newAccessFixture(t *testing.T) *accessFixture {
	h := newHarness(t, harnessOpts{})
	f := &accessFixture{h: h, owner: h.setupOwner("owner")}
	h.addSite(f.owner, fixtureSite)
	f.viewerID = h.addUser("viewer", map[string]admin.Role{fixtureSite: admin.RoleViewer}).ID
	h.addUser("siteadmin", map[string]admin.Role{fixtureSite: admin.RoleAdmin})
	h.addUser("siteowner", map[string]admin.Role{fixtureSite: admin.RoleOwner})
	h.addUser("outsider", nil)
	f.viewer, f.siteAdmin, f.siteOwner, f.outsider = h.login("viewer"), h.login("siteadmin"), h.login("siteowner"), h.login("outsider")
	res := f.viewer.post("/tokens", url.Values{"name": {"report"}, "scope": {"all"}})
	if res.status != http.StatusOK {
		t.Fatalf("create token: %d", res.status)
	}
	tokens, _ := h.srv.Admin().Tokens(context.Background())
	f.tokenID = tokens[0].ID
	return f
}

// path fills a route's parameters.
func (f *accessFixture) path(r route.Route) string {
	p := strings.ReplaceAll(r.Path, ":domain", fixtureSite)
	id := f.viewerID
	if strings.HasPrefix(r.Path, "/tokens/") {
		id = f.tokenID
	}
	return strings.ReplaceAll(p, ":id", strconv.FormatInt(id, 10))
}

func (c *client) send(method, path string) response {
	if method == fiber.MethodGet {
		return c.get(path)
	}
	return c.post(path, url.Values{})
}

// refused reports whether a response denied the request: a redirect to
// sign in, or a 4xx.
func refused(res response) bool {
	return res.status >= 400 && res.status < 500 || res.status == http.StatusSeeOther && strings.HasPrefix(res.location, "/login")
}

func TestEveryRouteRefusesAnonymousAndLowerRoles(t *testing.T) {
	f := newAccessFixture(t)
	lower := map[route.Access][]*client{
		route.SiteViewer:    {f.outsider},
		route.SiteAdmin:     {f.viewer, f.outsider},
		route.SiteOwner:     {f.siteAdmin, f.viewer},
		route.InstanceOwner: {f.siteOwner, f.siteAdmin, f.viewer},
	}
	checked := 0
	for _, r := range f.h.srv.Routes() {
		if r.Access <= route.Anonymous {
			continue
		}
		path := f.path(r)
		anon := f.h.client()
		anon.get("/login") // a double-submit token, so only the access check can refuse
		if res := anon.send(r.Method, path); !refused(res) {
			t.Errorf("%s %s (%s): anonymous request answered %d → %q", r.Method, r.Path, r.Access, res.status, res.location)
		}
		for _, c := range lower[r.Access] {
			if res := c.send(r.Method, path); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
				t.Errorf("%s %s (%s): lower role answered %d", r.Method, r.Path, r.Access, res.status)
			}
		}
		checked++
	}
	if checked < 25 {
		t.Errorf("only %d routes checked", checked)
	}
	// Nothing the refused requests tried happened.
	if _, ok := f.h.sites.Lookup(fixtureSite); !ok {
		t.Error("a refused request removed the site")
	}
	if n, _ := f.h.srv.Admin().CountUsers(context.Background()); n != 5 {
		t.Errorf("%d users after refused requests, want 5", n)
	}
	if tokens, _ := f.h.srv.Admin().Tokens(context.Background()); len(tokens) != 1 {
		t.Errorf("%d tokens after refused requests", len(tokens))
	}
	// And the right roles get through.
	for path, c := range map[string]*client{"/sites/" + fixtureSite: f.viewer, "/sites/" + fixtureSite + "/settings": f.siteAdmin, "/users": f.owner} {
		if res := c.get(path); res.status != http.StatusOK {
			t.Errorf("GET %s with the right role: %d", path, res.status)
		}
	}
}

func TestCrossSitePostsRefused(t *testing.T) {
	f := newAccessFixture(t)
	for _, r := range f.h.srv.Routes() {
		if r.Method != fiber.MethodPost {
			continue
		}
		path := f.path(r)
		for name, headers := range map[string]map[string]string{
			"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
			"Sec-Fetch-Site same-site":  {"Sec-Fetch-Site": "same-site"},
			"foreign Origin":            {"Origin": "https://evil.example"},
			"null Origin":               {"Origin": "null"},
		} {
			if res := f.owner.postWith(path, url.Values{}, headers, true); res.status != http.StatusForbidden {
				t.Errorf("POST %s with %s: %d", r.Path, name, res.status)
			}
		}
		// Same origin, but without the session's token.
		form := url.Values{csrfField: {"not-the-token"}}
		if res := f.owner.postWith(path, form, map[string]string{"Sec-Fetch-Site": "same-origin"}, false); res.status != http.StatusForbidden && res.status != http.StatusUnauthorized {
			t.Errorf("POST %s without the CSRF token: %d", r.Path, res.status)
		}
	}
	if _, ok := f.h.sites.Lookup(fixtureSite); !ok {
		t.Error("a cross-site POST removed the site")
	}
	if tokens, _ := f.h.srv.Admin().Tokens(context.Background()); len(tokens) != 1 {
		t.Errorf("%d tokens after cross-site posts", len(tokens))
	}
}

func TestOtherUsersTokensCannotBeRevoked(t *testing.T) {
	f := newAccessFixture(t)
	path := "/tokens/" + strconv.FormatInt(f.tokenID, 10) + "/revoke"
	if res := f.siteAdmin.post(path, nil); res.status != http.StatusNotFound {
		t.Errorf("another user revoked the token: %d", res.status)
	}
	if res := f.viewer.post(path, nil); res.status != http.StatusSeeOther {
		t.Errorf("own token: %d", res.status)
	}
}

func TestUnknownPaths(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	c := h.client()
	if res := c.get("/api/nope"); res.status != http.StatusNotFound || !strings.Contains(res.body, "no such endpoint") {
		t.Errorf("/api/nope: %d %s", res.status, res.body)
	}
	res := c.get("/nope")
	if res.status != http.StatusNotFound || !strings.Contains(res.body, "<html") || res.header.Get("Content-Security-Policy") == "" {
		t.Errorf("/nope: %d", res.status)
	}
	req := httptest.NewRequest(http.MethodGet, "/assets/x/../../etc/passwd", nil)
	if res := c.do(req); res.status != http.StatusNotFound {
		t.Errorf("asset traversal: %d", res.status)
	}
}

func TestExtraRoutes(t *testing.T) {
	publicPage := func(c *fiber.Ctx) error { return c.SendString("public " + c.Params("site")) }
	guarded := func(c *fiber.Ctx) error { return c.SendString("report of " + c.Params("domain")) }
	h := newHarness(t, harnessOpts{
		extra: []route.Route{
			{Method: fiber.MethodGet, Path: "/public/:site", Access: route.Public, Handler: publicPage},
			{Method: fiber.MethodGet, Path: "/sites/:domain/report", Access: route.SiteAdmin, Handler: guarded},
		},
	})
	if err := route.CheckRouter(h.app, h.table); err != nil {
		t.Errorf("declared extra routes: %v", err)
	}
	owner := h.setupOwner("owner")
	h.addSite(owner, fixtureSite)
	h.addUser("viewer", map[string]admin.Role{fixtureSite: admin.RoleViewer})
	anon := h.client()
	if res := anon.get("/public/" + fixtureSite); res.status != http.StatusOK || res.body != "public "+fixtureSite {
		t.Errorf("public extra route: %d %q", res.status, res.body)
	}
	// Another role's route gets the dashboard's access check.
	report := "/sites/" + fixtureSite + "/report"
	if res := anon.get(report); !refused(res) {
		t.Errorf("anonymous on a guarded extra route: %d", res.status)
	}
	if res := h.login("viewer").get(report); res.status != http.StatusForbidden {
		t.Errorf("viewer on an admin extra route: %d", res.status)
	}
	if res := owner.get(report); res.status != http.StatusOK || res.body != "report of "+fixtureSite {
		t.Errorf("owner on the extra route: %d %q", res.status, res.body)
	}
}
