package collector

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestRecentDropsShowADroppedHit: a hit dropped as a bot answers 202 like
// a counted one; the person testing the installation finds it in the
// site's recent drops (time and reason only) and in a debug log line.
func TestRecentDropsShowADroppedHit(t *testing.T) {
	c := newTestCollector(t, Config{}, newMemSink())
	var logs bytes.Buffer
	c.log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app := c.testApp()
	send := func(ua, domain string, want int) {
		req := httptest.NewRequest(http.MethodPost, "/api/event", strings.NewReader(`{"n":"pageview","u":"https://example.org/secret?x=1","d":"`+domain+`"}`))
		req.Header.Set("X-Forwarded-For", "192.0.2.7")
		req.Header.Set("User-Agent", ua)
		res, err := app.Test(req, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			t.Fatalf("%s: %d", ua, res.StatusCode)
		}
	}
	for range recentDropsPerSite + 2 {
		send("curl/8.5.0", "example.org", http.StatusAccepted)
	}
	send(testUA, "example.org", http.StatusAccepted)           // counted: not a drop
	send("curl/8.5.0", "other.example", http.StatusBadRequest) // no site here: refused, not remembered
	var got []string
	c.RecentDrops("example.org", func(at time.Time, reason string) {
		got = append(got, at.Format(time.RFC3339)+" "+reason)
	})
	if len(got) != recentDropsPerSite || got[0] != "2026-03-10T12:00:00Z bot_tool" {
		t.Errorf("recent drops: %q", got)
	}
	c.RecentDrops("other.example", func(time.Time, string) { t.Error("a drop remembered for a domain that is no site") })
	if !strings.Contains(logs.String(), `msg="hit dropped" site=example.org reason=bot_tool`) {
		t.Errorf("no debug line for the dropped hit:\n%s", logs.String())
	}
	for _, leak := range []string{"secret", "192.0.2", "curl"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("the drop log names %q", leak)
		}
	}
}
