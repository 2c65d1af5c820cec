package urlscrub

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestScrubPath(t *testing.T) {
	tests := []struct{ url, want string }{
		// Ordinary pages stay as they are.
		{"https://example.com/blog/2024/05/my-post", "/blog/2024/05/my-post"},
		{"https://example.com/products/iphone-15", "/products/iphone-15"},
		{"https://example.com/ja/お知らせ", "/ja/お知らせ"},
		{"https://example.com/ja/%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B", "/ja/お知らせ"},
		{"https://example.com/top-10-gpus-rtx4090-rx7900xtx-a100", "/top-10-gpus-rtx4090-rx7900xtx-a100"},
		{"https://example.com/archive/2024-05-01", "/archive/2024-05-01"},
		{"https://example.com/report-2019-2024", "/report-2019-2024"},
		{"https://example.com/v1.2.3/docs", "/v1.2.3/docs"},
		{"https://example.com/watch/dQw4w9WgXcQ", "/watch/dQw4w9WgXcQ"},
		{"https://example.com/@john", "/@john"},
		{"https://example.com/c++/tips", "/c++/tips"},
		{"https://example.com/sites/www.example.org", "/sites/www.example.org"},
		{"https://example.com/blog/", "/blog/"},
		// Empty path and slashes.
		{"https://example.com", "/"},
		{"https://example.com?x=1", "/"},
		{"http://example.com//a///b//", "/a/b/"},
		// E-mail addresses.
		{"https://example.com/users/john.doe@example.com", "/users/:email"},
		{"https://example.com/users/john.doe@example.com-profile", "/users/:email-profile"},
		{"https://example.com/u/john%2Bnews%40mail.example.co.jp/edit", "/u/:email/edit"},
		{"https://example.com/u/JOHN@EXAMPLE.COM", "/u/:email"},
		{"https://example.com/u/me@localhost", "/u/me@localhost"},
		// Long numbers.
		{"https://example.com/order/123456789", "/order/:id"},
		{"https://example.com/order/12345", "/order/:id"},
		{"https://example.com/order/12", "/order/12"},
		{"https://example.com/order-1234567/items", "/order-:id/items"},
		{"https://example.com/customer123456", "/customer:id"},
		{"https://example.com/call/+81-90-1234-5678", "/call/:phone"},
		{"https://example.com/call/(555)%20123-4567", "/call/:phone"},
		{"https://example.com/ip/192.168.100.200", "/ip/:ip"},
		{"https://example.com/ip/192.168.1.2", "/ip/:ip"},
		// UUIDs and tokens.
		{"https://example.com/o/550e8400-e29b-41d4-a716-446655440000/x", "/o/:uuid/x"},
		{"https://example.com/o/550E8400-E29B-41D4-A716-446655440000", "/o/:uuid"},
		{"https://example.com/reset/5f4dcc3b5aa765d61d8327deb882cf99", "/reset/:token"},
		{"https://example.com/s/AbC12dEf34GhI56jKl78mN", "/s/:token"},
		{"https://example.com/s/a1b2c3d4e5f6g7h8i9j0k", "/s/:token"},
		{"https://example.com/t/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "/t/:token"},
		{"https://example.com/k/" + strings.Repeat("0123456789abcdef", 4), "/k/:token"},
		{"https://example.com/k/" + strings.Repeat("deadbeef", 8), "/k/" + strings.Repeat("deadbeef", 8)},
		// Escapes that would change the path's meaning stay escaped.
		{"https://example.com/a%2Fb", "/a%2Fb"},
		{"https://example.com/a%3Fb%23c", "/a%3Fb%23c"},
		{"https://example.com/a%0Ab%00", "/a%0Ab%00"},
		{"https://example.com/100%25/50%", "/100%25/50%25"},
		{"https://example.com/%zz", "/%25zz"},
		{"https://example.com/%e3%81", "/\uFFFD"},
		{"https://example.com/%ff/x", "/\uFFFD/x"},
		{"https://example.com/a\tb", "/a%09b"},
		{"https://example.com/my%20page", "/my page"},
	}
	for _, tt := range tests {
		p, err := Scrub(tt.url, nil)
		if err != nil {
			t.Errorf("Scrub(%q): %v", tt.url, err)
			continue
		}
		if p.Path != tt.want {
			t.Errorf("Scrub(%q).Path = %q, want %q", tt.url, p.Path, tt.want)
		}
	}
}

func TestScrubHost(t *testing.T) {
	tests := []struct {
		url, want string
		err       error
	}{
		{"https://Example.COM/", "example.com", nil},
		{"HTTPS://www.example.com:8443/x", "www.example.com", nil},
		{"http://example.com./", "example.com", nil},
		{"https://user:secret@example.com/", "example.com", nil},
		{"https://[2001:DB8::1]:8080/", "[2001:db8::1]", nil},
		{"https://my_host.local/", "my_host.local", nil},
		{"  https://example.com/  ", "example.com", nil},
		// Other schemes, as Plausible accepts them (Events API: url).
		{"ftp://example.com/", "example.com", nil},
		{"file:///android_asset/www/index.html", NoHostname, nil},
		{"chrome-extension://liipgellkffekalgefpjolodblggkmjg/popup.html", "liipgellkffekalgefpjolodblggkmjg", nil},
		{"app://localhost/login", "localhost", nil},
		{"data://text/plain,hello", "", ErrNotHTTP},
		{"DATA://x", "", ErrNotHTTP},
		{"1app://x/", "", ErrNotHTTP},
		{"ap p://x/", "", ErrNotHTTP},
		{"//example.com/", "", ErrNotHTTP},
		{"/relative/path", "", ErrNotHTTP},
		{"javascript:alert(1)", "", ErrNotHTTP},
		{"", "", ErrNotHTTP},
		{"https://", "", ErrBadHost},
		{"https://:80/", "", ErrBadHost},
		{"https://exa mple.com/", "", ErrBadHost},
		{"https://例え.jp/", "", ErrBadHost},
		{"https://[zz::1]/", "", ErrBadHost},
		{"https://[::1/", "", ErrBadHost},
		{"https://" + strings.Repeat("a", 254) + "/", "", ErrBadHost},
		{"https://example.com/" + strings.Repeat("a", MaxURLLen), "", ErrTooLong},
	}
	for _, tt := range tests {
		p, err := Scrub(tt.url, nil)
		if !errors.Is(err, tt.err) {
			t.Errorf("Scrub(%q) error = %v, want %v", tt.url, err, tt.err)
			continue
		}
		if p.Hostname != tt.want {
			t.Errorf("Scrub(%q).Hostname = %q, want %q", tt.url, p.Hostname, tt.want)
		}
	}
}

func TestScrubQuery(t *testing.T) {
	u := "https://example.com/p?utm_source=Newsletter&utm_medium=email&utm_campaign=spring%20sale+2024" +
		"&utm_content=banner&utm_term=running+shoes&UTM_SOURCE=second&fbclid=IwAR123&email=a@b.co" +
		"&source=x&ref=producthunt&q=&s=iPhone+%E3%82%B1%E3%83%BC%E3%82%B9&token=abc"
	p, err := Scrub(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Page{
		Hostname: "example.com", Path: "/p", SearchTerm: "iphone ケース",
		UTMSource: "Newsletter", UTMMedium: "email", UTMCampaign: "spring sale 2024",
		UTMContent: "banner", UTMTerm: "running shoes", Ref: "x", // source= wins over ref=, as in Plausible
		ClickID: "fbclid", // the parameter's name only, never its value
	}
	if p != want {
		t.Errorf("Scrub = %+v\nwant    %+v", p, want)
	}
}

func TestScrubQueryValuesRedacted(t *testing.T) {
	u := "https://example.com/?utm_campaign=mail+to+john.doe%40example.com&utm_content=order+123456789" +
		"&search=%E2%80%AEReverse%00d&source=newsletter&utm_medium=%20%20a%20%20b%20"
	p, err := Scrub(u, &Options{SearchParams: []string{"search"}})
	if err != nil {
		t.Fatal(err)
	}
	if p.UTMCampaign != "mail to :email" || p.UTMContent != "order :id" {
		t.Errorf("identifiers kept: %+v", p)
	}
	if p.SearchTerm != "reversed" || p.Ref != "newsletter" || p.UTMMedium != "a b" {
		t.Errorf("cleaning: %+v", p)
	}
}

func TestScrubOtherSchemePath(t *testing.T) {
	for u, want := range map[string]string{
		"file:///android_asset/www/index.html":                           "/android_asset/www/index.html",
		"chrome-extension://liipgellkffekalgefpjolodblggkmjg/popup.html": "/popup.html",
		"app://localhost/login?user=jane.doe@mail.example":               "/login",
		"file://": "/",
		"file:///users/jane.doe@mail.example/report.html": "/users/:email/report.html",
	} {
		p, err := Scrub(u, nil)
		if err != nil || p.Path != want {
			t.Errorf("Scrub(%q) = %q, %v; want %q", u, p.Path, err, want)
		}
	}
}

func TestScrubClickID(t *testing.T) {
	for u, want := range map[string]string{
		"https://example.com/?gclid=123identifier":                      "gclid",
		"https://example.com/?msclkid=abc&utm_medium=cpc":               "msclkid",
		"https://example.com/?fbclid=IwAR1&gclid=Cj0K":                  "gclid",
		"https://example.com/#/x?GCLID=1":                               "",
		"https://example.com/?utm_source=google":                        "",
		"https://example.com/?twclid=1&wbraid=2":                        "wbraid",
		"https://example.com/?gclidx=1&xgclid=2&gclid_value=Cj0K&gcl=1": "",
	} {
		p, err := Scrub(u, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.ClickID != want {
			t.Errorf("%s: ClickID %q, want %q", u, p.ClickID, want)
		}
		if strings.Contains(fmt.Sprintf("%+v", p), "Cj0K") || strings.Contains(fmt.Sprintf("%+v", p), "IwAR") {
			t.Errorf("%s: a click id's value was kept: %+v", u, p)
		}
	}
}

func TestScrubSearchParamPriority(t *testing.T) {
	opts := &Options{SearchParams: []string{"query", "q"}}
	p, _ := Scrub("https://example.com/?q=second&query=First", opts)
	if p.SearchTerm != "first" {
		t.Errorf("SearchTerm = %q, want the first-ranked parameter", p.SearchTerm)
	}
	p, _ = Scrub("https://example.com/?q=only&q=again", opts)
	if p.SearchTerm != "only" {
		t.Errorf("SearchTerm = %q, want the first occurrence", p.SearchTerm)
	}
	p, _ = Scrub("https://example.com/?q=x", &Options{})
	if p.SearchTerm != "" {
		t.Errorf("no search params configured: SearchTerm = %q", p.SearchTerm)
	}
}

func TestScrubFragment(t *testing.T) {
	hash := &Options{HashRouting: true, SearchParams: []string{"q"}}
	tests := []struct {
		url  string
		opts *Options
		want Page
	}{
		{"https://example.com/app#/users/12345678", nil, Page{Path: "/app"}},
		{"https://example.com/app#/users/12345678", hash, Page{Path: "/app#/users/:id"}},
		{"https://example.com/#!/about", hash, Page{Path: "/#/about"}},
		{"https://example.com/docs#section-2", hash, Page{Path: "/docs"}},
		{"https://example.com/#", hash, Page{Path: "/"}},
		{"https://example.com/#/a%23b", hash, Page{Path: "/#/a%23b"}},
		{"https://example.com/?utm_source=main#/s?q=Shoes&utm_source=frag&utm_medium=m", hash,
			Page{Path: "/#/s", SearchTerm: "shoes", UTMSource: "main", UTMMedium: "m"}},
	}
	for _, tt := range tests {
		p, err := Scrub(tt.url, tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		tt.want.Hostname = "example.com"
		if p != tt.want {
			t.Errorf("Scrub(%q) = %+v, want %+v", tt.url, p, tt.want)
		}
	}
}

func TestScrubPathCap(t *testing.T) {
	seg := strings.Repeat("あ", 100) // 300 bytes
	u := "https://example.com/" + strings.Repeat(seg+"/", 5)
	p, err := Scrub(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Path) > MaxPathLen || len(p.Path) < MaxPathLen-3 {
		t.Errorf("len(Path) = %d, want just under %d", len(p.Path), MaxPathLen)
	}
	if !strings.HasSuffix(p.Path, "あ") {
		t.Errorf("path cut inside a rune: %q", p.Path[len(p.Path)-4:])
	}
}

// Unchanged paths and hosts are returned without copying.
func TestScrubAllocs(t *testing.T) {
	u := "https://example.com/blog/2024/05/my-post?utm_source=x&fbclid=abc"
	if n := testing.AllocsPerRun(100, func() { _, _ = Scrub(u, nil) }); n > 0 {
		t.Errorf("Scrub of a clean URL allocates %v times", n)
	}
}

func TestScrubPathInvisible(t *testing.T) {
	p, err := Scrub("https://example.com/a%C2%80b/%E2%80%AEtxt.exe/日本", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/a%C2%80b/%E2%80%AEtxt.exe/日本"; p.Path != want {
		t.Errorf("Path = %q, want %q", p.Path, want)
	}
}
