package site

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a site's kept property keys: "a few per site" is a privacy
// choice (every kept key is a dimension stored for every event that has
// it), and a key is a name, not a value.
const (
	MaxPropKeys   = 8
	MaxPropKeyLen = 64
)

// URLProp is the property key the built-in events File Download and
// Outbound Link: Click carry their link in; it is kept for them always.
const URLProp = "url"

// ParsePropKeys checks a list of property keys (surrounding spaces
// trimmed, empty entries skipped, duplicates removed) and returns them in
// their normal form, in the order given.
func ParsePropKeys(keys []string) ([]string, error) {
	var out []string
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if k == "" || slices.Contains(out, k) {
			continue
		}
		if len(k) > MaxPropKeyLen || !utf8.ValidString(k) {
			return nil, fmt.Errorf("property key %q: at most %d bytes of UTF-8", k, MaxPropKeyLen)
		}
		for _, r := range k {
			if unicode.IsControl(r) || r == ',' {
				return nil, fmt.Errorf("property key %q: no control characters or commas", k)
			}
		}
		out = append(out, k)
	}
	if len(out) > MaxPropKeys {
		return nil, fmt.Errorf("%d property keys: a site keeps at most %d", len(out), MaxPropKeys)
	}
	return out, nil
}
