package compat

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Case is one compatibility case: a site of its own, the events sent to it
// through the Events API, and checks on the Stats API's answers.
type Case struct {
	// Name names the case (and, slugged, its site: see siteDomain).
	Name string
	// Doc cites the Plausible documentation the expectation comes from:
	// the page's URL and the section, e.g.
	// "https://plausible.io/docs/stats-api#metrics — conversion_rate".
	Doc string
	// Goals are the site's goals as the -goal flag takes them after the
	// domain: "event:Signup", "visit:/docs/*".
	Goals []string
	// SiteArgs are further serve flags for this case; "{{site}}" stands
	// for the case's domain (e.g. "-public", "{{site}}").
	SiteArgs []string
	// ServerArgs are serve flags that need a server of their own; cases
	// with equal ServerArgs share one.
	ServerArgs []string
	// Events are sent in order before any check runs.
	Events []Event
	// Checks run against the stored events; ChecksFor builds checks that
	// depend on the day of the run.
	Checks    []Check
	ChecksFor func(env Env) []Check
}

// Env is what a check may depend on.
type Env struct {
	Site  string
	Today time.Time // midnight of the run's day in the sites' time zone
	Zone  string
}

// Date formats the day n days from today, as a date_range bound.
func (e Env) Date(n int) string { return e.Today.AddDate(0, 0, n).Format("2006-01-02") }

// Event is one request to POST /api/event. Visitors are told apart by their
// address (each Visitor number gets its own /24 network) and User-Agent.
type Event struct {
	Visitor int
	// Place locates the visitor: a key of places ("JP-13", "DE-BE" …);
	// empty for an address no GeoIP record covers.
	Place    string
	Name     string // default "pageview"
	URL      string // a path ("/docs") is put on https://<site>
	Referrer string
	Props    map[string]any
	Domain   string // the "domain" field; default the case's site
	UA       string // default a current desktop Chrome
	Headers  map[string]string
	// Body replaces the whole JSON body ("{{site}}" is the case's site).
	Body string
	// Status is the answer expected from the Events API; default 202.
	Status int
}

// Check is one Stats API request and what its answer must be.
type Check struct {
	Name string
	// Before are requests sent before the query (e.g. to the goals API),
	// each with the suite's token unless it names another.
	Before []Request
	// Query is the request; site_id is set to the case's site unless
	// present, and date_range defaults to "day".
	Query map[string]any
	// Body replaces the whole request body ("{{site}}" is the case's site).
	Body string
	// Token replaces the suite's bearer token; "-" sends none.
	Token string
	// Status is the expected HTTP status; default 200.
	Status int
	// Results are the expected rows, in order (any order with AnyOrder).
	// Nil means not checked; use []Row{} to expect none.
	Results  []Row
	AnyOrder bool
	// ErrorContains must occur in the "error" of a non-200 answer.
	ErrorContains string
	// Meta lists keys of the response's meta and their expected values.
	Meta map[string]any
	// Query echo: keys of the echoed query and their expected values.
	Echo map[string]any
	// Test makes further assertions on the decoded answer.
	Test func(t *testing.T, r *Response)
}

// Request is a raw HTTP request of a check; "{{site}}" in Path and Body
// is the case's site.
type Request struct {
	Method, Path, Body, ContentType string
	Status                          int // expected; default 200
}

// Row is one expected result row: dimensions and metrics in query order.
// Metrics are numbers (int or float64) or nil for null.
type Row struct {
	Dims    []string
	Metrics []any
}

// R builds a Row: R("Google", 3, 50.0) is dimensions ["Google"] and
// metrics [3, 50]; strings are dimensions, the rest metrics.
func R(values ...any) Row {
	var r Row
	r.Dims = []string{}
	for _, v := range values {
		if s, ok := v.(string); ok {
			r.Dims = append(r.Dims, s)
			continue
		}
		r.Metrics = append(r.Metrics, v)
	}
	return r
}

// Response is a decoded Stats API answer.
type Response struct {
	Status  int            `json:"-"`
	Raw     []byte         `json:"-"`
	Error   string         `json:"error"`
	Results []responseRow  `json:"results"`
	Meta    map[string]any `json:"meta"`
	Query   map[string]any `json:"query"`
}

type responseRow struct {
	Dimensions []string `json:"dimensions"`
	Metrics    []any    `json:"metrics"`
}

var (
	registryMu sync.Mutex
	registry   []Case
)

// register adds cases to the suite (from init functions).
func register(cases ...Case) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry = append(registry, cases...)
}

// TestCompat runs every registered case on every available store.
func TestCompat(t *testing.T) {
	if testing.Short() {
		t.Skip("the compatibility suite starts the real binary")
	}
	cases := append([]Case(nil), registry...)
	checkCases(t, cases)
	stores := []struct{ name string }{{"duckdb"}}
	if os.Getenv("SHUKEI_TEST_CLICKHOUSE") != "" || os.Getenv("CI") == "true" {
		stores = append(stores, struct{ name string }{"clickhouse"})
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			var storeArgs []string
			if st.name == "clickhouse" {
				storeArgs = clickhouseArgs(t)
			}
			runStore(t, cases, storeArgs)
		})
	}
}

// checkCases rejects malformed cases: missing citations, duplicate names.
func checkCases(t *testing.T, cases []Case) {
	seen := map[string]bool{}
	for _, c := range cases {
		if !strings.Contains(c.Doc, "https://plausible.io/docs") {
			t.Errorf("case %q cites no Plausible documentation page (Doc)", c.Name)
		}
		d := siteDomain(c.Name)
		if seen[d] {
			t.Errorf("case %q: another case has the same site %s", c.Name, d)
		}
		seen[d] = true
	}
}

// runStore starts the servers for cases on one store and runs them.
func runStore(t *testing.T, cases []Case, storeArgs []string) {
	zone, loc := noonZone(time.Now())
	geoDB := writeGeoDB(t)
	groups := map[string][]Case{}
	var keys []string
	for _, c := range cases {
		k := strings.Join(c.ServerArgs, "\x00")
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], c)
	}
	sort.Strings(keys)
	var passed, total int
	for _, k := range keys {
		group := groups[k]
		args := append([]string{"-timezone", zone, "-site", sentinelSite, "-geoip", geoDB, "-geoip-city"}, storeArgs...)
		args = append(args, group[0].ServerArgs...)
		for _, c := range group {
			d := siteDomain(c.Name)
			args = append(args, "-site", d)
			for _, g := range c.Goals {
				args = append(args, "-goal", d+"="+g)
			}
			for _, a := range c.SiteArgs {
				args = append(args, strings.ReplaceAll(a, "{{site}}", d))
			}
		}
		s := startServer(t, args)
		s.zone = zone
		for _, c := range group {
			sendEvents(t, s, c)
		}
		waitStored(t, s)
		now := time.Now().In(loc)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		for _, c := range group {
			total++
			ok := t.Run(c.Name, func(t *testing.T) {
				env := Env{Site: siteDomain(c.Name), Today: today, Zone: zone}
				checks := c.Checks
				if c.ChecksFor != nil {
					checks = append(append([]Check(nil), checks...), c.ChecksFor(env)...)
				}
				if len(checks) == 0 {
					t.Fatal("the case has no checks")
				}
				for i, ch := range checks {
					name := ch.Name
					if name == "" {
						name = fmt.Sprintf("check%d", i+1)
					}
					t.Run(name, func(t *testing.T) { runCheck(t, s, env, c, ch) })
				}
			})
			if ok {
				passed++
			}
		}
		s.stop()
	}
	t.Logf("compatibility cases: %d, passed: %d", total, passed)
}

// sentinelSite receives one event after all others: once it is stored,
// so is everything sent before it.
const sentinelSite = "sentinel.compat.test"

const defaultUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

// visitorIP gives each visitor of a place a /24 network of its own, inside
// the place's /16 (see places); visitors without a place get networks no
// GeoIP record covers.
func visitorIP(v int, place string) string {
	if p, ok := places[place]; ok {
		return fmt.Sprintf("10.%d.%d.7", p.octet, v&255)
	}
	return fmt.Sprintf("10.%d.%d.7", (v>>8)&63, v&255)
}

func sendEvents(t *testing.T, s *server, c Case) {
	t.Helper()
	site := siteDomain(c.Name)
	for i, e := range c.Events {
		body := []byte(strings.ReplaceAll(e.Body, "{{site}}", site))
		if e.Body == "" {
			body = eventBody(site, e)
		}
		ua := e.UA
		if ua == "" {
			ua = defaultUA
		}
		headers := map[string]string{"Content-Type": "application/json", "User-Agent": ua, "X-Forwarded-For": visitorIP(e.Visitor, e.Place)}
		for k, v := range e.Headers {
			headers[k] = v
		}
		status, resp, err := s.do(context.Background(), http.MethodPost, "/api/event", body, headers)
		if err != nil {
			t.Fatalf("case %q event %d: %v", c.Name, i, err)
		}
		want := e.Status
		if want == 0 {
			want = http.StatusAccepted
		}
		if status != want {
			t.Errorf("case %q event %d: Events API answered %d (%s), want %d", c.Name, i, status, resp, want)
		}
	}
}

func eventBody(site string, e Event) []byte {
	name := e.Name
	if name == "" {
		name = "pageview"
	}
	domain := e.Domain
	if domain == "" {
		domain = site
	}
	u := e.URL
	if u == "" {
		u = "/"
	}
	if strings.HasPrefix(u, "/") {
		u = "https://" + site + u
	}
	m := map[string]any{"name": name, "url": u, "domain": domain}
	if e.Referrer != "" {
		m["referrer"] = e.Referrer
	}
	if e.Props != nil {
		m["props"] = e.Props
	}
	b, _ := json.Marshal(m)
	return b
}

// waitStored sends the sentinel event and waits until the Stats API counts
// it.
func waitStored(t *testing.T, s *server) {
	t.Helper()
	sendEvents(t, s, Case{Name: "sentinel", Events: []Event{{Visitor: 1, Domain: sentinelSite,
		Body: `{"name":"pageview","url":"https://` + sentinelSite + `/","domain":"` + sentinelSite + `"}`}}})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		status, body, err := s.query(map[string]any{"site_id": sentinelSite, "metrics": []string{"pageviews"}, "date_range": "day"})
		if err == nil && status == http.StatusOK {
			var r Response
			if json.Unmarshal(body, &r) == nil && len(r.Results) == 1 && len(r.Results[0].Metrics) == 1 {
				if n, ok := r.Results[0].Metrics[0].(float64); ok && n >= 1 {
					return
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the events were not stored within 30 s\n%s", s.logs)
}

func runCheck(t *testing.T, s *server, env Env, c Case, ch Check) {
	t.Helper()
	t.Logf("from %s", c.Doc)
	for _, r := range ch.Before {
		sendRequest(t, s, env, r)
	}
	var body []byte
	if ch.Body != "" {
		body = []byte(strings.ReplaceAll(ch.Body, "{{site}}", env.Site))
	} else {
		q := map[string]any{}
		for k, v := range ch.Query {
			q[k] = v
		}
		if _, ok := q["site_id"]; !ok {
			q["site_id"] = env.Site
		}
		if _, ok := q["date_range"]; !ok {
			q["date_range"] = "day"
		}
		body, _ = json.Marshal(q)
	}
	headers := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + apiToken}
	switch ch.Token {
	case "":
	case "-":
		delete(headers, "Authorization")
	default:
		headers["Authorization"] = "Bearer " + ch.Token
	}
	status, raw, err := s.do(context.Background(), http.MethodPost, "/api/v2/query", body, headers)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("query %s\nanswer %d %s", body, status, clip(raw))
	want := ch.Status
	if want == 0 {
		want = http.StatusOK
	}
	if status != want {
		t.Fatalf("status %d, want %d", status, want)
	}
	r := &Response{Status: status, Raw: raw}
	if err := json.Unmarshal(raw, r); err != nil {
		t.Fatalf("the answer is not JSON: %v", err)
	}
	if status != http.StatusOK {
		if r.Error == "" {
			t.Errorf("an error answer without an \"error\" message")
		}
		if ch.ErrorContains != "" && !strings.Contains(r.Error, ch.ErrorContains) {
			t.Errorf("error %q does not contain %q", r.Error, ch.ErrorContains)
		}
		checkNoGoTypes(t, r.Error)
	}
	if ch.Results != nil {
		compareRows(t, r.Results, ch.Results, ch.AnyOrder)
	}
	for k, v := range ch.Meta {
		if got, ok := r.Meta[k]; !ok || !sameJSON(got, v) {
			t.Errorf("meta.%s = %v, want %v", k, got, v)
		}
	}
	for k, v := range ch.Echo {
		if got, ok := r.Query[k]; !ok || !sameJSON(got, v) {
			t.Errorf("query.%s = %v, want %v", k, got, v)
		}
	}
	if status == http.StatusOK {
		checkNoZeroVisitors(t, ch.Query, r)
	}
	if ch.Test != nil {
		ch.Test(t, r)
	}
}

// checkNoZeroVisitors: a breakdown never shows a row with 0 visitors.
func checkNoZeroVisitors(t *testing.T, q map[string]any, r *Response) {
	t.Helper()
	ms, _ := q["metrics"].([]string)
	ds, _ := q["dimensions"].([]string)
	if len(ds) == 0 {
		return
	}
	for i, m := range ms {
		if m != "visitors" {
			continue
		}
		for _, row := range r.Results {
			if i < len(row.Metrics) && row.Metrics[i] == float64(0) {
				t.Errorf("a row with 0 visitors: %v", row)
			}
		}
	}
}

// checkNoGoTypes: error messages speak of the API's JSON, never of the
// server's Go types.
func checkNoGoTypes(t *testing.T, msg string) {
	t.Helper()
	for _, bad := range []string{"query.", "[]", "Go value", "unmarshal", "json:", "int64", "float64", "struct"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error message %q shows an implementation detail (%q)", msg, bad)
		}
	}
}

func compareRows(t *testing.T, got []responseRow, want []Row, anyOrder bool) {
	t.Helper()
	g := make([]string, len(got))
	for i, r := range got {
		g[i] = rowKey(r.Dimensions, r.Metrics)
	}
	w := make([]string, len(want))
	for i, r := range want {
		w[i] = rowKey(r.Dims, r.Metrics)
	}
	if anyOrder {
		sort.Strings(g)
		sort.Strings(w)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("results:\n got  %s\n want %s", strings.Join(g, "\n      "), strings.Join(w, "\n      "))
	}
}

func rowKey(dims []string, metrics []any) string {
	if dims == nil {
		dims = []string{}
	}
	norm := make([]any, len(metrics))
	for i, m := range metrics {
		norm[i] = number(m)
	}
	b, _ := json.Marshal(map[string]any{"dimensions": dims, "metrics": norm})
	return string(b)
}

// number brings ints and floats to float64 so 50 and 50.0 compare equal.
func number(v any) any {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return v
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(normalize(a))
	jb, _ := json.Marshal(normalize(b))
	return string(ja) == string(jb)
}

// normalize round-trips v through JSON so Go values and decoded ones agree.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

func sendRequest(t *testing.T, s *server, env Env, r Request) {
	t.Helper()
	headers := map[string]string{"Authorization": "Bearer " + apiToken}
	if r.ContentType != "" {
		headers["Content-Type"] = r.ContentType
	}
	path := strings.ReplaceAll(r.Path, "{{site}}", env.Site)
	status, body, err := s.do(context.Background(), r.Method, path, []byte(strings.ReplaceAll(r.Body, "{{site}}", env.Site)), headers)
	if err != nil {
		t.Fatal(err)
	}
	want := r.Status
	if want == 0 {
		want = http.StatusOK
	}
	if status != want {
		t.Fatalf("%s %s: %d %s, want %d", r.Method, path, status, body, want)
	}
}
