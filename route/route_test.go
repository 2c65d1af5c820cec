package route

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func ok(c *fiber.Ctx) error { return c.SendString("ok") }

func TestCheckRefusesIncompleteAndDuplicateRoutes(t *testing.T) {
	good := Route{Method: fiber.MethodGet, Path: "/a", Access: Public, Handler: ok}
	if err := Check([]Route{good, {Method: fiber.MethodPost, Path: "/a", Access: User, Handler: ok}}); err != nil {
		t.Fatalf("a good table: %v", err)
	}
	for name, tc := range map[string]struct {
		r    Route
		want string
	}{
		"no access":   {Route{Method: fiber.MethodGet, Path: "/x", Handler: ok}, "no access rule"},
		"bad access":  {Route{Method: fiber.MethodGet, Path: "/x", Access: maxAccess, Handler: ok}, "no access rule"},
		"no handler":  {Route{Method: fiber.MethodGet, Path: "/x", Access: Public}, "no handler"},
		"no method":   {Route{Path: "/x", Access: Public, Handler: ok}, "a method and a path"},
		"bad path":    {Route{Method: fiber.MethodGet, Path: "x", Access: Public, Handler: ok}, "a method and a path"},
		"duplicate":   {Route{Method: fiber.MethodGet, Path: "/a", Access: User, Handler: ok}, "declared twice"},
		"same public": {good, "declared twice"},
	} {
		if err := Check([]Route{good, tc.r}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, tc.want)
		}
	}
}

// checker admits requests carrying the header named for their access.
type checker struct{ levels []Access }

func (c checker) For(a Access) fiber.Handler {
	for _, l := range c.levels {
		if l == a {
			return func(ctx *fiber.Ctx) error {
				if ctx.Get("X-Access") != a.String() {
					return ctx.SendStatus(fiber.StatusForbidden)
				}
				return ctx.Next()
			}
		}
	}
	return nil
}

func get(t *testing.T, app *fiber.App, path, access string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if access != "" {
		req.Header.Set("X-Access", access)
	}
	res, err := app.Test(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func TestMountGuardsEachRouteByItsAccess(t *testing.T) {
	app := fiber.New()
	table := []Route{
		{Method: fiber.MethodGet, Path: "/open", Access: Public, Handler: ok},
		{Method: fiber.MethodGet, Path: "/mine", Access: User, Handler: ok},
		{Method: fiber.MethodGet, Path: "/local", Access: Local, Handler: ok},
	}
	if err := Mount(app, table, checker{[]Access{Stats}}, checker{[]Access{User}}, checker{[]Access{Local, User}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, access string
		want         int
	}{
		{"/open", "", 200}, {"/mine", "", 403}, {"/mine", "user", 200}, {"/mine", "local", 403},
		{"/local", "", 403}, {"/local", "local", 200},
	} {
		if got := get(t, app, tc.path, tc.access); got != tc.want {
			t.Errorf("GET %s as %q: %d, want %d", tc.path, tc.access, got, tc.want)
		}
	}
	if err := CheckRouter(app, table); err != nil {
		t.Error(err)
	}
}

func TestMountRefusesAccessNothingChecks(t *testing.T) {
	app := fiber.New()
	table := []Route{
		{Method: fiber.MethodGet, Path: "/open", Access: Public, Handler: ok},
		{Method: fiber.MethodGet, Path: "/sites/:domain", Access: SiteViewer, Handler: ok},
	}
	err := Mount(app, table, checker{[]Access{User}})
	if err == nil || !strings.Contains(err.Error(), "requires site-viewer, which nothing on this node checks") {
		t.Fatalf("mounted a route nothing guards: %v", err)
	}
	// Nothing was mounted: the table goes in whole or not at all.
	if n := len(app.GetRoutes(true)); n != 0 {
		t.Errorf("%d routes mounted after a refused table", n)
	}
}

func TestCheckRouterFindsUndeclaredAndMissingRoutes(t *testing.T) {
	app := fiber.New()
	table := []Route{{Method: fiber.MethodGet, Path: "/a", Access: Public, Handler: ok}}
	if err := Mount(app, table); err != nil {
		t.Fatal(err)
	}
	app.Get("/behind-the-tables-back", ok)
	missing := append(table, Route{Method: fiber.MethodPost, Path: "/b", Access: Public, Handler: ok})
	err := CheckRouter(app, missing)
	if err == nil || !strings.Contains(err.Error(), "GET /behind-the-tables-back is served but not in the route table") ||
		!strings.Contains(err.Error(), "table route POST /b is not registered") {
		t.Errorf("walk: %v", err)
	}
}

func TestBearerTokenAndSameToken(t *testing.T) {
	app := fiber.New()
	app.Get("/", func(c *fiber.Ctx) error {
		tok, found := BearerToken(c)
		if !found {
			return c.SendString("none")
		}
		return c.SendString(tok)
	})
	for header, want := range map[string]string{
		"": "none", "Bearer abc": "abc", "bearer  abc ": "abc", "Basic abc": "none", "Bearer ": "none",
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if header != "" {
			req.Header.Set("Authorization", header)
		}
		res, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(b) != want {
			t.Errorf("%q: %q, want %q", header, b, want)
		}
	}
	if SameToken("", "") || SameToken("a", "b") || !SameToken("abc", "abc") {
		t.Error("SameToken")
	}
}
