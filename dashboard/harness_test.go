package dashboard

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/statsapi"
	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/auth"
	"github.com/shukei-analytics/shukei/internal/httpbody"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

// fastPasswords keep tests quick; TestDefaultParamsMeetOWASP checks the
// production parameters.
var fastPasswords = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

const (
	startupToken = "startup-token-0123456789abcdef"
	testHost     = "dash.test"
	testPassword = "correct horse battery staple"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// harness is the dashboard and the Stats API over an in-memory event
// store, mounted as the server mounts them and driven in-process through
// fiber's app.Test.
type harness struct {
	t      *testing.T
	srv    *Server
	app    *fiber.App
	table  []route.Route
	events *memstore.Store
	sites  *site.Registry
	clock  *testClock
	path   string
}

type harnessOpts struct {
	adminPath string
	flagSites []*site.Site
	// fixedZones are the flag sites whose flag gave the time zone.
	fixedZones []string
	// extra stands for other roles' routes, mounted behind the same guard.
	extra []route.Route
	scrub ScrubCounter
	// verify is the installation check's client (nil: the default).
	verify *http.Client
	// audits is the store the audit page reads (nil: none).
	audits Auditor
	// resolver is the trusted-proxy policy (nil: no proxy trusted).
	resolver *ipaddr.Resolver
}

func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	clock := &testClock{t: time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)}
	if o.flagSites == nil {
		o.flagSites = []*site.Site{{Domain: "flag.example", Location: time.UTC}}
	}
	sites := site.NewRegistry(o.flagSites...)
	var flags []string
	for _, s := range o.flagSites {
		flags = append(flags, s.Domain)
	}
	events := memstore.New()
	srv, err := New(Config{
		Listen: "127.0.0.1:0", AdminPath: o.adminPath, Password: fastPasswords, Now: clock.Now,
	}, Deps{Registerer: prometheus.NewRegistry(), Sites: sites, FlagSites: flags, FixedZones: o.fixedZones, StartupToken: startupToken,
		ScrubCounts: o.scrub, Audits: o.audits, Resolver: o.resolver, VerifyClient: o.verify})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	h := &harness{t: t, srv: srv, events: events, sites: sites, clock: clock, path: o.adminPath}
	api := statsapi.New(aggregator.NewService(events, sites, clock.Now), nil, srv.StatsAuthorizer(), sites, slog.New(slog.DiscardHandler))
	h.app, h.table = mountForTest(t, srv, append(api.Routes(), o.extra...))
	return h
}

// mountForTest mounts the dashboard's routes and others behind its guard
// on a router set up as the server's is (body limit and body guard, error
// pages, a /healthz to wait on).
func mountForTest(t testing.TB, srv *Server, others []route.Route) (*fiber.App, []route.Route) {
	t.Helper()
	app := fiber.New(fiber.Config{BodyLimit: route.MaxRequestBytes, ReadBufferSize: 8 << 10,
		DisableStartupMessage: true, EnableTrustedProxyCheck: true, ErrorHandler: srv.ErrorHandler()})
	table := append(srv.Routes(), others...)
	table = append(table, route.Route{Method: fiber.MethodGet, Path: "/healthz", Access: route.Public,
		Handler: func(c *fiber.Ctx) error { return c.SendString("ok") }})
	app.Use(httpbody.Guard(route.CompressedRoutes(table)))
	if err := route.Mount(app, table, srv); err != nil {
		t.Fatal(err)
	}
	app.Use(srv.NotFound())
	return app, table
}

// client is a browser-like client of the harness: it keeps cookies and
// sends the provenance headers a same-origin page would.
type client struct {
	h       *harness
	cookies map[string]string
	csrf    string // the session's token once signed in
}

func (h *harness) client() *client { return &client{h: h, cookies: map[string]string{}} }

type response struct {
	status   int
	body     string
	header   http.Header
	location string
}

func (c *client) do(req *http.Request) response {
	c.h.t.Helper()
	req.Host = testHost
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.h.app.Test(req, 30_000)
	if err != nil {
		c.h.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return response{status: res.StatusCode, body: string(b), header: res.Header, location: res.Header.Get("Location")}
}

func (c *client) get(path string) response {
	c.h.t.Helper()
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post sends a same-origin form with the right CSRF token.
func (c *client) post(path string, form url.Values) response {
	c.h.t.Helper()
	return c.postWith(path, form, map[string]string{"Origin": "http://" + testHost, "Sec-Fetch-Site": "same-origin"}, true)
}

func (c *client) postWith(path string, form url.Values, headers map[string]string, withToken bool) response {
	c.h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if withToken && form.Get(csrfField) == "" {
		tok := c.csrf
		if tok == "" {
			tok = c.cookies["__Host-shukei_csrf"]
		}
		form.Set(csrfField, tok)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// sessionCSRF reads the session's token from a signed-in page.
func (c *client) sessionCSRF() {
	c.h.t.Helper()
	res := c.get("/account")
	i := strings.Index(res.body, `name="csrf-token" content="`)
	if i < 0 {
		c.h.t.Fatalf("no csrf meta on /account (%d): %.300s", res.status, res.body)
	}
	rest := res.body[i+len(`name="csrf-token" content="`):]
	c.csrf = rest[:strings.IndexByte(rest, '"')]
}

// setupOwner creates the owner through the setup page and returns its
// signed-in client.
func (h *harness) setupOwner(name string) *client {
	h.t.Helper()
	c := h.client()
	c.get("/setup")
	res := c.post("/setup", url.Values{"code": {h.srv.SetupCode()}, "username": {name}, "password": {testPassword}, "password2": {testPassword}})
	if res.status != http.StatusSeeOther {
		h.t.Fatalf("setup: %d %.500s", res.status, res.body)
	}
	c.sessionCSRF()
	return c
}

// addUser creates a user directly in the store with the test password and
// a role on sites.
func (h *harness) addUser(name string, roles map[string]admin.Role) *admin.User {
	h.t.Helper()
	hash, err := auth.NewHasher(fastPasswords, 1, 8, 0).Hash(testPassword)
	if err != nil {
		h.t.Fatal(err)
	}
	u := &admin.User{Username: name, PasswordHash: hash, CreatedAt: h.clock.Now()}
	ctx := context.Background()
	if err := h.srv.Admin().CreateUser(ctx, u); err != nil {
		h.t.Fatal(err)
	}
	for d, r := range roles {
		if err := h.srv.Admin().SetRole(ctx, u.ID, d, r); err != nil {
			h.t.Fatal(err)
		}
	}
	return u
}

// login signs a user in and returns the client.
func (h *harness) login(name string) *client {
	h.t.Helper()
	c := h.client()
	c.get("/login")
	res := c.post("/login", url.Values{"username": {name}, "password": {testPassword}})
	if res.status != http.StatusSeeOther {
		h.t.Fatalf("login %s: %d %.300s", name, res.status, res.body)
	}
	c.sessionCSRF()
	return c
}

// addSite adds a site through the dashboard as the owner client.
func (h *harness) addSite(owner *client, domain string) {
	h.t.Helper()
	res := owner.post("/add-site", url.Values{"domain": {domain}, "timezone": {"Asia/Tokyo"}})
	if res.status != http.StatusSeeOther {
		h.t.Fatalf("add site %s: %d %.300s", domain, res.status, res.body)
	}
}
