package statsapi

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// send posts body with headers (name, value pairs) and returns the status
// and the decoded JSON error, failing on a body that is not JSON.
func send(t *testing.T, body []byte, headers ...string) (int, map[string]string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v2/query", bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	res, err := testApp(StaticToken(token)).Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]string{}
	if res.StatusCode != http.StatusOK {
		if err := json.Unmarshal(raw, &out); err != nil || out["error"] == "" {
			t.Fatalf("status %d with a body that is no JSON error: %q", res.StatusCode, raw)
		}
	}
	return res.StatusCode, out
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return out.Bytes()
}

const validQuery = `{"site_id":"a.example","metrics":["visitors"],"date_range":"7d"}`

// Item 2: nothing of the body is read before the token is checked, so a
// body that is corrupt in every way still gets 401 without a token.
func TestAuthenticationComesBeforeTheBody(t *testing.T) {
	nested := strings.Repeat(`["not",`, 7000) + `["is","visit:country",["JP"]]` + strings.Repeat(`]`, 7000)
	for name, c := range map[string]struct {
		body    []byte
		headers []string
	}{
		"corrupt gzip":     {[]byte("not gzip at all"), []string{"Content-Encoding", "gzip"}},
		"stacked encoding": {gz(gz([]byte(validQuery))), []string{"Content-Encoding", "gzip, gzip"}},
		"deep nesting":     {[]byte(`{"site_id":"a.example","filters":[` + nested + `]}`), nil},
		"not JSON":         {[]byte("{{{"), nil},
	} {
		status, out := send(t, c.body, c.headers...)
		if status != http.StatusUnauthorized || !strings.Contains(out["error"], "token") {
			t.Errorf("%s without a token: %d %v, want 401", name, status, out)
		}
	}
}

// Item 1: one compressed layer is decoded under the limit; stacked or
// unknown encodings are refused with 415, and a body that decodes past the
// limit with 413, all as JSON.
func TestCompressedQueryBodies(t *testing.T) {
	auth := []string{"Authorization", "Bearer " + token}
	big := `{"site_id":"a.example","metrics":["visitors"],"date_range":"7d","x":"` + strings.Repeat("a", 70<<10) + `"}`
	for _, c := range []struct {
		name     string
		body     []byte
		encoding string
		want     int
	}{
		{"gzip", gz([]byte(validQuery)), "gzip", http.StatusOK},
		{"x-gzip", gz([]byte(validQuery)), "x-gzip", http.StatusOK},
		{"identity listed", []byte(validQuery), "identity", http.StatusOK},
		{"stacked", gz(gz([]byte(validQuery))), "gzip, gzip", http.StatusUnsupportedMediaType},
		{"brotli", []byte(validQuery), "br", http.StatusUnsupportedMediaType},
		{"over the limit once decoded", gz([]byte(big)), "gzip", http.StatusRequestEntityTooLarge},
		{"truncated gzip", gz([]byte(validQuery))[:20], "gzip", http.StatusBadRequest},
	} {
		status, out := send(t, c.body, append(auth, "Content-Encoding", c.encoding)...)
		if status != c.want {
			t.Errorf("%s: %d %v, want %d", c.name, status, out, c.want)
		}
	}
	// Two Content-Encoding lines are two layers.
	status, _ := send(t, gz(gz([]byte(validQuery))), append(auth, "Content-Encoding", "gzip", "Content-Encoding", "gzip")...)
	if status != http.StatusUnsupportedMediaType {
		t.Errorf("two header lines: %d, want 415", status)
	}
}

// Item 10: malformed bodies get a 400 that says what is wrong.
func TestQueryBodyBadInput(t *testing.T) {
	auth := []string{"Authorization", "Bearer " + token}
	for _, c := range []struct {
		name, body, want string
	}{
		{"trailing data", validQuery + `{"x":1}`, "after the query object"},
		{"trailing garbage", validQuery + ` xyz`, "after the query object"},
		{"invalid UTF-8", `{"site_id":"a.example` + "\xff" + `","metrics":["visitors"],"date_range":"7d"}`, "UTF-8"},
		{"empty", ``, "empty"},
		{"array", `[1]`, "JSON object"},
		{"truncated", `{"site_id":"a.example"`, "ends before"},
		{"deep", `{"site_id":"a.example","filters":[` + strings.Repeat(`["not",`, 40) + `["is","visit:country",["JP"]]` + strings.Repeat(`]`, 40) + `]}`, "deeper"},
		{"type", `{"site_id":1}`, "site_id: must be a string"},
	} {
		status, out := send(t, []byte(c.body), auth...)
		if status != http.StatusBadRequest || !strings.Contains(out["error"], c.want) {
			t.Errorf("%s: %d %v, want 400 mentioning %q", c.name, status, out, c.want)
		}
		if strings.Contains(out["error"], "query.") || out["error"] == "EOF" {
			t.Errorf("%s: message %q names Go internals", c.name, out["error"])
		}
	}
}
