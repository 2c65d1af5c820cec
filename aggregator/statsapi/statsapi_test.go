package statsapi

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

const token = "start-up-token-0123456789"

func testApp(auth Authorizer) *fiber.App {
	sites := site.NewRegistry(&site.Site{Domain: "a.example", Location: time.UTC})
	now := func() time.Time { return time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC) }
	api := New(aggregator.NewService(memstore.New(), sites, now), nil, auth, sites, slog.New(slog.DiscardHandler))
	app := fiber.New()
	if err := route.Mount(app, api.Routes(), handlerAuthorizes{}); err != nil {
		panic(err)
	}
	return app
}

// handlerAuthorizes lets Stats API requests through to the handler, which
// authorizes them (in a server, the dashboard's guard does this).
type handlerAuthorizes struct{}

func (handlerAuthorizes) For(a route.Access) fiber.Handler {
	if a != route.Stats {
		return nil
	}
	return func(c *fiber.Ctx) error { return c.Next() }
}

func post(t *testing.T, app *fiber.App, headers map[string]string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v2/query", strings.NewReader(`{"site_id":"a.example","metrics":["visitors"],"date_range":"7d"}`))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := app.Test(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestStaticToken(t *testing.T) {
	app := testApp(StaticToken(token))
	for _, c := range []struct {
		auth string
		want int
	}{
		{"Bearer " + token, http.StatusOK},
		{"bearer " + token, http.StatusOK},
		{"Bearer  " + token + " ", http.StatusOK},
		{"Bearer " + token + "x", http.StatusUnauthorized},
		{"Bearer " + token[:10], http.StatusUnauthorized},
		{"Basic " + token, http.StatusUnauthorized},
		{"Bearer ", http.StatusUnauthorized},
		{token, http.StatusUnauthorized},
		{"", http.StatusUnauthorized},
	} {
		if status, body := post(t, app, map[string]string{"Authorization": c.auth}); status != c.want {
			t.Errorf("Authorization %q: %d %s, want %d", c.auth, status, body, c.want)
		}
	}
	// An empty start-up token authorizes nothing.
	if status, _ := post(t, testApp(StaticToken("")), map[string]string{"Authorization": "Bearer "}); status != http.StatusUnauthorized {
		t.Errorf("empty static token: %d", status)
	}
}

// requestAuth authenticates by a header and allows one site, as the
// dashboard's authorizer reads the request.
type requestAuth struct{ seen []string }

func (r *requestAuth) Authenticate(c *fiber.Ctx) (Grant, error) {
	if c.Get("X-Test-Session") != "ok" {
		return nil, nil
	}
	return r, nil
}

func (r *requestAuth) Allows(_ *fiber.Ctx, site string) (bool, error) {
	r.seen = append(r.seen, site)
	return site == "a.example", nil
}

func TestAuthorizerSeesTheRequest(t *testing.T) {
	auth := &requestAuth{}
	app := testApp(auth)
	if status, body := post(t, app, map[string]string{"X-Test-Session": "ok"}); status != http.StatusOK {
		t.Errorf("authorized by the request: %d %s", status, body)
	}
	if status, _ := post(t, app, nil); status != http.StatusUnauthorized {
		t.Errorf("refused by the request: %d", status)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/v1/stats/realtime/visitors?site_id=a.example", nil)
	req.Header.Set("X-Test-Session", "ok")
	res, err := app.Test(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotImplemented { // authorized; no collector here
		t.Errorf("realtime: %d", res.StatusCode)
	}
	if len(auth.seen) != 2 || auth.seen[0] != "a.example" {
		t.Errorf("sites asked: %v", auth.seen)
	}
}
