package logimport

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/shukei-analytics/shukei/collector/accesslog"
)

// What a log line must be to count as a page view, checked before the
// pipeline: a successful GET of a page of this site. Everything else a web
// server logs (assets, redirects, errors, form posts, health checks, the
// collector's own endpoints) is not a page view, and is dropped with a
// reason of its own.

// Reason is why a line was not counted. The values are fixed words: never
// a path, a host or an address.
type Reason string

// Reasons checked before the pipeline; the pipeline's own (bots, spam, …)
// are its collector.Drop values.
const (
	ReasonMalformed   Reason = "malformed"
	ReasonMethod      Reason = "method"
	ReasonStatus      Reason = "status"
	ReasonAsset       Reason = "asset"
	ReasonCollector   Reason = "collector"
	ReasonHealthCheck Reason = "health_check"
	ReasonExcluded    Reason = "excluded"
	ReasonOtherHost   Reason = "other_host"
	ReasonTooLong     Reason = "too_long"
	// ReasonRetention: older than the site keeps rows; storing them would
	// only have the retention job delete them.
	ReasonRetention Reason = "older_than_retention"
)

// assetExtensions are files that are not pages: styles, scripts, images,
// fonts, media, feeds and data, documents and archives.
var assetExtensions = map[string]bool{}

func init() {
	for e := range strings.FieldsSeq(`css js mjs cjs map wasm json xml txt rss atom webmanifest
		png jpg jpeg gif svg svgz ico webp avif bmp tif tiff heic cur
		woff woff2 ttf otf eot
		mp4 webm ogg ogv mp3 m4a wav flac aac m4v mov avi mkv m3u8 ts vtt srt
		pdf doc docx xls xlsx ppt pptx odt ods odp csv tsv rtf epub
		zip gz tgz bz2 xz 7z rar tar dmg exe msi apk deb rpm iso bin jar
		swf flv eps psd ai kml kmz gpx`) {
		assetExtensions[e] = true
	}
}

// healthPaths are what load balancers, uptime monitors and orchestrators
// poll.
var healthPaths = map[string]bool{
	"/health": true, "/healthz": true, "/healthcheck": true, "/health-check": true, "/_health": true,
	"/readyz": true, "/livez": true, "/ready": true, "/alive": true, "/ping": true, "/up": true,
	"/server-status": true, "/nginx_status": true, "/metrics": true,
}

// collectorPaths are Shukei's (and Plausible's) own endpoints: a log of
// the server that also hosts the collector records its beacons.
func isCollectorPath(p string) bool {
	switch {
	case p == "/api/event", p == "/api/pixel.gif", p == "/readyz":
		return true
	case strings.HasPrefix(p, "/js/script.") || strings.HasPrefix(p, "/js/plausible."):
		return true
	}
	return false
}

// Rules decide which lines are page views.
type Rules struct {
	excludes  []matcher
	hostnames []string
	anyHost   bool
}

type matcher func(path string) bool

// NewRules compiles the exclude patterns and the accepted host names.
// A pattern is a glob over the path ("/admin/*", "/private/**", "*.php")
// or, after "re:", an RE2 expression matched against it. Host names name
// the hosts whose requests count (the site's domain and its subdomains
// when empty; "*" for any).
func NewRules(domain string, excludes, hostnames []string) (*Rules, error) {
	r := &Rules{}
	for _, x := range excludes {
		m, err := compileExclude(x)
		if err != nil {
			return nil, err
		}
		r.excludes = append(r.excludes, m)
	}
	if len(hostnames) == 0 {
		hostnames = []string{domain}
	}
	for _, h := range hostnames {
		if h == "*" {
			r.anyHost = true
		}
		r.hostnames = append(r.hostnames, strings.ToLower(strings.TrimPrefix(h, ".")))
	}
	return r, nil
}

func compileExclude(x string) (matcher, error) {
	if expr, ok := strings.CutPrefix(x, "re:"); ok {
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("-exclude %q: %w", x, err)
		}
		return re.MatchString, nil
	}
	if x == "" {
		return nil, fmt.Errorf("-exclude: empty pattern")
	}
	if _, err := path.Match(strings.ReplaceAll(x, "**", "*"), "/"); err != nil {
		return nil, fmt.Errorf("-exclude %q: %w", x, err)
	}
	return globMatcher(x), nil
}

// globMatcher matches a glob: "*" within a path segment, "**" across
// segments; a pattern without "/" matches the last segment.
func globMatcher(glob string) matcher {
	if !strings.Contains(glob, "/") {
		return func(p string) bool {
			ok, _ := path.Match(glob, path.Base(p))
			return ok
		}
	}
	if prefix, ok := strings.CutSuffix(glob, "/**"); ok && !strings.ContainsAny(prefix, "*?[") {
		return func(p string) bool { return p == prefix || strings.HasPrefix(p, prefix+"/") }
	}
	if strings.Contains(glob, "**") {
		re := regexp.MustCompile("^" + globRegexp(glob) + "$")
		return re.MatchString
	}
	return func(p string) bool {
		ok, _ := path.Match(glob, p)
		return ok
	}
}

// globRegexp translates a glob with "**" into a regular expression.
func globRegexp(glob string) string {
	var b strings.Builder
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; {
		case c == '*' && i+1 < len(glob) && glob[i+1] == '*':
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	return b.String()
}

// Check returns why e is not a page view, or "" when it is one. p is the
// request's path (without the query).
func (r *Rules) Check(e *accesslog.Entry, p string) Reason {
	if e.Has&accesslog.HasMethod != 0 && e.Method != "GET" {
		return ReasonMethod
	}
	if e.Has&accesslog.HasStatus != 0 && !(e.Status >= 200 && e.Status < 300 || e.Status == 304) {
		return ReasonStatus
	}
	if !r.hostAllowed(e.Host) {
		return ReasonOtherHost
	}
	switch {
	case isCollectorPath(p):
		return ReasonCollector
	case healthPaths[strings.TrimSuffix(p, "/")] && p != "/":
		return ReasonHealthCheck
	case isAsset(e.ContentType, p):
		return ReasonAsset
	}
	for _, m := range r.excludes {
		if m(p) {
			return ReasonExcluded
		}
	}
	return ""
}

// isAsset tells files from pages: by the logged content type when there
// is one (only HTML is a page), else by the path's extension.
func isAsset(contentType, p string) bool {
	if ct, _, _ := strings.Cut(contentType, ";"); strings.TrimSpace(ct) != "" {
		ct = strings.ToLower(strings.TrimSpace(ct))
		return ct != "text/html" && ct != "application/xhtml+xml"
	}
	base := p[strings.LastIndexByte(p, '/')+1:]
	dot := strings.LastIndexByte(base, '.')
	if dot < 0 {
		return false
	}
	ext := base[dot+1:]
	if len(ext) > 12 {
		return false
	}
	return assetExtensions[strings.ToLower(ext)]
}

// hostAllowed accepts the configured hosts and their subdomains; a line
// without a host belongs to the site.
func (r *Rules) hostAllowed(host string) bool {
	if host == "" || r.anyHost {
		return true
	}
	host = strings.ToLower(stripPort(host))
	host = strings.TrimSuffix(host, ".")
	for _, h := range r.hostnames {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

// stripPort removes ":443" from "example.org:443" and the brackets of an
// IPv6 literal.
func stripPort(host string) string {
	if strings.HasPrefix(host, "[") {
		if end := strings.IndexByte(host, ']'); end > 0 {
			return host[1:end]
		}
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.Count(host, ":") == 1 {
		return host[:i]
	}
	return host
}
