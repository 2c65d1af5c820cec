package geo

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/ipaddr"
)

func TestCountryFromTimeZone(t *testing.T) {
	tests := map[string]string{
		"Asia/Tokyo": "JP", "Japan": "JP", "Asia/Calcutta": "IN", "Asia/Kolkata": "IN",
		"US/Eastern": "US", "America/New_York": "US", "America/Buenos_Aires": "AR",
		"Europe/Kiev": "UA", "Europe/Kyiv": "UA", "Asia/Saigon": "VN", "Europe/Berlin": "DE",
		"Europe/Oslo": "NO", "Europe/Amsterdam": "NL", "Atlantic/Reykjavik": "IS", "Iceland": "IS",
		"Asia/Shanghai": "CN", "PRC": "CN", "ROC": "TW", "Asia/Hong_Kong": "HK",
		"Australia/ACT": "AU", "Pacific/Auckland": "NZ", "Africa/Abidjan": "CI", "GB": "GB",
		"Asia/Seoul": "KR", "Asia/Kuwait": "KW",
		"UTC": "", "Etc/UTC": "", "Etc/GMT+9": "", "GMT": "", "EST5EDT": "", "EST": "",
		"CET": "", "Factory": "", "": "", "asia/tokyo": "", "Mars/Olympus_Mons": "",
		strings.Repeat("A", 1000): "",
	}
	for tz, want := range tests {
		if got := CountryFromTimeZone(tz); got != want {
			t.Errorf("CountryFromTimeZone(%.20q) = %q, want %q", tz, got, want)
		}
	}
}

func TestTimeZoneTable(t *testing.T) {
	if len(tzCountry) < 400 {
		t.Fatalf("only %d zones", len(tzCountry))
	}
	for tz, cc := range tzCountry {
		if countryCode(cc) != cc || strings.HasPrefix(tz, "Etc/") {
			t.Errorf("%s → %q", tz, cc)
		}
	}
}

// FuzzLocate looks up arbitrary addresses: no panics, and every result is
// well formed.
func FuzzLocate(f *testing.F) {
	f.Add([]byte{192, 0, 2, 1})
	f.Add([]byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100, 7})
	db := openTest(f, false, true)
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, ok := netip.AddrFromSlice(raw)
		if !ok {
			return
		}
		loc := db.Locate(ipaddr.Truncate(a, 0, 0))
		if loc.Country != "" && countryCode(loc.Country) != loc.Country {
			t.Fatalf("country %q", loc.Country)
		}
		if loc.Region != "" && !strings.HasPrefix(loc.Region, loc.Country+"-") {
			t.Fatalf("region %q of country %q", loc.Region, loc.Country)
		}
		if len(loc.City) > maxCity {
			t.Fatalf("city %q", loc.City)
		}
	})
}

func BenchmarkCountryFromTimeZone(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = CountryFromTimeZone("Asia/Tokyo")
	}
}
