package collector

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func gzipBody(b []byte, layers int) []byte {
	for range layers {
		var out bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
		_, _ = zw.Write(b)
		_ = zw.Close()
		b = out.Bytes()
	}
	return b
}

func postEncoded(t *testing.T, c *Collector, body []byte, encoding string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/event", bytes.NewReader(body))
	req.Header.Set("X-Forwarded-For", "203.0.113.5")
	req.Header.Set("User-Agent", testUA)
	if encoding != "" {
		req.Header.Set("Content-Encoding", encoding)
	}
	res, err := c.testApp().Test(req, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusAccepted {
		var out struct{ Error string }
		if err := json.Unmarshal(raw, &out); err != nil || out.Error == "" {
			t.Fatalf("status %d without a JSON error: %q", res.StatusCode, raw)
		}
		return res.StatusCode, out.Error
	}
	return res.StatusCode, ""
}

// Item 1 of the hostile-client findings: a hit body is decoded through the
// bounded reader — one gzip layer is accepted, a bomb is refused with 413
// once 4 KiB are decoded, stacked encodings with 415 — and only after
// admission: when no capacity is left, a bomb costs nothing and gets 503.
func TestHitBodiesAreDecodedUnderTheLimitAfterAdmission(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{}, sink)
	hit := []byte(`{"n":"pageview","u":"https://example.org/gz","d":"example.org"}`)
	if status, msg := postEncoded(t, c, gzipBody(hit, 1), "gzip"); status != http.StatusAccepted {
		t.Errorf("gzip hit: %d %s", status, msg)
	}
	bomb := gzipBody(make([]byte, 32<<20), 2)
	for _, cse := range []struct {
		name, encoding string
		body           []byte
		want           int
	}{
		{"stacked bomb", "gzip, gzip", bomb, http.StatusUnsupportedMediaType},
		{"single-layer bomb", "gzip", gzipBody(make([]byte, 8<<20), 1), http.StatusRequestEntityTooLarge},
		{"brotli", "br", hit, http.StatusUnsupportedMediaType},
		{"corrupt gzip", "gzip", hit, http.StatusBadRequest},
	} {
		if status, _ := postEncoded(t, c, cse.body, cse.encoding); status != cse.want {
			t.Errorf("%s: %d, want %d", cse.name, status, cse.want)
		}
	}
	c.inflight.Store(int64(c.cfg.MaxInflight))
	if status, _ := postEncoded(t, c, gzipBody(make([]byte, 8<<20), 1), "gzip"); status != http.StatusServiceUnavailable {
		t.Errorf("bomb at full capacity: %d, want 503 before any decoding", status)
	}
	c.inflight.Store(0)
	if err := c.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	wantStoredOnce(t, sink, "/gz")
}

// Item 10: the pixel and the JSON endpoint refuse the same bad text —
// invalid UTF-8 and control characters such as NUL — with a 400 JSON
// error, instead of the pixel storing what the endpoint refuses.
func TestPixelAndEventRefuseTheSameText(t *testing.T) {
	sink := newMemSink()
	c := newTestCollector(t, Config{}, sink)
	app := c.testApp()
	for _, q := range []string{"u=https://example.org/a%00b", "u=https://example.org/%FF", "n=a%01b&u=https://example.org/", "u=https://example.org/&r=https://x.example/%FE"} {
		req := httptest.NewRequest(http.MethodGet, "/api/pixel.gif?d=example.org&"+q, nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.5")
		req.Header.Set("User-Agent", testUA)
		res, err := app.Test(req, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !bytes.Contains(raw, []byte(`"error"`)) {
			t.Errorf("pixel %s: %d %s, want 400 JSON", q, res.StatusCode, raw)
		}
	}
	for _, body := range []string{
		`{"n":"pageview","u":"https://example.org/a\u0000b","d":"example.org"}`,
		`{"n":"a\u0001b","u":"https://example.org/","d":"example.org"}`,
		"{\"n\":\"pageview\",\"u\":\"https://example.org/\xff\",\"d\":\"example.org\"}",
	} {
		if status, _ := postEncoded(t, c, []byte(body), ""); status != http.StatusBadRequest {
			t.Errorf("event %q: %d, want 400", body, status)
		}
	}
	if err := c.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := len(sink.pageviews()); n != 0 {
		t.Errorf("%d pages stored from refused hits", n)
	}
}
