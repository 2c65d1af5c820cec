package urlscrub

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/shukei-analytics/shukei/internal/scrubtest"
)

// corpusLines reads the non-comment lines of a corpus file, split at tabs.
func corpusLines(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("testdata/corpus/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Split(line, "\t"))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpusPersonal: every personal datum, in every form and every place,
// is gone from every stored field.
func TestCorpusPersonal(t *testing.T) {
	lines := corpusLines(t, "personal.txt")
	if len(lines) < 40 {
		t.Fatalf("personal.txt has %d data", len(lines))
	}
	opts := &Options{SearchParams: []string{"q"}, HashRouting: true}
	checked := 0
	for _, l := range lines {
		kind, datum := l[0], l[1]
		mark := marker(kind, datum)
		for formName, form := range forms(datum) {
			for placeName, u := range places(kind, form) {
				p, err := Scrub(u, opts)
				if err != nil {
					t.Errorf("%s %s in %s: %v", formName, datum, placeName, err)
					continue
				}
				for _, v := range []string{p.Path, p.SearchTerm, p.UTMSource, p.UTMMedium, p.UTMCampaign, p.UTMContent, p.UTMTerm, p.Ref} {
					checked++
					if strings.Contains(alnum(canonical(v)), mark) {
						t.Errorf("%s %q (%s, in %s) survives: %q\n  url %s", kind, datum, formName, placeName, v, u)
					} else if l := leak(v); l != "" && kind != "person" {
						t.Errorf("%s %q (%s, in %s): %s in %q", kind, datum, formName, placeName, l, v)
					}
				}
			}
		}
	}
	t.Logf("%d data, %d stored fields checked", len(lines), checked)
}

// marker is what must not be found in a stored value: the datum's letters
// and digits, lowercased (the local part of an e-mail address, the number
// of a person-like one).
func marker(kind, datum string) string {
	switch kind {
	case "email":
		datum, _, _ = strings.Cut(datum, "@")
	case "person":
		datum = strings.TrimLeftFunc(datum, func(r rune) bool { return !unicode.IsDigit(r) })
	}
	return alnum(datum)
}

func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// forms are the ways a datum reaches a URL.
func forms(d string) map[string]string {
	return map[string]string{
		"as written":             d,
		"full-width":             scrubtest.FullWidth(d),
		"percent-encoded":        scrubtest.Percent(d, "%"),
		"percent-encoded twice":  scrubtest.Percent(d, "%25"),
		"mixed case":             mixedCase(d),
		"full-width, encoded":    scrubtest.Percent(scrubtest.FullWidth(d), "%"),
		"full-width escapes":     fullWidthEscapes(d),
		"encoded full-width '％'": scrubtest.Percent(fullWidthEscapes(d), "%"),
	}
}

// places are the URLs that carry a form: a path segment, inside a
// segment, a hash route, a fragment, utm_* values, the search term, ref=.
func places(kind, f string) map[string]string {
	q := strings.NewReplacer("%", "%", "+", "%2B", "&", "%26", "#", "%23", " ", "+").Replace(f)
	out := map[string]string{
		"path":         "https://example.jp/u/" + f,
		"hash route":   "https://example.jp/app#/u/" + f,
		"fragment":     "https://example.jp/app?x=1#" + f,
		"utm_content":  "https://example.jp/?utm_content=" + q,
		"utm_campaign": "https://example.jp/?utm_campaign=" + q + "&utm_source=x",
		"utm_term":     "https://example.jp/?utm_term=" + q,
		"utm_source":   "https://example.jp/?utm_source=" + q,
		"utm_medium":   "https://example.jp/?utm_medium=" + q,
		"search term":  "https://example.jp/search?q=" + q,
		"ref":          "https://example.jp/?ref=" + q,
		"route query":  "https://example.jp/app#/s?q=" + q,
	}
	if kind != "person" {
		out["inside a segment"] = "https://example.jp/u/p_" + f + "_x.html"
		out["mid-value"] = "https://example.jp/?utm_content=mail+" + q + "+now&q=see+" + q + "+x"
	}
	return out
}

func mixedCase(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		if i%2 == 0 {
			rs[i] = unicode.ToUpper(r)
		} else {
			rs[i] = unicode.ToLower(r)
		}
	}
	return string(rs)
}

// fullWidthEscapes writes punctuation as full-width percent escapes
// ("＠" → "％４０"), which only NFKC followed by decoding reveals.
func fullWidthEscapes(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x7f && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			b.WriteString(scrubtest.FullWidth(fmt.Sprintf("%%%02X", r)))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestCorpusPages: real page URLs keep their path and campaign values.
func TestCorpusPages(t *testing.T) {
	lines := corpusLines(t, "pages.txt")
	if len(lines) < 30 {
		t.Fatalf("pages.txt has %d URLs, want at least 30", len(lines))
	}
	for _, l := range lines {
		raw := l[0]
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		want := u.EscapedPath()
		if len(l) > 1 {
			want = l[1]
		}
		p, err := Scrub(raw, nil)
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if p.Path != want {
			t.Errorf("%s: path %q, want %q", raw, p.Path, want)
		}
		got := map[string]string{"utm_source": p.UTMSource, "utm_medium": p.UTMMedium,
			"utm_campaign": p.UTMCampaign, "utm_content": p.UTMContent, "utm_term": p.UTMTerm}
		for k, v := range u.Query() {
			if g, ok := got[k]; ok && g != v[0] {
				t.Errorf("%s: %s %q, want %q", raw, k, g, v[0])
			}
		}
		// A stored page scrubs to itself: what the dashboard links to is
		// what the public side accepts (aggregator/opendata).
		if again, _ := Scrub("https://example.jp"+p.Path, nil); again.Path != p.Path {
			t.Errorf("%s: scrubbing %q again gives %q", raw, p.Path, again.Path)
		}
	}
}
