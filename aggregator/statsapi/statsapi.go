// Package statsapi serves the Stats API over HTTP: Plausible-compatible
// POST /api/v2/query and GET /api/v1/stats/realtime/visitors. Only
// aggregates leave through it (DESIGN §1.7): no endpoint returns rows.
package statsapi

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/site"
)

// Authorizer decides whether a request may read a site's statistics. It
// receives the whole request, so it can accept a bearer token (the start-up
// token, an API token with per-site roles) or the dashboard's signed-in
// session with its CSRF header.
type Authorizer interface {
	Authorize(c *fiber.Ctx, site string) bool
}

// StaticToken authorizes one bearer token for every site (the start-up
// token).
type StaticToken string

// Authorize compares the request's bearer token in constant time.
func (t StaticToken) Authorize(c *fiber.Ctx, _ string) bool {
	token, ok := BearerToken(c)
	return ok && t.Matches(token)
}

// Matches reports whether token is this token, in constant time.
func (t StaticToken) Matches(token string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(token), []byte(t)) == 1
}

// BearerToken returns the request's "Authorization: Bearer" token (the
// scheme name is case-insensitive, RFC 7235).
func BearerToken(c *fiber.Ctx) (string, bool) {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) < 7 || !strings.EqualFold(h[:7], "Bearer ") {
		return "", false
	}
	token := strings.TrimSpace(h[7:])
	return token, token != ""
}

// Realtime counts the visitors active right now, from the collector's live
// state.
type Realtime interface {
	CurrentVisitors(site string) int
}

// Querier runs queries (aggregator.Service).
type Querier interface {
	Query(ctx context.Context, q *query.Query) (*aggregator.Response, error)
}

// API is the Stats API role.
type API struct {
	svc      Querier
	realtime Realtime
	auth     Authorizer
	sites    *site.Registry
	log      *slog.Logger
}

// New returns the API. realtime may be nil when no collector runs in this
// process; the realtime endpoint then answers 501.
func New(svc Querier, realtime Realtime, auth Authorizer, sites *site.Registry, log *slog.Logger) *API {
	return &API{svc: svc, realtime: realtime, auth: auth, sites: sites, log: log}
}

// MaxQueryBytes bounds a query body.
const MaxQueryBytes = 64 << 10

// Routes mounts the endpoints on r.
func (a *API) Routes(r fiber.Router) {
	r.Post("/api/v2/query", a.handleQuery)
	r.Get("/api/v1/stats/realtime/visitors", a.handleRealtime)
}

func (a *API) handleQuery(c *fiber.Ctx) error {
	body := c.Body()
	if len(body) > MaxQueryBytes {
		return fail(c, fiber.StatusRequestEntityTooLarge, "", fmt.Sprintf("query body is larger than %d bytes", MaxQueryBytes))
	}
	var q query.Query
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return fail(c, fiber.StatusBadRequest, "", decodeProblem(err))
	}
	if !a.authorized(c, q.SiteID) {
		return fail(c, fiber.StatusUnauthorized, "", "missing or invalid API token: send Authorization: Bearer <token>")
	}
	res, err := a.svc.Query(c.UserContext(), &q)
	var qerr *query.Error
	switch {
	case errors.As(err, &qerr):
		return fail(c, fiber.StatusBadRequest, qerr.Field, qerr.Error())
	case err != nil:
		a.log.Error("stats query failed", "err", err)
		return fail(c, fiber.StatusInternalServerError, "", "the query failed; see the server log")
	}
	return c.JSON(res)
}

func (a *API) handleRealtime(c *fiber.Ctx) error {
	domain := c.Query("site_id")
	if domain == "" {
		return fail(c, fiber.StatusBadRequest, "site_id", "site_id: required")
	}
	if !a.authorized(c, domain) {
		return fail(c, fiber.StatusUnauthorized, "", "missing or invalid API token: send Authorization: Bearer <token>")
	}
	if _, ok := a.sites.Lookup(domain); !ok {
		return fail(c, fiber.StatusBadRequest, "site_id", fmt.Sprintf("site_id: unknown site %q", domain))
	}
	if a.realtime == nil {
		return fail(c, fiber.StatusNotImplemented, "", "no collector runs in this process")
	}
	return c.JSON(a.realtime.CurrentVisitors(domain))
}

func (a *API) authorized(c *fiber.Ctx, site string) bool {
	return a.auth.Authorize(c, site)
}

// fail answers an error as {"error": message, "field": field}.
func fail(c *fiber.Ctx, status int, field, msg string) error {
	body := fiber.Map{"error": msg}
	if field != "" {
		body["field"] = field
	}
	return c.Status(status).JSON(body)
}

// decodeProblem names the field a decoding error is about, without echoing
// the input.
func decodeProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var qerr *query.Error
	switch {
	case errors.As(err, &qerr):
		return qerr.Error()
	case errors.As(err, &syn):
		return fmt.Sprintf("the body is not valid JSON (syntax error at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s: must be %s", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return err.Error()
}
