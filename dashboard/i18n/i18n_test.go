package i18n

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCatalogsHaveTheSameKeys: every message exists in both languages, with
// the same placeholders.
func TestCatalogsHaveTheSameKeys(t *testing.T) {
	cats, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en, ja := cats["en"], cats["ja"]
	if !slices.Equal(en.Keys(), ja.Keys()) {
		for _, k := range en.Keys() {
			if !ja.Has(k) {
				t.Errorf("ja.json lacks %q", k)
			}
		}
		for _, k := range ja.Keys() {
			if !en.Has(k) {
				t.Errorf("en.json lacks %q", k)
			}
		}
	}
	ph := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, k := range en.Keys() {
		a, b := ph.FindAllString(en.T(k), -1), ph.FindAllString(ja.T(k), -1)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("%s: placeholders differ: en %v, ja %v", k, a, b)
		}
		if strings.TrimSpace(ja.T(k)) == "" || strings.TrimSpace(en.T(k)) == "" {
			t.Errorf("%s: empty message", k)
		}
	}
	if len(en.Keys()) < 100 {
		t.Errorf("only %d messages", len(en.Keys()))
	}
}

func TestT(t *testing.T) {
	c := &Catalog{messages: map[string]string{"hi": "Hello, {name}! {name} has {n} sites."}}
	if got := c.T("hi", "name", "Ann", "n", 3); got != "Hello, Ann! Ann has 3 sites." {
		t.Errorf("got %q", got)
	}
	if got := c.T("missing"); got != "missing" {
		t.Errorf("missing key: %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	for _, c := range []struct{ cookie, header, want string }{
		{"", "", "en"},
		{"", "ja,en-US;q=0.9,en;q=0.8", "ja"},
		{"", "en-US,en;q=0.9,ja;q=0.8", "en"},
		{"", "fr-FR,ja;q=0.5", "ja"},
		{"", "fr, de", "en"},
		{"", "JA-jp", "ja"},
		{"", "en;q=0.2, ja;q=0.7", "ja"},
		{"", "ja;q=2, en;q=0.5", "en"},
		{"", "ja;q=abc", "en"},
		{"ja", "en", "ja"},
		{"xx", "ja", "ja"},
		{"en", "ja", "en"},
	} {
		if got := Negotiate(c.cookie, c.header); got != c.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", c.cookie, c.header, got, c.want)
		}
	}
}

func FuzzNegotiate(f *testing.F) {
	for _, s := range []string{"ja,en-US;q=0.9", "", ";;;,,,q=", "ja;q=1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if got := Negotiate("", header); !slices.Contains(Languages, got) {
			t.Fatalf("Negotiate(%q) = %q", header, got)
		}
	})
}

// TestPlainWords: no jargon a municipal web administrator would not know
// ("instance owner"), and the product is "Shukei" or 「Shukei（集計）」 in
// running text, never 「集計」 alone, which reads as the ordinary word for
// tallying (「集計中」「集計値」「集計する」 are that ordinary word).
func TestPlainWords(t *testing.T) {
	cats, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en, ja := cats["en"], cats["ja"]
	productAlone := regexp.MustCompile(`(^|[^（(])集計(は|が|を|の|に|で|と|[、。」]|$)`)
	for _, k := range ja.Keys() {
		if m := ja.T(k); strings.Contains(m, "インスタンス") || productAlone.MatchString(m) {
			t.Errorf("ja %s: %q", k, m)
		}
		if m := en.T(k); strings.Contains(strings.ToLower(m), "instance") {
			t.Errorf("en %s: %q", k, m)
		}
	}
}
