package dashboard

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// snippetTag is what the installation check reads off the site's page.
type snippetTag struct {
	src, domain, api string
}

// snippetSrc matches the tracker's paths (/js/script.js and its builds,
// script.outbound-links.hash.js…) and Plausible's, whose tag a site
// switching over may still carry.
var snippetSrc = regexp.MustCompile(`/js/(script|plausible)(\.[a-z.-]+)?\.js$`)

// findSnippet returns the first script tag that is a snippet (a tracker
// path or a data-domain attribute), and the page's Content-Security-Policy
// meta tags. The page is read as a token stream: nothing is built or
// executed.
func findSnippet(page []byte) (*snippetTag, []string) {
	z := html.NewTokenizer(bytes.NewReader(page))
	var found *snippetTag
	var csp []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return found, csp
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if !hasAttr {
			continue
		}
		switch string(name) {
		case "script":
			tag := snippetTag{}
			hasDomain := false
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "src":
					tag.src = strings.TrimSpace(string(v))
				case "data-domain":
					tag.domain, hasDomain = strings.TrimSpace(string(v)), true
				case "data-api":
					tag.api = strings.TrimSpace(string(v))
				}
			}
			if found == nil && (hasDomain || snippetSrc.MatchString(strings.SplitN(tag.src, "?", 2)[0])) {
				found = &tag
			}
		case "meta":
			var equiv, content string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "http-equiv":
					equiv = string(v)
				case "content":
					content = string(v)
				}
			}
			if strings.EqualFold(equiv, "Content-Security-Policy") {
				csp = append(csp, content)
			}
		}
	}
}

// cspAllows reports whether a Content-Security-Policy lets the page load
// (script-src) or reach (connect-src) target, falling back to default-src
// as browsers do; it names the directive that refuses. Source expressions
// read: *, 'self', 'none', scheme sources (https:) and host sources with
// an optional scheme, *. wildcard and port. Nonces and hashes do not allow
// a script loaded from another origin by its address, so they are
// ignored ('strict-dynamic' aside, which the check does not follow).
func cspAllows(policy, directive string, page, target *url.URL) (string, bool) {
	var sources []string
	name := ""
	for part := range strings.SplitSeq(policy, ";") {
		fields := strings.Fields(strings.ToLower(part))
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case directive:
			sources, name = fields[1:], directive
		case "default-src":
			if name == "" {
				sources, name = fields[1:], "default-src"
			}
		}
	}
	if name == "" {
		return "", true
	}
	for _, src := range sources {
		if sourceMatches(src, page, target) {
			return name, true
		}
	}
	return name, false
}

func sourceMatches(src string, page, target *url.URL) bool {
	scheme, host := strings.ToLower(target.Scheme), strings.ToLower(target.Hostname())
	port := target.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	switch {
	case src == "*":
		return scheme == "http" || scheme == "https"
	case src == "'self'":
		return origin(page) == origin(target)
	case strings.HasPrefix(src, "'"):
		return false // 'none', nonces, hashes, keywords
	case strings.HasSuffix(src, ":") && !strings.Contains(src, "/"):
		s := strings.TrimSuffix(src, ":")
		return s == scheme || (s == "http" && scheme == "https")
	}
	srcScheme, rest, hasScheme := strings.Cut(src, "://")
	if !hasScheme {
		rest, srcScheme = src, ""
	}
	if srcScheme != "" && srcScheme != scheme && (srcScheme != "http" || scheme != "https") {
		return false
	}
	if srcScheme == "" && page.Scheme != scheme && (page.Scheme != "http" || scheme != "https") {
		return false
	}
	hostPort, _, _ := strings.Cut(rest, "/")
	h, p, hasPort := strings.Cut(hostPort, ":")
	if hasPort && p != "*" && p != port {
		return false
	}
	if !hasPort && port != map[string]string{"http": "80", "https": "443"}[scheme] {
		return false
	}
	if wild, ok := strings.CutPrefix(h, "*."); ok {
		return strings.HasSuffix(host, "."+wild)
	}
	return h == host
}
