package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/collector/geo/geotest"
)

func TestDefaultZoneIsTheServers(t *testing.T) {
	for tz, want := range map[string]string{
		"Asia/Tokyo": "Asia/Tokyo", ":Asia/Tokyo": "Asia/Tokyo", "Etc/UTC": "UTC", "UTC": "UTC",
		"Europe/Berlin": "Europe/Berlin", "No/Such_Zone": "UTC", "Local": "UTC",
	} {
		t.Setenv("TZ", tz)
		if got := defaultZone(); got != want {
			t.Errorf("TZ=%s: %s, want %s", tz, got, want)
		}
	}
}

// TestStartupNamesEachSitesZone: the start-up output says in which zone
// each site counts, and where that zone comes from; the log says which
// GeoIP database was loaded, and warns when it cannot give the cities
// asked for.
func TestStartupNamesEachSitesZone(t *testing.T) {
	geoPath := filepath.Join(t.TempDir(), "country.mmdb")
	geotest.WriteCountryDB(t, geoPath, []geotest.Record{{Network: "192.0.2.0/24", Country: "JP"}})
	srv := startTestServer(t, testOptions{args: []string{"-site", "a.example,b.example=Asia/Tokyo", "-geoip", geoPath, "-geoip-city"}})
	logs := srv.logs.String()
	if !strings.Contains(logs, `"msg":"GeoIP database loaded"`) || !strings.Contains(logs, `"type":"GeoLite2-Country"`) {
		t.Errorf("no log line names the GeoIP database:\n%s", logs)
	}
	if !strings.Contains(logs, "has no cities") {
		t.Error("no warning that a Country database gives no cities")
	}
	out := srv.stdout.String()
	for _, want := range []string{
		"Counting a.example in the time zone UTC (-timezone; change it in the site's settings in the dashboard).",
		"Counting b.example in the time zone Asia/Tokyo (given by -site).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("start-up output lacks %q:\n%s", want, out)
		}
	}
}
