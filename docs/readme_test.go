// Package docs holds the project's documentation; its test keeps the
// Japanese README a faithful version of the English one.
package docs

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// readme is what of a README must agree between the two languages.
type readme struct {
	headings []int       // the level of each heading, in order
	slugs    []string    // each heading's anchor, as GitHub makes it
	blocks   []codeBlock // fenced code blocks, in order
	spans    []string    // inline code, sorted, each once
	links    []string    // link targets other than the file's own headings, sorted, each once
	anchors  []string    // links to the file's own headings
}

type codeBlock struct {
	lang  string
	lines []string
}

var (
	fence     = regexp.MustCompile("^```(\\w*)\\s*$")
	heading   = regexp.MustCompile(`^(#{1,6}) (.+)$`)
	inline    = regexp.MustCompile("`([^`]+)`")
	link      = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	shComment = regexp.MustCompile(`(^|\s+)# .*$`)
)

func parseReadme(t *testing.T, path string) readme {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r readme
	var block *codeBlock
	var prose strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		if m := fence.FindStringSubmatch(line); m != nil {
			if block == nil {
				block = &codeBlock{lang: m[1]}
			} else {
				r.blocks = append(r.blocks, *block)
				block = nil
			}
			continue
		}
		if block != nil {
			block.lines = append(block.lines, line)
			continue
		}
		if m := heading.FindStringSubmatch(line); m != nil {
			r.headings = append(r.headings, len(m[1]))
			r.slugs = append(r.slugs, slug(m[2]))
		}
		prose.WriteString(line + "\n")
	}
	if block != nil {
		t.Fatalf("%s: a code block is not closed", path)
	}
	// Inline code may wrap onto the next line: join lines first.
	text := strings.ReplaceAll(prose.String(), "\n", " ")
	for _, m := range inline.FindAllStringSubmatch(text, -1) {
		r.spans = append(r.spans, strings.Join(strings.Fields(m[1]), " "))
	}
	for _, m := range link.FindAllStringSubmatch(text, -1) {
		if strings.HasPrefix(m[1], "#") {
			r.anchors = append(r.anchors, m[1][1:])
		} else if !strings.HasPrefix(m[1], "README") {
			r.links = append(r.links, m[1])
		}
	}
	slices.Sort(r.spans)
	r.spans = slices.Compact(r.spans)
	slices.Sort(r.links)
	r.links = slices.Compact(r.links)
	return r
}

// slug is GitHub's anchor of a heading: lower case, punctuation (ASCII
// and full-width) removed, spaces as hyphens.
func slug(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalised is a code block as both READMEs must give it: shell
// comments (after "# ") may be translated, and so may the descriptions of
// the plain block (the layout), whose first column must agree.
func (c codeBlock) normalised() []string {
	out := make([]string, 0, len(c.lines))
	for _, l := range c.lines {
		switch c.lang {
		case "sh":
			l = shComment.ReplaceAllString(l, "")
		case "":
			if f := strings.Fields(l); len(f) > 0 && strings.HasSuffix(f[0], "/") {
				l = f[0]
			} else {
				l = ""
			}
		}
		out = append(out, strings.TrimRight(l, " "))
	}
	return out
}

// TestReadmeJapaneseIsInSync: README.ja.md has README.md's sections (the
// same headings at the same levels, in order), the same commands (every
// code block, up to translated comments), the same flags, paths, names and
// values (every piece of inline code), the same links, and its links to
// its own sections lead somewhere. Both files' section links are checked.
func TestReadmeJapaneseIsInSync(t *testing.T) {
	en, ja := parseReadme(t, "../README.md"), parseReadme(t, "../README.ja.md")
	defer func() {
		if t.Failed() {
			t.Log("README.md changed: translate the change into README.ja.md, the same place in the same section")
		}
	}()
	if !slices.Equal(en.headings, ja.headings) {
		t.Errorf("heading levels differ:\n en %v\n ja %v", en.headings, ja.headings)
	}
	if len(en.blocks) != len(ja.blocks) {
		t.Fatalf("%d code blocks in README.md, %d in README.ja.md", len(en.blocks), len(ja.blocks))
	}
	for i := range en.blocks {
		e, j := en.blocks[i], ja.blocks[i]
		if e.lang != j.lang || !slices.Equal(e.normalised(), j.normalised()) {
			t.Errorf("code block %d differs:\n--- README.md (%s)\n%s\n--- README.ja.md (%s)\n%s", i+1,
				e.lang, strings.Join(e.lines, "\n"), j.lang, strings.Join(j.lines, "\n"))
		}
	}
	for _, s := range en.spans {
		if _, ok := slices.BinarySearch(ja.spans, s); !ok {
			t.Errorf("README.ja.md lacks `%s`", s)
		}
	}
	for _, s := range ja.spans {
		if _, ok := slices.BinarySearch(en.spans, s); !ok {
			t.Errorf("README.ja.md has `%s`, which README.md does not", s)
		}
	}
	if !slices.Equal(en.links, ja.links) {
		t.Errorf("links differ:\n en %v\n ja %v", en.links, ja.links)
	}
	for name, r := range map[string]readme{"README.md": en, "README.ja.md": ja} {
		for _, a := range r.anchors {
			if !slices.Contains(r.slugs, a) {
				t.Errorf("%s links #%s, which is none of its headings", name, a)
			}
		}
	}
}
