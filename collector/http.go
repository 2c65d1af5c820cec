package collector

import (
	"encoding/base64"
	"errors"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/internal/httpbody"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/tracker"
)

// Routes are the ingest endpoints, readiness and the tracker snippet: all
// public, since browsers of any visitor send hits. A hit's body may come
// compressed (one layer, read through the bounded reader).
func (c *Collector) Routes() []route.Route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route.Route{
		{Method: post, Path: "/api/event", Access: route.Public, Handler: c.handleEvent, Compressed: true},
		{Method: fiber.MethodOptions, Path: "/api/event", Access: route.Public, Handler: c.handlePreflight},
		{Method: get, Path: "/api/pixel.gif", Access: route.Public, Handler: c.handlePixel},
		{Method: get, Path: "/readyz", Access: route.Public, Handler: c.handleReady},
		{Method: get, Path: "/js/:file", Access: route.Public, Handler: tracker.Serve},
	}
}

// handleEvent is Plausible's Events API: admit, read the body under its
// limit, decode, run the pipeline, log, answer 202. Admission comes first
// so that a request refused for want of capacity costs no body decoding.
// Diagnostics go only to a response header.
func (c *Collector) handleEvent(ctx *fiber.Ctx) error {
	c.allowOrigin(ctx)
	done, refused := c.admit()
	if refused != nil {
		return c.refuseRetry(ctx, refused)
	}
	defer done()
	body, err := httpbody.Read(ctx, bodyLimits)
	if err != nil {
		return c.refuseBody(ctx, err)
	}
	p, err := DecodePayload(body)
	if err != nil {
		return c.refuse(ctx, fiber.StatusBadRequest, DropInvalidPayload, err.Error())
	}
	return c.ingest(ctx, p, func() error {
		return ctx.Status(fiber.StatusAccepted).SendString("ok")
	})
}

// bodyLimits: a hit is at most MaxBodyBytes, sent and decoded; one gzip or
// deflate layer is accepted (Plausible's tracker and ours send none, but a
// server-side sender may compress).
var bodyLimits = httpbody.Limits{MaxBytes: MaxBodyBytes, Compressed: true}

// refuseBody answers a body the reader refused (400, 413 or 415).
func (c *Collector) refuseBody(ctx *fiber.Ctx, err error) error {
	var berr *httpbody.Error
	if !errors.As(err, &berr) {
		c.log.Error("read hit body", "err", err)
		return fiber.ErrInternalServerError
	}
	drop := DropInvalidPayload
	switch berr.Status {
	case fiber.StatusRequestEntityTooLarge:
		drop = DropTooLarge
	case fiber.StatusUnsupportedMediaType:
		drop = DropUnsupportedEncoding
	}
	return c.refuse(ctx, berr.Status, drop, berr.Msg)
}

// handlePixel counts a page view for pages without JavaScript:
// <img src="https://stats.example.org/api/pixel.gif?d=example.org">. The
// page URL is the u parameter or, failing that, the Referer header.
func (c *Collector) handlePixel(ctx *fiber.Ctx) error {
	done, refused := c.admit()
	if refused != nil {
		return c.refuseRetry(ctx, refused)
	}
	defer done()
	p := &Payload{
		Name:     ctx.Query("n", event.PageviewName),
		URL:      ctx.Query("u"),
		Domain:   ctx.Query("d"),
		Referrer: ctx.Query("r"),
	}
	if p.URL == "" {
		p.URL = ctx.Get(fiber.HeaderReferer)
	}
	p.Name, p.URL, p.Domain, p.Referrer = strings.Clone(p.Name), strings.Clone(p.URL), strings.Clone(p.Domain), strings.Clone(p.Referrer)
	if err := p.checkRequired(); err != nil {
		return c.refuse(ctx, fiber.StatusBadRequest, DropInvalidPayload, err.Error())
	}
	return c.ingest(ctx, p, func() error {
		ctx.Set(fiber.HeaderCacheControl, "no-store")
		ctx.Set(fiber.HeaderContentType, "image/gif")
		return ctx.Send(pixelGIF)
	})
}

// pixelGIF is a 1×1 transparent GIF.
var pixelGIF, _ = base64.StdEncoding.DecodeString("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")

// ingest runs the pipeline for p, makes its rows durable in the
// write-ahead log and answers: with accepted for a hit counted or
// deliberately dropped (a bot, spam; the reason goes to a response header
// only), with a 4xx JSON error for a bad or rate-limited hit, and with 503
// and Retry-After when there is no capacity. Every refusal happens before
// the hit leaves a trace, except a log write failing after the visitor
// state was updated (then the hit is refused and not counted). The caller
// has admitted the hit (admit).
func (c *Collector) ingest(ctx *fiber.Ctx, p *Payload, accepted func() error) error {
	req := c.request(ctx, p)
	var stack [2]event.Row
	rows, drop, err := c.pipeline.Process(req, stack[:0])
	var perr *PayloadError
	var lerr *LimitError
	switch {
	case errors.As(err, &lerr):
		return c.refuseRetry(ctx, &refusal{fiber.StatusTooManyRequests, DropRateLimited, lerr.RetryAfter, lerr.Error()})
	case errors.As(err, &perr):
		return c.refuse(ctx, fiber.StatusBadRequest, drop, perr.Msg)
	case err != nil:
		c.log.Error("pipeline failed", "err", err)
		return fiber.ErrInternalServerError
	case drop != DropNone:
		c.metrics.dropped.WithLabelValues(string(drop)).Inc()
		ctx.Set("X-Shukei-Dropped", string(drop))
		c.noteDrop(req, drop)
		return accepted()
	}
	if len(rows) > 0 {
		if refused := c.record(rows); refused != nil {
			return c.refuseRetry(ctx, refused)
		}
	}
	c.metrics.accepted.Inc()
	return accepted()
}

// request copies what the pipeline needs out of the request. Values are
// cloned because fasthttp reuses its buffers after the handler returns and
// the pipeline may keep derived strings in visitor state.
func (c *Collector) request(ctx *fiber.Ctx, p *Payload) *Request {
	h := &ctx.Request().Header
	remote, _ := netip.AddrFromSlice(ctx.Context().RemoteIP())
	return &Request{
		Payload:        p,
		Remote:         remote.Unmap(),
		ClientHeader:   c.pipeline.IPs.ClientHeaderValue(remote, h),
		UserAgent:      strings.Clone(ctx.Get(fiber.HeaderUserAgent)),
		SecCHUA:        strings.Clone(ctx.Get("Sec-Ch-Ua")),
		AcceptLanguage: strings.Clone(ctx.Get(fiber.HeaderAcceptLanguage)),
	}
}

// refuse answers a client error with a JSON message and counts the drop.
func (c *Collector) refuse(ctx *fiber.Ctx, status int, drop Drop, msg string) error {
	c.metrics.dropped.WithLabelValues(string(drop)).Inc()
	return ctx.Status(status).JSON(fiber.Map{"error": msg})
}

// allowOrigin lets pages of accepted sites post from the browser: the
// Origin is echoed when its host is a site or a subdomain of one. No
// credentials are ever allowed, so nothing a cookie could carry is sent.
func (c *Collector) allowOrigin(ctx *fiber.Ctx) {
	ctx.Vary(fiber.HeaderOrigin)
	origin := ctx.Get(fiber.HeaderOrigin)
	if origin == "" || !c.originAllowed(origin) {
		return
	}
	ctx.Set(fiber.HeaderAccessControlAllowOrigin, origin)
}

func (c *Collector) originAllowed(origin string) bool {
	_, host, ok := strings.Cut(origin, "://")
	if !ok {
		return false
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host = host[:i]
	}
	host = strings.ToLower(host)
	for {
		if _, ok := c.pipeline.Sites.Lookup(host); ok {
			return true
		}
		_, parent, found := strings.Cut(host, ".")
		if !found {
			return false
		}
		host = parent
	}
}

func (c *Collector) handlePreflight(ctx *fiber.Ctx) error {
	c.allowOrigin(ctx)
	ctx.Set(fiber.HeaderAccessControlAllowMethods, "POST, OPTIONS")
	ctx.Set(fiber.HeaderAccessControlAllowHeaders, "Content-Type")
	ctx.Set(fiber.HeaderAccessControlMaxAge, "86400")
	return ctx.SendStatus(fiber.StatusNoContent)
}
