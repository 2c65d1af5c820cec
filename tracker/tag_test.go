package tracker

import (
	"strings"
	"testing"
)

func TestTag(t *testing.T) {
	cases := []struct {
		opts TagOptions
		want string
	}{
		{TagOptions{Domain: "example.org", PublicURL: "https://stats.example.org"},
			`<script defer data-domain="example.org" src="https://stats.example.org/js/script.js"></script>`},
		{TagOptions{Domain: "Example.ORG.", PublicURL: "https://stats.example.org/", RespectGPC: true, Features: OutboundLinks | FileDownloads},
			`<script defer data-domain="example.org" data-respect-gpc src="https://stats.example.org/js/script.file-downloads.outbound-links.js"></script>`},
		{TagOptions{Domain: "city.example.jp", PublicURL: "https://www.example.jp/stats/", Features: Hash},
			`<script defer data-domain="city.example.jp" data-api="https://www.example.jp/stats/api/event" src="https://www.example.jp/stats/js/script.hash.js"></script>`},
		{TagOptions{Domain: "example.org", PublicURL: "http://127.0.0.1:8080", Features: Local},
			`<script defer data-domain="example.org" src="http://127.0.0.1:8080/js/script.local.js"></script>`},
	}
	for _, c := range cases {
		got, err := Tag(c.opts)
		if err != nil || got != c.want {
			t.Errorf("%+v:\n got %s (%v)\nwant %s", c.opts, got, err, c.want)
		}
	}
}

func TestTagRefusesBadInput(t *testing.T) {
	for _, c := range []TagOptions{
		{Domain: "", PublicURL: "https://stats.example.org"},
		{Domain: `example.org" onload="x`, PublicURL: "https://stats.example.org"},
		{Domain: "example.org", PublicURL: ""},
		{Domain: "example.org", PublicURL: "stats.example.org"},
		{Domain: "example.org", PublicURL: "javascript:alert(1)"},
		{Domain: "example.org", PublicURL: "https://user:pw@stats.example.org"},
		{Domain: "example.org", PublicURL: "https://stats.example.org/?x=1"},
		{Domain: "example.org", PublicURL: "https://stats.example.org/#top"},
		{Domain: "example.org", PublicURL: "https:///path"},
		{Domain: strings.Repeat("a", 300), PublicURL: "https://stats.example.org"},
	} {
		if got, err := Tag(c); err == nil {
			t.Errorf("%+v: accepted as %s", c, got)
		}
	}
	// A path with characters that need escaping stays inside its attribute.
	got, err := Tag(TagOptions{Domain: "example.org", PublicURL: `https://stats.example.org/a"b<c`})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, `a"b`) || strings.Contains(got, "<c") {
		t.Errorf("unescaped: %s", got)
	}
}

// FuzzTag: whatever the input, Tag either refuses it or prints one script
// element whose attribute values cannot break out of their quotes.
func FuzzTag(f *testing.F) {
	f.Add("example.org", "https://stats.example.org")
	f.Add("a.b", "http://h/p\"<x>")
	f.Add("x", "https://u:p@h")
	f.Fuzz(func(t *testing.T, domain, public string) {
		tag, err := Tag(TagOptions{Domain: domain, PublicURL: public})
		if err != nil {
			return
		}
		if !strings.HasPrefix(tag, "<script defer ") || !strings.HasSuffix(tag, "></script>") ||
			strings.Count(tag, "<") != 2 || strings.Count(tag, ">") != 2 || strings.Count(tag, `"`)%2 != 0 {
			t.Fatalf("%q, %q → %s", domain, public, tag)
		}
	})
}
