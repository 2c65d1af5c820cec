package tracker

import (
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"

	"github.com/shukei-analytics/shukei/site"
)

// TagOptions describe the <script> tag a site pastes into its pages.
type TagOptions struct {
	// Domain is the site's domain as configured on the server.
	Domain string
	// PublicURL is the Shukei server's base URL as browsers reach it, e.g.
	// https://stats.example.org or https://example.org/stats.
	PublicURL string
	// Features select the build (outbound links, downloads, hash routing,
	// localhost).
	Features Features
	// RespectGPC makes the snippet send nothing for visitors whose browser
	// signals Global Privacy Control or Do Not Track (site.Site.RespectGPC).
	RespectGPC bool
}

// QueueStub is the inline script that lets a page call shukei(...) before
// the snippet has loaded; the snippet sends the queued calls when it runs.
const QueueStub = `<script>window.shukei=window.shukei||function(){(shukei.q=shukei.q||[]).push(arguments)}</script>`

// Tag returns the <script> tag for o.
func Tag(o TagOptions) (string, error) {
	domain := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(o.Domain), "."))
	if err := site.ValidateDomain(domain); err != nil {
		return "", err
	}
	base, err := ParsePublicURL(o.PublicURL)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<script defer data-domain="`)
	b.WriteString(html.EscapeString(domain))
	b.WriteString(`"`)
	if base.Path != "" {
		// The snippet's default endpoint is /api/event at the root of its
		// origin; under a path prefix it must be told.
		fmt.Fprintf(&b, ` data-api="%s"`, html.EscapeString(base.String()+"/api/event"))
	}
	if o.RespectGPC {
		b.WriteString(` data-respect-gpc`)
	}
	fmt.Fprintf(&b, ` src="%s"></script>`, html.EscapeString(base.String()+"/js/"+o.Features.FileName()))
	return b.String(), nil
}

// ParsePublicURL checks a server base URL: absolute http or https, a host,
// no credentials, query or fragment. The path prefix, if any, is kept
// without its trailing slash.
func ParsePublicURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil:
		return nil, fmt.Errorf("public URL %q: %w", raw, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("public URL %q: must start with https:// (or http://)", raw)
	case u.Host == "" || u.Hostname() == "":
		return nil, fmt.Errorf("public URL %q: has no host", raw)
	case u.User != nil:
		return nil, errors.New("public URL: must not contain a user name or password")
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "#"):
		return nil, fmt.Errorf("public URL %q: must not have a query or fragment", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}
