package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/site"
)

// noticeRequest asks a running server for a site's notice.
type noticeRequest struct {
	Site      string `json:"site"`
	Lang      string `json:"lang"`
	PublicURL string `json:"public_url,omitempty"`
	// Format is markdown (the default) or html (a section ready to paste
	// into a page).
	Format string `json:"format,omitempty"`
}

// noticeAnswer is the notice's text.
type noticeAnswer struct {
	Text string `json:"text"`
}

// runNotice prints the analytics section of a site's privacy policy,
// written from the configuration the server runs with, so that it says
// what the server does: while a server runs on -data it asks the server;
// otherwise it reads serve's flags and the dashboard's saved settings.
func runNotice(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	var req noticeRequest
	fset := commandFlags("notice", &cfg, func(fs *flag.FlagSet) {
		fs.StringVar(&req.Lang, "lang", "en", "language of the notice: en or ja")
		fs.StringVar(&req.Format, "format", "markdown", "`format` of the notice: markdown, or html (a section ready to paste into a page)")
		fs.StringVar(&req.PublicURL, "public-url", "", "the Shukei server's base `URL` as visitors reach it, to give the address of the public statistics")
	})
	if err := parseFlags(fset, args, stderr); err != nil {
		return err
	}
	domain, err := oneDomain(&cfg, "notice")
	if err != nil {
		return err
	}
	req.Site = domain
	if err := checkNoticeRequest(req); err != nil {
		return err
	}
	var ans noticeAnswer
	err = viaServer(ctx, cfg.store.data, "notice", req, &ans)
	if errors.Is(err, errNoServer) {
		var sites *site.Registry
		if _, sites, err = loadOffline(ctx, &cfg, stderr); err != nil {
			return err
		}
		ans.Text, err = noticeText(cfg.noticeConfig(req.PublicURL), sites, req)
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, ans.Text)
	return err
}

func checkNoticeRequest(req noticeRequest) error {
	if req.Lang != "en" && req.Lang != "ja" {
		return fmt.Errorf("-lang: %q: use en or ja", req.Lang)
	}
	if req.Format != "" && req.Format != "markdown" && req.Format != "html" {
		return fmt.Errorf("-format: %q: use markdown or html", req.Format)
	}
	if err := public.CheckPublicURL(req.PublicURL); err != nil {
		return fmt.Errorf("-public-url: %w", err)
	}
	return nil
}

// noticeText writes the notice of a site of sites in the requested
// language, under the collector's settings nc.
func noticeText(nc public.NoticeConfig, sites *site.Registry, req noticeRequest) (string, error) {
	st, ok := sites.Lookup(req.Site)
	if !ok {
		return "", fmt.Errorf("unknown site %q", req.Site)
	}
	nc.Site, nc.Lang = st, req.Lang
	if req.Format == "html" {
		return public.NoticeSection(nc)
	}
	return public.Notice(nc)
}

// notice is POST /local/notice: the notice of a site as this server
// counts it.
func (l *localCommands) notice(c *fiber.Ctx) error {
	var req noticeRequest
	if err := c.BodyParser(&req); err != nil {
		return localFail(c, fiber.StatusBadRequest, "a site, a language and optionally a public URL and a format are expected")
	}
	if err := checkNoticeRequest(req); err != nil {
		return localFail(c, fiber.StatusBadRequest, err.Error())
	}
	text, err := noticeText(l.notices(req.PublicURL), l.sites, req)
	if err != nil {
		return localFail(c, fiber.StatusUnprocessableEntity, err.Error())
	}
	return c.JSON(noticeAnswer{Text: text})
}

// noticeConfig is what the privacy notice says of the collector's
// configuration: address truncation, geolocation and the public URL. The
// notice command and the dashboard's notice page share it, so both say
// the same.
func (c *serveConfig) noticeConfig(publicURL string) public.NoticeConfig {
	geo := public.GeoTimeZone
	switch {
	case c.collector.GeoIPPath != "" && c.collector.GeoIPCity:
		geo = public.GeoCity
	case c.collector.GeoIPPath != "":
		geo = public.GeoCountry
	}
	return public.NoticeConfig{IPv4Bits: c.collector.IPv4Bits, IPv6Bits: c.collector.IPv6Bits, Geo: geo, PublicURL: publicURL,
		LogMaxAge: c.collector.WAL.MaxSegmentAge}
}
