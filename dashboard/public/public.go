// Package public serves what a site chose to make public: a read-only
// statistics page per site, in English and Japanese, and the open-data
// files under stable URLs. Every number comes from aggregator/opendata,
// which applies the disclosure rules before anything reaches this
// package: the rules are enforced in the aggregator, never here (DESIGN
// §1.7). A site that has not opted in, or does not exist, is answered 404
// on every route, the same way, so the routes do not tell the two apart.
package public

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

// Reports returns a site's current public reports (opendata.Publisher).
type Reports interface {
	Current(ctx context.Context, domain string) (*opendata.Set, error)
}

// Realtime counts a site's visitors active now (the collector).
type Realtime interface {
	CurrentVisitors(site string) int
}

// Config configures the handler.
type Config struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Deps are the handler's collaborators.
type Deps struct {
	Reports Reports
	// Realtime is nil in a process without a collector.
	Realtime Realtime
	Log      *slog.Logger
}

// Handler serves the public routes.
type Handler struct {
	cfg  Config
	deps Deps
	page *pageRenderer
}

// New returns the handler.
func New(cfg Config, deps Deps) (*Handler, error) {
	if deps.Reports == nil {
		return nil, errors.New("public: the reports are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	p, err := newPageRenderer()
	if err != nil {
		return nil, err
	}
	return &Handler{cfg: cfg, deps: deps, page: p}, nil
}

// Routes are the public pages and open-data files: public and read-only.
func (h *Handler) Routes() []route.Route {
	get := fiber.MethodGet
	return []route.Route{
		{Method: get, Path: "/public/:site", Access: route.Public, Handler: h.pageHandler},
		{Method: get, Path: "/public/:site/style.css", Access: route.Public, Handler: h.style},
		{Method: get, Path: "/public/:site/data/:file", Access: route.Public, Handler: h.data},
	}
}

// CSP is the pages' Content-Security-Policy: everything from this origin,
// no script at all (the page is rendered on the server), no inline
// style, no framing.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'none'"

// set returns the site's reports, or a 404 (not public, unknown or
// malformed domain: one answer for all) or a 500.
func (h *Handler) set(c *fiber.Ctx) (*opendata.Set, error) {
	// A copy: the publisher keeps it as a map key, and the parameter is a
	// view into a request buffer that the next request overwrites.
	domain := strings.Clone(c.Params("site"))
	if site.ValidateDomain(domain) != nil || strings.ToLower(domain) != domain {
		return nil, notFound()
	}
	s, err := h.deps.Reports.Current(c.UserContext(), domain)
	if errors.Is(err, opendata.ErrNotPublic) {
		return nil, notFound()
	}
	if err != nil {
		// The domain is public and valid here; the error names no
		// visitor data.
		h.deps.Log.Error("public: reports unavailable", "site", domain, "err", err)
		return nil, fiber.NewError(fiber.StatusInternalServerError, "statistics are unavailable, try again later")
	}
	return s, nil
}

func notFound() error {
	return fiber.NewError(fiber.StatusNotFound, "no public statistics here")
}

// realtime is the site's realtime report now.
func (h *Handler) realtime(s *opendata.Set) *opendata.Report {
	n, ok := 0, h.deps.Realtime != nil
	if ok {
		n = h.deps.Realtime.CurrentVisitors(s.Site)
	}
	return s.Realtime(n, ok, h.cfg.Now())
}

// data serves one report file, or index.json.
func (h *Handler) data(c *fiber.Ctx) error {
	file := c.Params("file")
	name, format, ok := opendata.FileReport(file)
	if !ok && file != "index.json" {
		return notFound()
	}
	s, err := h.set(c)
	if err != nil {
		return err
	}
	var body []byte
	switch {
	case file == "index.json":
		body, format = s.Index(), "json"
	case name == opendata.RealtimeReport:
		body = render(h.realtime(s), format)
		c.Set(fiber.HeaderCacheControl, "no-cache")
	default:
		r, found := s.Report(name)
		if !found {
			return notFound()
		}
		body = render(r, format)
	}
	dataHeaders(c, format)
	return c.Send(body)
}

func render(r *opendata.Report, format string) []byte {
	if format == "csv" {
		return r.CSV()
	}
	return r.JSON()
}

// dataHeaders: open data may be read by any origin (it is public by
// definition) and cached for a few minutes: a report changes once a week.
func dataHeaders(c *fiber.Ctx, format string) {
	if format == "csv" {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	}
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	if c.GetRespHeader(fiber.HeaderCacheControl) == "" {
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	}
}
