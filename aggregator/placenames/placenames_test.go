package placenames

import (
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNames(t *testing.T) {
	for code, want := range map[string]string{
		"DE": "Germany", "US": "United States", "JP": "Japan", "KR": "South Korea",
		"TW": "Taiwan", "GB": "United Kingdom", "XK": "Kosovo", "ZZ": "", "": "",
	} {
		if got := Country(code); got != want {
			t.Errorf("Country(%q) = %q, want %q", code, got, want)
		}
	}
	for code, want := range map[string]string{
		"JP-13": "Tokyo", "US-CA": "California", "DE-BE": "Berlin", "EE-37": "Harjumaa", "JP-99": "",
	} {
		if got := Region(code); got != want {
			t.Errorf("Region(%q) = %q, want %q", code, got, want)
		}
	}
}

// TestTables: sorted (lookups bisect), parallel, and names that are safe
// in SQL string literals of both dialects and in bound arrays: valid
// UTF-8, no backslash, no control character.
func TestTables(t *testing.T) {
	for _, tab := range []struct {
		codes, names []string
	}{{countryCodes[:], countryNames[:]}, {regionCodes[:], regionNames[:]}} {
		if !sort.StringsAreSorted(tab.codes) {
			t.Error("codes are not sorted")
		}
		if len(tab.codes) != len(tab.names) || len(tab.codes) < 200 {
			t.Errorf("%d codes, %d names", len(tab.codes), len(tab.names))
		}
		for i, n := range tab.names {
			if n == "" || !utf8.ValidString(n) || strings.ContainsAny(n, "\\\x00\n\r\t") {
				t.Errorf("name of %s: %q", tab.codes[i], n)
			}
		}
	}
}
