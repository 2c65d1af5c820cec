package browsertest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSendsDesktopUA: a page loads, and the server sees the normal
// user agent and brands, not HeadlessChrome.
func TestBrowserSendsDesktopUA(t *testing.T) {
	seen := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case seen <- r.Header.Clone():
		default:
		}
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!doctype html><title>ok</title><p id=x>hello</p>"))
	}))
	defer srv.Close()
	ctx := New(t, Options{HostRules: "MAP site.test 127.0.0.1"})
	url := strings.Replace(srv.URL, "127.0.0.1", "site.test", 1)
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("#x"))
	if err != nil {
		t.Fatal(err)
	}
	if text != "hello" {
		t.Errorf("text %q", text)
	}
	h := <-seen
	if ua := h.Get("User-Agent"); ua != DesktopUA {
		t.Errorf("User-Agent %q", ua)
	}
	if b := h.Get("Sec-Ch-Ua"); strings.Contains(b, "Headless") {
		t.Errorf("Sec-CH-UA %q names the headless browser", b)
	}
}
