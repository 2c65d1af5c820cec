// Package statsapi serves the Stats API over HTTP: Plausible-compatible
// POST /api/v2/query and GET /api/v1/stats/realtime/visitors. Only
// aggregates leave through it (DESIGN §1.7): no endpoint returns rows.
package statsapi

import (
	"context"
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/internal/httpbody"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

// Authorizer authenticates a Stats API request from its headers alone,
// before any body is read (route.Authenticator: the dashboard's tokens and
// sessions on a server).
type Authorizer = route.Authenticator

// Grant is what an authenticated request may read (route.Grant).
type Grant = route.Grant

// StaticToken authorizes one bearer token for every site (the start-up
// token).
type StaticToken string

// Authenticate compares the request's bearer token in constant time.
func (t StaticToken) Authenticate(c *fiber.Ctx) (Grant, error) {
	if token, ok := route.BearerToken(c); ok && route.SameToken(string(t), token) {
		return route.AllSites{}, nil
	}
	return nil, nil
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

// Routes are the API's endpoints. Their access is route.Stats: the
// handlers authenticate each request from its headers before reading the
// body, then authorize it for the site it asks about (Authorizer). A
// query's body may come compressed (one layer).
func (a *API) Routes() []route.Route {
	return []route.Route{
		{Method: fiber.MethodPost, Path: "/api/v2/query", Access: route.Stats, Handler: a.handleQuery, Compressed: true},
		{Method: fiber.MethodGet, Path: "/api/v1/stats/realtime/visitors", Access: route.Stats, Handler: a.handleRealtime},
	}
}

// bodyLimits: a query body may come gzip- or deflate-compressed (one
// layer), and is at most query.MaxBodyBytes sent and decoded.
var bodyLimits = httpbody.Limits{MaxBytes: query.MaxBodyBytes, Compressed: true}

const unauthorized = "missing or invalid API token: send Authorization: Bearer <token>"

// handleQuery authenticates from the headers, then reads and decodes the
// body under its limits, then checks the grant for the query's site: a
// request without credentials costs no body decoding and no parsing.
func (a *API) handleQuery(c *fiber.Ctx) error {
	grant, err := a.auth.Authenticate(c)
	if err != nil {
		return a.internal(c, "authenticate stats request", err)
	}
	if grant == nil {
		return fail(c, fiber.StatusUnauthorized, "", unauthorized)
	}
	body, err := httpbody.Read(c, bodyLimits)
	var berr *httpbody.Error
	if errors.As(err, &berr) {
		return fail(c, berr.Status, "", berr.Msg)
	}
	q, err := query.Decode(body)
	var qerr *query.Error
	if errors.As(err, &qerr) {
		return fail(c, fiber.StatusBadRequest, qerr.Field, qerr.Error())
	}
	if ok, err := grant.Allows(c, q.SiteID); err != nil {
		return a.internal(c, "authorize stats request", err)
	} else if !ok {
		return fail(c, fiber.StatusUnauthorized, "", unauthorized)
	}
	res, err := a.svc.Query(c.UserContext(), q)
	switch {
	case errors.As(err, &qerr):
		return fail(c, fiber.StatusBadRequest, qerr.Field, qerr.Error())
	case errors.Is(err, aggregator.ErrUnknownSite):
		return fail(c, fiber.StatusUnauthorized, "", invalidKeyOrSite)
	case err != nil:
		return a.internal(c, "stats query failed", err)
	}
	return c.JSON(res)
}

func (a *API) handleRealtime(c *fiber.Ctx) error {
	grant, err := a.auth.Authenticate(c)
	if err != nil {
		return a.internal(c, "authenticate stats request", err)
	}
	domain := c.Query("site_id")
	switch {
	case grant == nil:
		return fail(c, fiber.StatusUnauthorized, "", unauthorized)
	case domain == "":
		return fail(c, fiber.StatusBadRequest, "site_id", "site_id: required")
	}
	if ok, err := grant.Allows(c, domain); err != nil {
		return a.internal(c, "authorize stats request", err)
	} else if !ok {
		return fail(c, fiber.StatusUnauthorized, "", unauthorized)
	}
	if _, ok := a.sites.Lookup(domain); !ok {
		return fail(c, fiber.StatusUnauthorized, "", invalidKeyOrSite)
	}
	if a.realtime == nil {
		return fail(c, fiber.StatusNotImplemented, "", "no collector runs in this process")
	}
	return c.JSON(a.realtime.CurrentVisitors(domain))
}

// internal logs err and answers 500 without details.
func (a *API) internal(c *fiber.Ctx, what string, err error) error {
	a.log.Error("stats api: "+what, "err", err)
	return fail(c, fiber.StatusInternalServerError, "", "the query failed; see the server log")
}

// invalidKeyOrSite answers a valid token asking for a site this server does
// not count, in Plausible's words: the same 401 as a token without access.
const invalidKeyOrSite = "Invalid API key or site ID. Please make sure you're using a valid API key with access to the site you've requested."

// fail answers an error as {"error": message, "field": field}.
func fail(c *fiber.Ctx, status int, field, msg string) error {
	body := fiber.Map{"error": msg}
	if field != "" {
		body["field"] = field
	}
	return c.Status(status).JSON(body)
}
