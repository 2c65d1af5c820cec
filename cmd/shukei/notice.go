package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/shukei-analytics/shukei/dashboard/public"
)

// runNotice prints the analytics section of a site's privacy policy, in
// Markdown or as HTML, written from the configuration the server runs with
// (serve's flags and the dashboard's saved settings), so that it says what
// the server does.
func runNotice(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	var lang, publicURL, format string
	_, sites, err := parseOffline(ctx, "notice", &cfg, args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&lang, "lang", "en", "language of the notice: en or ja")
		fs.StringVar(&format, "format", "markdown", "`format` of the notice: markdown, or html (a section ready to paste into a page)")
		fs.StringVar(&publicURL, "public-url", "", "the Shukei server's base `URL` as visitors reach it, to give the address of the public statistics")
	})
	if err != nil {
		return err
	}
	st, err := oneSite(&cfg, sites, "notice")
	if err != nil {
		return err
	}
	if lang != "en" && lang != "ja" {
		return fmt.Errorf("-lang: %q: use en or ja", lang)
	}
	if format != "markdown" && format != "html" {
		return fmt.Errorf("-format: %q: use markdown or html", format)
	}
	if err := public.CheckPublicURL(publicURL); err != nil {
		return fmt.Errorf("-public-url: %w", err)
	}
	nc := cfg.noticeConfig(publicURL)
	nc.Site, nc.Lang = st, lang
	text, err := public.Notice(nc)
	if format == "html" {
		text, err = public.NoticeSection(nc)
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, text)
	return err
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
