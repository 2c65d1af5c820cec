package dashboard

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/public"
)

// noticePage is the privacy-notice page of a site: the analytics section
// of the site's privacy policy, written from the configuration in force
// (public.Notice), ready to paste in either language.
type noticePage struct {
	Domain   string
	Lang     string // the notice's language, which may differ from the UI's
	HTML     template.HTML
	Markdown string
	Section  string // the HTML to paste, shown as text
}

// noticeShow renders the notice in ?lang=en|ja, or in the UI's language.
// It describes what the collector does now (address truncation,
// geolocation, retention, publishing rules), so it is always current.
func (u *ui) noticeShow(c *fiber.Ctx) error {
	s, ok := u.sites.Lookup(c.Params("domain"))
	if !ok {
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	}
	lang := c.Query("lang", u.lang(c))
	if lang != "en" && lang != "ja" {
		return u.fail(c, fiber.StatusBadRequest, "privacy.bad_lang")
	}
	cfg := u.cfg.Notice
	cfg.Site, cfg.Lang = s, lang
	md, err := public.Notice(cfg)
	if err != nil {
		return err
	}
	html, err := public.NoticeHTML(cfg)
	if err != nil {
		return err
	}
	section, err := public.NoticeSection(cfg)
	if err != nil {
		return err
	}
	p := noticePage{Domain: s.Domain, Lang: lang, HTML: html, Markdown: md, Section: section}
	return u.render(c, fiber.StatusOK, "notice", &view{Title: "privacy.title", Nav: "sites", Page: p})
}
