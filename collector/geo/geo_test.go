package geo

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/shukei-analytics/shukei/collector/geo/geotest"
	"github.com/shukei-analytics/shukei/ipaddr"
)

var testRecords = []geotest.Record{
	{Network: "192.0.2.0/24", Country: "JP", Subdivision: "13", City: "Tokyo"},
	{Network: "198.51.100.0/24", Country: "us", Subdivision: "ca", City: "San Francisco"},
	{Network: "203.0.113.0/25", Country: "DE"},
	{Network: "2001:db8:1::/48", Country: "JP", Subdivision: "27", City: "Osaka"},
	{Network: "2001:db8:2::/48", Country: "FR", Subdivision: "IDF", City: "Paris"},
	{Network: "2001:db8:bad::/48", Country: "Japan", Subdivision: "13", City: "Nowhere"},
	{Network: "2001:db8:bad1::/48", Country: "JP", Subdivision: "1234", City: strings.Repeat("x", 200)},
	{Network: "2001:db8:beef:1::/64", Country: "GB"}, // finer than /48: unreachable
}

func truncated(s string) ipaddr.Truncated {
	return ipaddr.Truncate(netip.MustParseAddr(s), 0, 0)
}

func openTest(t testing.TB, country, withCity bool) *DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.mmdb")
	if country {
		geotest.WriteCountryDB(t, path, testRecords)
	} else {
		geotest.WriteCityDB(t, path, testRecords)
	}
	db, err := Open(path, withCity)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestLocateCity(t *testing.T) {
	db := openTest(t, false, true)
	tests := []struct {
		ip   string
		want Location
	}{
		{"192.0.2.77", Location{"JP", "JP-13", "Tokyo"}},
		{"::ffff:192.0.2.1", Location{"JP", "JP-13", "Tokyo"}},
		{"198.51.100.200", Location{"US", "US-CA", "San Francisco"}},
		{"203.0.113.9", Location{Country: "DE"}},
		{"203.0.113.200", Location{Country: "DE"}}, // truncated to .0, inside the /25
		{"2001:db8:1:ffff::1", Location{"JP", "JP-27", "Osaka"}},
		{"2001:db8:2::1", Location{"FR", "FR-IDF", "Paris"}},
		{"2001:db8:bad::1", Location{}},               // "Japan" is no ISO code
		{"2001:db8:bad1::1", Location{Country: "JP"}}, // bad subdivision, over-long city
		{"2001:db8:beef:1::1", Location{}},            // the lookup sees 2001:db8:beef::
		{"10.1.2.3", Location{}},
		{"2001:db8:ffff::1", Location{}},
	}
	for _, tt := range tests {
		for pass := range 2 { // the second pass is served from the cache
			if got := db.Locate(truncated(tt.ip)); got != tt.want {
				t.Errorf("pass %d: Locate(%s) = %+v, want %+v", pass, tt.ip, got, tt.want)
			}
		}
	}
	if got := db.Locate(ipaddr.Truncated{}); got != (Location{}) {
		t.Errorf("zero Truncated: %+v", got)
	}
}

func TestLocateWithoutCity(t *testing.T) {
	db := openTest(t, false, false)
	if got, want := db.Locate(truncated("192.0.2.1")), (Location{"JP", "JP-13", ""}); got != want {
		t.Errorf("Locate = %+v, want %+v", got, want)
	}
}

func TestLocateCountryDB(t *testing.T) {
	db := openTest(t, true, true)
	if got, want := db.Locate(truncated("192.0.2.1")), (Location{Country: "JP"}); got != want {
		t.Errorf("Locate = %+v, want %+v", got, want)
	}
	if got, want := db.Locate(truncated("2001:db8:2::5")), (Location{Country: "FR"}); got != want {
		t.Errorf("Locate = %+v, want %+v", got, want)
	}
}

func TestLocateDBIP(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dbip.mmdb")
	geotest.WriteDBIPCityDB(t, path, []geotest.Record{
		{Network: "192.0.2.0/24", Country: "JP", SubdivisionName: "Tokyo", City: "Shinjuku"},
		{Network: "198.51.100.0/24", Country: "JP", SubdivisionName: "Hyōgo", City: "Kobe"},
		{Network: "203.0.113.0/24", Country: "US", SubdivisionName: "Washington, D.C.", City: "Washington"},
		{Network: "2001:db8:1::/48", Country: "JP", SubdivisionName: "Osaka-fu", City: "Osaka"},
		{Network: "2001:db8:2::/48", Country: "DE", SubdivisionName: "Bavaria", City: "Munich"},
		{Network: "2001:db8:3::/48", Country: "JP", SubdivisionName: "Atlantis"},
	})
	db, err := Open(path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := map[string]Location{
		"192.0.2.1":     {"JP", "JP-13", "Shinjuku"},
		"198.51.100.1":  {"JP", "JP-28", "Kobe"},
		"203.0.113.1":   {"US", "US-DC", "Washington"},
		"2001:db8:1::1": {"JP", "JP-27", "Osaka"},
		"2001:db8:2::1": {"DE", "", "Munich"}, // no code, no table for DE
		"2001:db8:3::1": {Country: "JP"},
	}
	for ip, want := range tests {
		if got := db.Locate(truncated(ip)); got != want {
			t.Errorf("Locate(%s) = %+v, want %+v", ip, got, want)
		}
	}
}

func TestSubdivisionCode(t *testing.T) {
	tests := []struct{ cc, name, want string }{
		{"JP", "Tokyo", "13"}, {"JP", "tokyo-to", "13"}, {"JP", "Hokkaidō", "01"},
		{"JP", "Aichi Prefecture", "23"}, {"JP", "Kōchi", "39"}, {"US", "New York", "NY"},
		{"US", "washington", "WA"}, {"US", "Tokyo", ""}, {"FR", "Île-de-France", ""},
		{"JP", "", ""}, {"JP", strings.Repeat("x", 100), ""},
	}
	for _, tt := range tests {
		if got := subdivisionCode(tt.cc, tt.name); got != tt.want {
			t.Errorf("subdivisionCode(%s, %q) = %q, want %q", tt.cc, tt.name, got, tt.want)
		}
	}
}

func TestNilDB(t *testing.T) {
	var db *DB
	if got := db.Locate(truncated("192.0.2.1")); got != (Location{}) {
		t.Errorf("nil DB: %+v", got)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.mmdb")
	if _, err := Open(missing, false); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: err = %v, want one naming %s", err, missing)
	}
	corrupt := filepath.Join(dir, "corrupt.mmdb")
	if err := os.WriteFile(corrupt, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(corrupt, false); err == nil || !strings.Contains(err.Error(), corrupt) {
		t.Errorf("corrupt file: err = %v", err)
	}
	empty := filepath.Join(dir, "empty.mmdb")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(empty, false); err == nil {
		t.Error("empty file: no error")
	}
	// A valid database of the wrong kind is refused with its type named.
	good := filepath.Join(dir, "city.mmdb")
	geotest.WriteCityDB(t, good, testRecords[:1])
	b, _ := os.ReadFile(good)
	asn := filepath.Join(dir, "asn.mmdb")
	if err := os.WriteFile(asn, []byte(strings.Replace(string(b), "GeoLite2-City", "GeoLite2-ASNx", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(asn, false); err == nil || !strings.Contains(err.Error(), "GeoLite2-ASNx") {
		t.Errorf("ASN database: err = %v", err)
	}
}

func TestLocateConcurrent(t *testing.T) {
	db := openTest(t, false, true)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				ip := []string{"192.0.2.1", "2001:db8:1::1", "198.51.100.9"}[(g+i)%3]
				if db.Locate(truncated(ip)).Country == "" {
					t.Errorf("no country for %s", ip)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestLocateAllocs(t *testing.T) {
	db := openTest(t, false, true)
	ip := truncated("192.0.2.1")
	db.Locate(ip)
	if n := testing.AllocsPerRun(100, func() { db.Locate(ip) }); n != 0 {
		t.Errorf("a warm lookup allocates %v times", n)
	}
}

func BenchmarkLocate(b *testing.B) {
	db := openTest(b, false, true)
	v4, v6 := truncated("192.0.2.1"), truncated("2001:db8:1::1")
	b.Run("warm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			db.Locate(v4)
			db.Locate(v6)
		}
	})
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range db.cache {
				clear(db.cache[i].m)
			}
			db.Locate(v4)
		}
	})
}
