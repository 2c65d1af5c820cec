package main

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
)

const goodUA = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"

// TestIngestBadInput sends malformed, oversized and hostile requests: each
// is answered 4xx with a JSON message, the server keeps serving, and the
// stored data is exactly the good hits.
func TestIngestBadInput(t *testing.T) {
	srv := startTestServer(t, testOptions{args: []string{"-site", "example.org"}})
	good := `{"n":"pageview","u":"https://example.org/","d":"example.org"}`
	cases := []struct {
		name        string
		contentType string
		body        string
		status      int
		want        string
	}{
		{"empty", "text/plain", ``, 400, "empty body"},
		{"not json", "text/plain", `n=pageview&u=x`, 400, "not a valid JSON"},
		{"json array", "application/json", `[{"n":"pageview"}]`, 400, "not a valid JSON object"},
		{"truncated", "text/plain", `{"n":"pageview","u":"https://example.org/"`, 400, "not a valid JSON"},
		{"wrong type", "text/plain", `{"n":"pageview","u":42,"d":"example.org"}`, 400, `field "u"`},
		{"missing url", "text/plain", `{"n":"pageview","d":"example.org"}`, 400, "url (u) is required"},
		{"missing domain", "text/plain", `{"n":"pageview","u":"https://example.org/"}`, 400, "domain (d) is required"},
		{"unknown site", "text/plain", `{"n":"pageview","u":"https://evil.example/","d":"evil.example"}`, 400, "unknown site"},
		{"relative url", "text/plain", `{"n":"pageview","u":"/just/a/path","d":"example.org"}`, 400, "absolute URL"},
		{"javascript url", "text/plain", `{"n":"pageview","u":"javascript:alert(1)","d":"example.org"}`, 400, "absolute URL"},
		{"data url", "text/plain", `{"n":"pageview","u":"data:text/html,hello","d":"example.org"}`, 400, "not data:"},
		{"invalid utf8", "text/plain", "{\"n\":\"pageview\",\"u\":\"https://example.org/\xc3\x28\",\"d\":\"example.org\"}", 400, "UTF-8"},
		{"long url", "text/plain", `{"n":"pageview","u":"https://example.org/` + strings.Repeat("a", 2100) + `","d":"example.org"}`, 400, "url (u) is"},
		{"long prop key", "text/plain", `{"n":"x","u":"https://example.org/","d":"example.org","p":{"` + strings.Repeat("k", 301) + `":"v"}}`, 400, "keys must be at most 300 bytes"},
		{"body over 4 KiB", "text/plain", `{"n":"pageview","u":"https://example.org/","d":"example.org","x":"` + strings.Repeat("a", 5000) + `"}`, 413, "4 KiB"},
		{"body over 64 KiB", "text/plain", strings.Repeat("a", 100<<10), 413, "larger than"},
		{"deep json", "text/plain", strings.Repeat("[", 2000) + strings.Repeat("]", 2000), 400, "not a valid JSON"},
		{"nul bytes", "text/plain", "{\"n\":\"page\x00view\",\"u\":\"https://example.org/\",\"d\":\"example.org\"}", 400, "not a valid JSON"},
	}
	accepted := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := srv.postRaw("/api/event", []byte(c.body), map[string]string{"Content-Type": c.contentType, "User-Agent": goodUA, "X-Forwarded-For": "192.0.2.1"})
			if status != c.status {
				t.Errorf("status %d, want %d (%s)", status, c.status, body)
			}
			var msg struct{ Error string }
			if err := json.Unmarshal([]byte(body), &msg); err != nil || !strings.Contains(msg.Error, c.want) {
				t.Errorf("body %q: want a JSON error mentioning %q", body, c.want)
			}
			// The server keeps serving good traffic after every bad request.
			if status, body := srv.post("/api/event", "text/plain", []byte(good), map[string]string{"User-Agent": goodUA, "X-Forwarded-For": "192.0.2.1"}); status != 202 {
				t.Fatalf("good hit after bad: %d %s", status, body)
			}
			accepted++
		})
	}
	t.Run("huge headers", func(t *testing.T) {
		status, _ := srv.post("/api/event", "text/plain", []byte(good), map[string]string{"User-Agent": goodUA, "X-Junk": strings.Repeat("j", 16<<10)})
		if status < 400 || status > 499 {
			t.Errorf("status %d, want 4xx", status)
		}
	})
	t.Run("slow client", func(t *testing.T) {
		// A connection that sends half a request and stalls does not block
		// others; the server gives up on it after its read timeout.
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_, _ = conn.Write([]byte("POST /api/event HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"n\":"))
		if status, _ := srv.post("/api/event", "text/plain", []byte(good), map[string]string{"User-Agent": goodUA}); status != 202 {
			t.Errorf("a stalled connection blocked a good hit: %d", status)
		}
		accepted++
	})
	srv.flush()
	res := srv.query(`{"site_id":"example.org","metrics":["pageviews"],"date_range":"all"}`)
	if got := *res.Results[0].Metrics[0]; int(got) != accepted {
		t.Errorf("stored %v page views, want exactly the %d good hits", got, accepted)
	}
}

// TestIngestDropsAreAcceptedButNotCounted: bots and spam get 202 (so they
// learn nothing) with the reason in a header only, and are not stored.
func TestIngestDropsAreAcceptedButNotCounted(t *testing.T) {
	srv := startTestServer(t, testOptions{args: []string{"-site", "example.org"}})
	cases := []struct{ ua, referrer, reason string }{
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "", "bot_crawler"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "", "bot_headless"},
		{"curl/8.5.0", "", "bot_tool"},
		{goodUA, "https://semalt.com/", "referrer_spam"},
	}
	for _, c := range cases {
		body, _ := json.Marshal(map[string]string{"n": "pageview", "u": "https://example.org/", "d": "example.org", "r": c.referrer})
		req, _ := http.NewRequest(http.MethodPost, srv.url+"/api/event", strings.NewReader(string(body)))
		req.Header.Set("User-Agent", c.ua)
		res, err := srv.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 202 || res.Header.Get("X-Shukei-Dropped") != c.reason {
			t.Errorf("%q: status %d dropped %q, want 202 %q", c.ua, res.StatusCode, res.Header.Get("X-Shukei-Dropped"), c.reason)
		}
	}
	srv.flush()
	if got := *srv.query(`{"site_id":"example.org","metrics":["pageviews"],"date_range":"all"}`).Results[0].Metrics[0]; got != 0 {
		t.Errorf("%v dropped hits were stored", got)
	}
	m := srv.metrics()
	for _, c := range cases {
		if !strings.Contains(m, `shukei_hits_dropped_total{reason="`+c.reason+`"} 1`) {
			t.Errorf("metrics do not count one %s drop", c.reason)
		}
	}
}

// TestStatsAPIBadInput: every bad query is a 4xx naming the problem.
func TestStatsAPIBadInput(t *testing.T) {
	srv := startTestServer(t, testOptions{args: []string{"-site", "example.org"}})
	auth := map[string]string{"Authorization": "Bearer " + srv.inst.token}
	cases := []struct {
		name    string
		body    string
		headers map[string]string
		status  int
		want    string
	}{
		{"no token", `{"site_id":"example.org","metrics":["visitors"],"date_range":"7d"}`, nil, 401, "API token"},
		{"wrong token", `{"site_id":"example.org","metrics":["visitors"],"date_range":"7d"}`, map[string]string{"Authorization": "Bearer nope-nope-nope-nope"}, 401, "API token"},
		{"not json", `metrics=visitors`, auth, 400, "not valid JSON"},
		{"unknown field", `{"site_id":"example.org","metrics":["visitors"],"date_range":"7d","colour":"red"}`, auth, 400, `unknown field "colour"`},
		{"wrong type", `{"site_id":"example.org","metrics":"visitors","date_range":"7d"}`, auth, 400, "metrics"},
		{"unknown site", `{"site_id":"evil.example","metrics":["visitors"],"date_range":"7d"}`, auth, 401, "site ID"},
		{"unknown metric", `{"site_id":"example.org","metrics":["revenue"],"date_range":"7d"}`, auth, 400, "metrics[0]"},
		{"bad filter", `{"site_id":"example.org","metrics":["visitors"],"date_range":"7d","filters":[["like","event:page",["x"]]]}`, auth, 400, "filters"},
		{"huge", `{"site_id":"example.org","metrics":["visitors"],"date_range":"7d","x":"` + strings.Repeat("a", 70<<10) + `"}`, auth, 413, "larger than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := srv.postRaw("/api/v2/query", []byte(c.body), c.headers)
			var msg struct{ Error string }
			_ = json.Unmarshal([]byte(body), &msg)
			if status != c.status || !strings.Contains(msg.Error, c.want) {
				t.Errorf("%d %s; want %d mentioning %q", status, body, c.status, c.want)
			}
		})
	}
}
