package public

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
)

//go:embed templates/page.html assets/style.css
var files embed.FS

// pageRenderer renders the public page.
type pageRenderer struct {
	tmpl  *template.Template
	style []byte
}

func newPageRenderer() (*pageRenderer, error) {
	funcs := template.FuncMap{"add": func(a, b int) int { return a + b }, "sub": func(a, b int) int { return a - b }}
	t, err := template.New("page.html").Funcs(funcs).ParseFS(files, "templates/page.html")
	if err != nil {
		return nil, fmt.Errorf("public: templates: %w", err)
	}
	style, err := files.ReadFile("assets/style.css")
	if err != nil {
		return nil, fmt.Errorf("public: style: %w", err)
	}
	return &pageRenderer{tmpl: t, style: style}, nil
}

// lang chooses the page's language: ?lang=en|ja, else the browser's
// preference between the two, else English. Another ?lang is refused.
func lang(c *fiber.Ctx) (string, error) {
	switch q := c.Query("lang"); q {
	case "en", "ja":
		return q, nil
	case "":
	default:
		return "", fiber.NewError(fiber.StatusBadRequest, "lang: use en or ja")
	}
	c.Vary(fiber.HeaderAcceptLanguage)
	if c.AcceptsLanguages("en", "ja") == "ja" {
		return "ja", nil
	}
	return "en", nil
}

func (h *Handler) pageHandler(c *fiber.Ctx) error {
	l, err := lang(c)
	if err != nil {
		return err
	}
	s, err := h.set(c)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := h.page.tmpl.Execute(&b, buildPage(s, h.realtime(s), l)); err != nil {
		return fmt.Errorf("public: render page: %w", err)
	}
	pageHeaders(c)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.Send(b.Bytes())
}

func (h *Handler) style(c *fiber.Ctx) error {
	if _, err := h.set(c); err != nil {
		return err
	}
	pageHeaders(c)
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(h.page.style)
}

// pageHeaders are sent with the page and its style sheet.
func pageHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentSecurityPolicy, CSP)
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set("Cross-Origin-Resource-Policy", "same-origin")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
}

// StaticFiles renders the public page of a set for static hosting, to lie
// beside the report files (opendata.Files): index.html in English,
// index.ja.html in Japanese, and style.css. Without a collector behind a
// file, the realtime figure says it is unavailable.
func StaticFiles(s *opendata.Set, now time.Time) (map[string][]byte, error) {
	r, err := newPageRenderer()
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{"style.css": r.style}
	name := map[string]string{"en": "index.html", "ja": "index.ja.html"}
	for _, l := range []string{"en", "ja"} {
		p := buildPage(s, s.Realtime(0, false, now), l)
		p.Links = pageLinks{Style: "style.css", Other: name[p.Other], Data: ""}
		var b bytes.Buffer
		if err := r.tmpl.Execute(&b, p); err != nil {
			return nil, fmt.Errorf("public: render static page: %w", err)
		}
		out[name[l]] = b.Bytes()
	}
	return out, nil
}
