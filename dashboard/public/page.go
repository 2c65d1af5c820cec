package public

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"

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
	t, err := template.New("page.html").ParseFS(files, "templates/page.html")
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

// page is the template's view of a set.
type page struct {
	Lang, Other  string
	T            map[string]string
	Site         string
	Rules        []string
	Realtime     string
	RealtimeNote string
	Daily        table
	Chart        chart
	Sections     []section
	Files        []fileLink
}

type section struct {
	Title  string
	Tables []table
}

type table struct {
	Caption  string
	Withheld string
	Headers  []string
	Rows     [][]string
	Totals   []string
}

type fileLink struct{ Name, JSON, CSV string }

func buildPage(s *opendata.Set, rt *opendata.Report, l string) *page {
	t := texts[l]
	p := &page{Lang: l, Other: map[string]string{"en": "ja", "ja": "en"}[l], T: t, Site: s.Site, Rules: rulesText(s, l)}
	p.RealtimeNote = fmt.Sprintf(t["realtime.note"], max(s.Rules.K, s.Rules.RoundTo))
	p.Realtime = t["withheld."+rt.Withheld]
	if rt.Withheld == "" {
		p.Realtime = count(rt.Rows[0].Counts[0], t)
	}
	lastFam := ""
	for _, r := range s.Reports {
		switch {
		case r.Name == opendata.DailyReport:
			p.Daily = tableOf(r, t)
			p.Chart = chartOf(r, t)
		default:
			fam, days := splitName(r.Name)
			if fam != lastFam {
				p.Sections = append(p.Sections, section{Title: t["report."+fam]})
				lastFam = fam
			}
			tb := tableOf(r, t)
			tb.Caption = fmt.Sprintf(t["caption.days"], days, r.Start, r.Last)
			sec := &p.Sections[len(p.Sections)-1]
			sec.Tables = append(sec.Tables, tb)
		}
	}
	for _, n := range opendata.ReportNames() {
		p.Files = append(p.Files, fileLink{Name: n, JSON: n + ".json", CSV: n + ".csv"})
	}
	return p
}

// splitName splits "pages-7-days" into "pages" and "7".
func splitName(name string) (string, string) {
	rest := strings.TrimSuffix(name, "-days")
	i := strings.LastIndexByte(rest, '-')
	if i < 0 {
		return name, ""
	}
	return rest[:i], rest[i+1:]
}

// tableOf lays a report out as a table of strings.
func tableOf(r *opendata.Report, t map[string]string) table {
	tb := table{Caption: fmt.Sprintf(t["caption.range"], r.Start, r.Last)}
	if r.Withheld != "" {
		tb.Withheld = t["withheld."+r.Withheld]
		return tb
	}
	tb.Headers = append(tb.Headers, t["label."+r.Label])
	for _, m := range r.Measures {
		tb.Headers = append(tb.Headers, t["measure."+m])
	}
	for _, row := range r.Rows {
		cells := []string{display(row, t)}
		for _, c := range row.Counts {
			cells = append(cells, count(c, t))
		}
		tb.Rows = append(tb.Rows, cells)
	}
	if len(r.Totals) > 0 {
		tb.Totals = []string{t["label.total"]}
		for _, m := range r.Measures {
			v := ""
			for _, x := range r.Totals {
				if x.Measure == m {
					v = strconv.FormatInt(x.Value, 10)
				}
			}
			tb.Totals = append(tb.Totals, v)
		}
	}
	return tb
}

func display(row opendata.Row, t map[string]string) string {
	switch {
	case row.Other:
		return t["value.other"]
	case row.Value == "":
		return t["value.unknown"]
	}
	return row.Value
}

func count(c *int64, t map[string]string) string {
	if c == nil {
		return t["value.hidden"]
	}
	return strconv.FormatInt(*c, 10)
}

// rulesText states the disclosure rules in force.
func rulesText(s *opendata.Set, l string) []string {
	t := texts[l]
	out := []string{fmt.Sprintf(t["rule.k"], s.Rules.K), t["rule.other"], t["rule.periods"]}
	if s.Rules.RoundTo > 1 {
		out = append(out, fmt.Sprintf(t["rule.round"], s.Rules.RoundTo))
	}
	if s.Rules.Noisy() {
		out = append(out, fmt.Sprintf(t["rule.noise"], s.Rules.EpsilonString()))
	} else {
		out = append(out, t["rule.exact"], fmt.Sprintf(t["rule.people"], s.Rules.K))
	}
	return append(out, fmt.Sprintf(t["rule.zone"], s.TimeZone))
}
