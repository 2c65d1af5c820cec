package public

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// NoticeHTML is Notice as an HTML fragment, for a page of the dashboard:
// headings, paragraphs, lists and the opt-out links of the Markdown,
// with every piece of text escaped. It uses no style attribute and no
// script, so it fits a page under a strict Content-Security-Policy.
func NoticeHTML(c NoticeConfig) (template.HTML, error) {
	v, err := view(c)
	if err != nil {
		return "", err
	}
	cs, err := claims(v, c.Lang)
	if err != nil {
		return "", err
	}
	md, err := renderNotice(cs, v, c.Lang)
	if err != nil {
		return "", err
	}
	inline := func(s string) string { return inlineHTML(s, v.PublicPage) }
	var b strings.Builder
	inList := false
	closeList := func() {
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
	}
	for _, block := range strings.Split(md, "\n") {
		line := strings.TrimSpace(block)
		switch {
		case line == "":
			closeList()
		case strings.HasPrefix(line, "### "):
			closeList()
			b.WriteString("<h3>" + inline(line[4:]) + "</h3>\n")
		case strings.HasPrefix(line, "## "):
			closeList()
			b.WriteString("<h2>" + inline(line[3:]) + "</h2>\n")
		case strings.HasPrefix(line, "- "):
			if !inList {
				b.WriteString("<ul>\n")
				inList = true
			}
			b.WriteString("<li>" + inline(line[2:]) + "</li>\n")
		default:
			closeList()
			b.WriteString("<p>" + inline(line) + "</p>\n")
		}
	}
	closeList()
	// Every piece of text went through inline, which escapes it.
	return template.HTML(b.String()), nil
}

// links are the Markdown links the notice writes: opt-out and opt-in
// fragments only.
var links = regexp.MustCompile(`\[([^\]]+)\]\((#shukei-opt(?:out|in))\)`)

// inlineHTML escapes text and turns the notice's links into anchors, and
// the address of the public page, when the notice gives one, into a link
// to it (CheckPublicURL allows only a plain http(s) address there).
func inlineHTML(s, page string) string {
	var b strings.Builder
	last := 0
	text := func(t string) {
		if page == "" {
			b.WriteString(html.EscapeString(t))
			return
		}
		parts := strings.Split(t, page)
		for i, p := range parts {
			if i > 0 {
				b.WriteString(`<a href="` + html.EscapeString(page) + `">` + html.EscapeString(page) + "</a>")
			}
			b.WriteString(html.EscapeString(p))
		}
	}
	for _, m := range links.FindAllStringSubmatchIndex(s, -1) {
		text(s[last:m[0]])
		b.WriteString(`<a href="` + html.EscapeString(s[m[4]:m[5]]) + `">` + html.EscapeString(s[m[2]:m[3]]) + "</a>")
		last = m[1]
	}
	text(s[last:])
	return b.String()
}

// NoticeSection is NoticeHTML as a section ready to paste into a page of
// the site's privacy policy, in the notice's language. The opt-out links
// work on a page that loads the site's snippet.
func NoticeSection(c NoticeConfig) (string, error) {
	h, err := NoticeHTML(c)
	if err != nil {
		return "", err
	}
	return `<section class="shukei-privacy-notice" lang="` + c.Lang + `">` + "\n" + string(h) + "</section>\n", nil
}
