package browser

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// hit is one request the browser sent to the event endpoint.
type hit struct {
	Body   map[string]any
	Status int
}

func (h hit) name() string { s, _ := h.Body["n"].(string); return s }

// path is the path (and fragment) of the hit's page URL.
func (h hit) path() string {
	s, _ := h.Body["u"].(string)
	u, err := url.Parse(s)
	if err != nil {
		return "?"
	}
	if u.Fragment != "" {
		return u.Path + "#" + u.Fragment
	}
	return u.Path
}

func (h hit) String() string { return fmt.Sprintf("%s %s (%d)", h.name(), h.path(), h.Status) }

// stats is the Shukei server as the browser reaches it: stats.test, a
// reverse proxy to `shukei serve` that records every event request, so a
// test can wait for what it expects and show what was sent.
type stats struct {
	t      *testing.T
	shukei *shukei
	origin string // http://stats.test:port
	mu     sync.Mutex
	hits   []hit
}

func startStats(t *testing.T, s *shukei) *stats {
	t.Helper()
	target, _ := url.Parse(s.url)
	st := &stats{t: t, shukei: s}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/event" {
			proxy.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		proxy.ServeHTTP(rec, r)
		h := hit{Status: rec.status}
		if err := json.Unmarshal(body, &h.Body); err != nil {
			h.Body = map[string]any{"n": "(not JSON)", "u": string(body)}
		}
		st.mu.Lock()
		st.hits = append(st.hits, h)
		st.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	st.origin = strings.Replace(srv.URL, "127.0.0.1", "stats.test", 1)
	return st
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *stats) all() []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]hit(nil), s.hits...)
}

// count returns how many recorded hits have this name and page path
// ("" matches any path).
func (s *stats) count(name, path string) int {
	n := 0
	for _, h := range s.all() {
		if h.name() == name && (path == "" || h.path() == path) {
			n++
		}
	}
	return n
}

// waitCount waits until count(name, path) reaches n.
func (s *stats) waitCount(name, path string, n int) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for s.count(name, path) < n {
		if time.Now().After(deadline) {
			s.t.Fatalf("waited 15s for %d× %s %s; the browser sent:\n%s", n, name, path, s.dump())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// quiet waits until no request has arrived for a while (bounded), for
// the requests a closing page sends.
func (s *stats) quiet() {
	deadline := time.Now().Add(10 * time.Second)
	last, since := len(s.all()), time.Now()
	for time.Since(since) < 1500*time.Millisecond && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if n := len(s.all()); n != last {
			last, since = n, time.Now()
		}
	}
}

func (s *stats) dump() string {
	var b strings.Builder
	for i, h := range s.all() {
		fmt.Fprintf(&b, "  %2d %s %v\n", i+1, h, h.Body)
	}
	return b.String()
}

// site serves the test pages on loopback under any *.test host name; a
// page's <head> comes from the tracker set up for its host.
type site struct {
	port  string
	mu    sync.Mutex
	heads map[string]template.HTML // host → tracker markup
}

func startSite(t *testing.T) *site {
	t.Helper()
	s := &site{heads: map[string]template.HTML{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.port = srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	return s
}

// url of a page on host.
func (s *site) url(host, path string) string { return "http://" + host + ":" + s.port + path }

func (s *site) setHead(host string, head string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.heads[host] = template.HTML(head) // test markup, written by the tests
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Path}}</title>
{{.Head}}
</head><body>
<h1 id="title">{{.Path}}</h1>
<p><a id="about" href="/about">About us</a></p>
<p><button id="push" onclick="history.pushState({}, '', '/about/team')">Our team</button>
<button id="replace" onclick="history.replaceState(history.state, '', location.href)">Stay</button></p>
<p><a id="out" href="{{.Elsewhere}}" target="_blank">A partner site</a>
<a id="dl" href="/files/annual-report.pdf">Annual report (PDF)</a></p>
<p><button id="signup" onclick="signup()">Sign up</button></p>
<p style="height: 2000px">A long page.</p>
</body></html>
`))

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	switch {
	case host == "elsewhere.test":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!doctype html><title>elsewhere</title><p>Another site.")
	case strings.HasPrefix(r.URL.Path, "/npm/"):
		serveNPM(w, r)
	case strings.HasPrefix(r.URL.Path, "/files/"):
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="annual-report.pdf"`)
		_, _ = io.WriteString(w, "%PDF-1.4\n%test\n")
	case r.URL.Path == "/favicon.ico":
		http.NotFound(w, r)
	default:
		s.mu.Lock()
		head := s.heads[host]
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = pageTemplate.Execute(w, map[string]any{
			"Path": r.URL.Path, "Head": head, "Elsewhere": "http://elsewhere.test:" + s.port + "/",
		})
	}
}

// npmModules is where scripts/tracker-npm.sh installs Plausible's trackers.
var npmModules, _ = filepath.Abs("../../tracker/testdata/npm/node_modules")

// serveNPM serves an installed npm package's files as ES modules. Import
// specifiers without an extension (as the older tracker's build has) get
// ".js", as a bundler would resolve them.
func serveNPM(w http.ResponseWriter, r *http.Request) {
	rel := filepath.Clean(strings.TrimPrefix(r.URL.Path, "/npm/"))
	if strings.HasPrefix(rel, "..") {
		http.NotFound(w, r)
		return
	}
	p := filepath.Join(npmModules, rel)
	if fi, err := os.Stat(p); err != nil || fi.IsDir() {
		p += ".js"
	}
	b, err := os.ReadFile(p)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, _ = w.Write(b)
}

// requireNPM skips (or, in CI, fails) a test whose npm packages are not
// installed.
func requireNPM(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(npmModules, "@plausible-analytics", "tracker", "plausible.js")); err != nil {
		msg := "Plausible's trackers are not installed: run scripts/tracker-npm.sh"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}
