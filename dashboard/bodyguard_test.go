package dashboard

import (
	"bytes"
	"compress/gzip"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return out.Bytes()
}

// Item 1 of the hostile-client findings, on the dashboard's side: a
// compressed or multipart body never reaches a form handler (fasthttp
// would inflate a gzip multipart body whole when the CSRF field is read),
// and stacked encodings are refused everywhere — with 415 and a JSON
// error, before the guard of the route runs.
func TestBodyGuardRefusesCompressedAndMultipartForms(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	anon := h.client()
	anon.get("/login")
	form := url.Values{"username": {"x"}, "password": {"y"}, csrfField: {anon.cookies["__Host-shukei_csrf"]}}

	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	_ = mw.WriteField(csrfField, anon.cookies["__Host-shukei_csrf"])
	_ = mw.Close()

	for _, c := range []struct {
		name, path, ctype, encoding string
		body                        []byte
	}{
		{"gzip form", "/login", "application/x-www-form-urlencoded", "gzip", gzipped([]byte(form.Encode()))},
		{"multipart form", "/login", mw.FormDataContentType(), "", mp.Bytes()},
		{"gzip multipart", "/login", mw.FormDataContentType(), "gzip", gzipped(mp.Bytes())},
		{"stacked on the Stats API", "/api/v2/query", "application/json", "gzip, gzip", gzipped(gzipped([]byte("{}")))},
		{"brotli on the Stats API", "/api/v2/query", "application/json", "br", []byte("{}")},
		{"gzip on a GET", "/healthz", "", "gzip", gzipped([]byte("x"))},
	} {
		method := http.MethodPost
		if c.path == "/healthz" {
			method = http.MethodGet
		}
		req := httptest.NewRequest(method, c.path, bytes.NewReader(c.body))
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		if c.encoding != "" {
			req.Header.Set("Content-Encoding", c.encoding)
		}
		res := anon.do(req)
		if res.status != http.StatusUnsupportedMediaType || !strings.HasPrefix(res.body, `{"error":`) {
			t.Errorf("%s: %d %.200s, want 415 JSON", c.name, res.status, res.body)
		}
	}
	// The same form, plain, is served.
	if res := anon.post("/login", form); res.status == http.StatusUnsupportedMediaType || res.status >= 500 {
		t.Errorf("plain form: %d", res.status)
	}
}

// The Stats API reads one compressed layer through the bounded reader.
func TestBodyGuardLetsTheStatsAPIDecode(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	body := gzipped([]byte(`{"site_id":"flag.example","metrics":["visitors"],"date_range":"7d"}`))
	req := httptest.NewRequest(http.MethodPost, "/api/v2/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Authorization", "Bearer "+startupToken)
	if res := h.client().do(req); res.status != http.StatusOK {
		t.Errorf("gzip query: %d %.200s", res.status, res.body)
	}
}
