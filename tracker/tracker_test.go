package tracker

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func newApp() *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/js/:file", Serve)
	return app
}

func get(t *testing.T, app *fiber.App, method, path string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func TestServeScript(t *testing.T) {
	app := newApp()
	want, err := os.ReadFile("dist/script.js")
	if err != nil {
		t.Fatal(err)
	}
	res, body := get(t, app, http.MethodGet, "/js/script.js", nil)
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("status %d, body %d bytes (want the %d-byte build)", res.StatusCode, len(body), len(want))
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=86400") {
		t.Errorf("Cache-Control %q", cc)
	}
	if res.Header.Get("ETag") == "" || res.Header.Get("Content-Encoding") != "" {
		t.Errorf("ETag %q, Content-Encoding %q", res.Header.Get("ETag"), res.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q", res.Header.Get("Vary"))
	}
	if res.Header.Get("Set-Cookie") != "" {
		t.Error("the script response sets a cookie")
	}
}

func TestServeGzip(t *testing.T) {
	app := newApp()
	plain, _ := get(t, app, http.MethodGet, "/js/script.js", nil)
	res, body := get(t, app, http.MethodGet, "/js/script.js", map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if want := Lookup(0).Raw; !bytes.Equal(raw, want) {
		t.Error("the gzip body does not decompress to the script")
	}
	if res.Header.Get("ETag") == plain.Header.Get("ETag") {
		t.Error("both encodings share one strong ETag")
	}
	for _, ae := range []string{"gzip;q=0", "identity", "br", "gzip; q=0.000"} {
		res, _ := get(t, app, http.MethodGet, "/js/script.js", map[string]string{"Accept-Encoding": ae})
		if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q: got %q", ae, res.Header.Get("Content-Encoding"))
		}
	}
}

func TestServeNotModified(t *testing.T) {
	app := newApp()
	first, _ := get(t, app, http.MethodGet, "/js/script.hash.js", nil)
	etag := first.Header.Get("ETag")
	gzFirst, _ := get(t, app, http.MethodGet, "/js/script.hash.js", map[string]string{"Accept-Encoding": "gzip"})
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, gzFirst.Header.Get("ETag"), "*"} {
		res, body := get(t, app, http.MethodGet, "/js/script.hash.js", map[string]string{"If-None-Match": inm, "Accept-Encoding": "gzip"})
		if res.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("If-None-Match %s: status %d, %d bytes", inm, res.StatusCode, len(body))
		}
		if res.Header.Get("ETag") == "" || res.Header.Get("Cache-Control") == "" {
			t.Errorf("If-None-Match %s: 304 without ETag or Cache-Control", inm)
		}
	}
	// Another build's validator does not match.
	res, _ := get(t, app, http.MethodGet, "/js/script.js", map[string]string{"If-None-Match": etag})
	if res.StatusCode != http.StatusOK {
		t.Errorf("the hash build's ETag revalidated the default build: %d", res.StatusCode)
	}
}

func TestServeVariantNames(t *testing.T) {
	app := newApp()
	cases := map[string]Features{
		"script.js":                                     0,
		"plausible.js":                                  0,
		"script.outbound-links.hash.js":                 Hash | OutboundLinks,
		"script.hash.outbound-links.js":                 Hash | OutboundLinks,
		"plausible.file-downloads.local.js":             FileDownloads | Local,
		"script.local.outbound-links.file-downloads.js": FileDownloads | Local | OutboundLinks,
	}
	for name, f := range cases {
		res, body := get(t, app, http.MethodGet, "/js/"+name, nil)
		if res.StatusCode != http.StatusOK || !bytes.Equal(body, Lookup(f).Raw) {
			t.Errorf("%s: status %d, not the build %s", name, res.StatusCode, f.FileName())
		}
	}
	res, body := get(t, app, http.MethodHead, "/js/script.js", nil)
	if res.StatusCode != http.StatusOK || len(body) != 0 || res.Header.Get("ETag") == "" {
		t.Errorf("HEAD: status %d, %d bytes", res.StatusCode, len(body))
	}
}

// TestServeRefusesBadNames: anything but a known build is a 404 with a
// message naming the valid parts, never a guess.
func TestServeRefusesBadNames(t *testing.T) {
	app := newApp()
	for _, name := range []string{
		"script.tagged-events.js", "script.hash.hash.js", "script..js", "script.js.map", "script",
		"x.js", ".js", "script.HASH.js", "script.hash.js%00", "script.hash%2F..%2Fx.js",
		strings.Repeat("script.hash.", 50) + "js", "%ff%fe.js", "script.js;x",
	} {
		res, body := get(t, app, http.MethodGet, "/js/"+name, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%q: status %d", name, res.StatusCode)
			continue
		}
		var msg struct{ Error string }
		if err := json.Unmarshal(body, &msg); err != nil || !strings.Contains(msg.Error, "outbound-links") {
			t.Errorf("%q: body %q", name, body)
		}
	}
}
