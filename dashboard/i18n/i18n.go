// Package i18n holds the dashboard's message catalogs (English and
// Japanese, one JSON file each) and picks the language of a request.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Languages are the supported languages, the default first.
var Languages = []string{"en", "ja"}

//go:embed *.json
var files embed.FS

// Catalog is one language's messages: flat keys ("login.title") to text
// with {name} placeholders.
type Catalog struct {
	Lang     string
	messages map[string]string
	raw      []byte
}

// Load reads the catalogs of every supported language.
func Load() (map[string]*Catalog, error) {
	out := map[string]*Catalog{}
	for _, lang := range Languages {
		b, err := files.ReadFile(lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", lang, err)
		}
		c := &Catalog{Lang: lang, raw: b}
		if err := json.Unmarshal(b, &c.messages); err != nil {
			return nil, fmt.Errorf("i18n: %s.json: %w", lang, err)
		}
		out[lang] = c
	}
	return out, nil
}

// T returns the message for key with {name} placeholders replaced by the
// pairs in args (name, value, name, value…). A missing key returns the key
// itself, which tests catch.
func (c *Catalog) T(key string, args ...any) string {
	msg, ok := c.messages[key]
	if !ok {
		return key
	}
	if len(args) == 0 || !strings.Contains(msg, "{") {
		return msg
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(msg)
}

// Has reports whether the catalog has key.
func (c *Catalog) Has(key string) bool {
	_, ok := c.messages[key]
	return ok
}

// Keys lists the catalog's keys, sorted.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.messages))
	for k := range c.messages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// JSON is the catalog as the browser's scripts read it.
func (c *Catalog) JSON() []byte { return c.raw }

// maxHeader bounds the Accept-Language header read.
const maxHeader = 1024

// Negotiate picks the language for a request: a valid preference cookie
// first, else the best match of the Accept-Language header, else English.
func Negotiate(cookie, acceptLanguage string) string {
	if slices.Contains(Languages, cookie) {
		return cookie
	}
	if len(acceptLanguage) > maxHeader {
		acceptLanguage = acceptLanguage[:maxHeader]
	}
	best, bestQ := Languages[0], 0.0
	for part := range strings.SplitSeq(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if !slices.Contains(Languages, primary) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}
