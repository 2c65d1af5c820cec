package referrer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name                     string
		referrer, page, utm, ref string
		want                     Source
	}{
		{"direct", "", "example.com", "", "", Source{Name: DirectNone}},
		{"google", "https://www.google.com/", "example.com", "", "", Source{"Google", "google.com"}},
		{"google jp", "https://www.google.co.jp/search?q=secret", "example.com", "", "", Source{"Google", "google.co.jp"}},
		{"google br", "https://www.google.com.br/", "example.com", "", "", Source{"Google", "google.com.br"}},
		{"google de", "https://google.de/url?q=x", "example.com", "", "", Source{"Google", "google.de"}},
		{"google news", "https://news.google.com/articles/abc", "example.com", "", "", Source{"Google", "news.google.com"}},
		{"not google", "https://google.example.org/", "example.com", "", "", Source{"google.example.org", "google.example.org"}},
		{"yahoo japan search", "https://search.yahoo.co.jp/search?p=%E6%9D%B1%E4%BA%AC", "example.com", "", "", Source{"Yahoo!", "search.yahoo.co.jp"}},
		{"yahoo search", "https://search.yahoo.com", "example.com", "", "", Source{"Yahoo!", "search.yahoo.com"}},
		{"bing", "https://www.bing.com/", "example.com", "", "", Source{"Bing", "bing.com"}},
		{"cn bing", "https://cn.bing.com/", "example.com", "", "", Source{"Bing", "cn.bing.com"}},
		{"msn new tab is bing", "https://ntp.msn.com", "example.com", "", "", Source{"Bing", "ntp.msn.com"}},
		{"duckduckgo", "https://duckduckgo.com/", "example.com", "", "", Source{"DuckDuckGo", "duckduckgo.com"}},
		{"yandex tr", "https://yandex.com.tr/", "example.com", "", "", Source{"Yandex", "yandex.com.tr"}},
		{"yandex kz", "https://yandex.kz", "example.com", "", "", Source{"Yandex", "yandex.kz"}},
		{"ya.ru", "https://ya.ru", "example.com", "", "", Source{"Yandex", "ya.ru"}},
		{"naver", "https://search.naver.com/search.naver?query=x", "example.com", "", "", Source{"Naver", "search.naver.com"}},
		{"brave", "https://search.brave.com/", "example.com", "", "", Source{"Brave", "search.brave.com"}},
		{"sogou wap", "https://wap.sogou.com", "example.com", "", "", Source{"Sogou", "wap.sogou.com"}},
		{"facebook mobile", "https://m.facebook.com/", "example.com", "", "", Source{"Facebook", "m.facebook.com"}},
		{"facebook link shim", "https://l.facebook.com/l.php?u=x", "example.com", "", "", Source{"Facebook", "l.facebook.com"}},
		{"t.co", "https://t.co/abc123", "example.com", "", "", Source{"Twitter", "t.co"}},
		{"x.com", "https://x.com/", "example.com", "", "", Source{"Twitter", "x.com"}},
		{"lnkd.in", "https://lnkd.in/xyz", "example.com", "", "", Source{"LinkedIn", "lnkd.in"}},
		{"youtube", "https://www.youtube.com/watch?v=x", "example.com", "", "", Source{"Youtube", "youtube.com"}},
		{"discord canary", "https://canary.discord.com", "example.com", "", "", Source{"Discord", "canary.discord.com"}},
		{"telegram web", "https://webk.telegram.org", "example.com", "", "", Source{"Telegram", "webk.telegram.org"}},
		{"teams", "https://statics.teams.cdn.office.net", "example.com", "", "", Source{"Microsoft Teams", "statics.teams.cdn.office.net"}},
		{"wikipedia", "https://en.m.wikipedia.org/wiki/X", "example.com", "", "", Source{"Wikipedia", "en.m.wikipedia.org"}},
		{"vkontakte", "https://vkontakte.ru", "example.com", "", "", Source{"Vkontakte", "vkontakte.ru"}},
		{"hatena is a host", "https://b.hatena.ne.jp/entry/s/example.com", "example.com", "", "", Source{"b.hatena.ne.jp", "b.hatena.ne.jp"}},
		{"chatgpt is a host", "https://chatgpt.com/", "example.com", "", "", Source{"chatgpt.com", "chatgpt.com"}},
		{"gmail", "https://mail.google.com/", "example.com", "", "", Source{"Gmail", "mail.google.com"}},
		{"mastodon is a host", "https://mastodon.social/@x", "example.com", "", "", Source{"mastodon.social", "mastodon.social"}},
		{"unknown strips www", "https://WWW.Blog.Example.org:8443/post?id=1", "example.com", "", "", Source{"blog.example.org", "blog.example.org"}},
		{"userinfo dropped", "https://user:pw@news.example.net/", "example.com", "", "", Source{"news.example.net", "news.example.net"}},
		{"android gmail", "android-app://com.google.android.gm/", "example.com", "", "", Source{"Gmail", "android-app://com.google.android.gm"}},
		{"android reddit", "android-app://com.reddit.frontpage", "example.com", "", "", Source{"Reddit", "android-app://com.reddit.frontpage"}},
		{"android unknown", "android-app://some.android.app", "example.com", "", "", Source{"android-app://some.android.app", "android-app://some.android.app"}},
		{"self", "https://example.com/a", "example.com", "", "", Source{Name: DirectNone}},
		{"self www", "https://www.example.com/a", "example.com", "", "", Source{Name: DirectNone}},
		{"self www page", "https://example.com/a", "WWW.EXAMPLE.COM", "", "", Source{Name: DirectNone}},
		{"self with utm", "https://example.com/a", "example.com", "newsletter", "", Source{Name: "newsletter"}},
		{"localhost", "http://localhost:4000/", "example.com", "", "", Source{Name: DirectNone}},
		{"subdomain is external", "https://blog.example.com/", "example.com", "", "", Source{"blog.example.com", "blog.example.com"}},
		{"utm wins", "https://betalist.com/my-product", "example.com", "betalist", "", Source{"betalist", "betalist.com"}},
		{"utm alias", "", "example.com", "fb", "", Source{"Facebook", ""}},
		{"utm ad alias", "", "example.com", "fb-ads", "", Source{"Facebook", ""}},
		{"utm alias case", "", "example.com", "Google-ads", "", Source{"Google", ""}},
		{"utm adwords", "", "example.com", "Adwords", "", Source{"Google", ""}},
		{"utm known name any case", "", "example.com", "facebook", "", Source{"Facebook", ""}},
		{"utm yt", "", "example.com", "yt", "", Source{"Youtube", ""}},
		{"utm reddit ads", "", "example.com", "Reddit-ads", "", Source{"Reddit", ""}},
		{"utm kept as given", "", "example.com", "Newsletter-UK", "", Source{"Newsletter-UK", ""}},
		{"utm domain kept", "", "example.com", "chatgpt.com", "", Source{"chatgpt.com", ""}},
		{"tagged", "", "example.com", "", "producthunt", Source{"producthunt", ""}},
		{"tagged known", "", "example.com", "", "perplexity", Source{"Perplexity", ""}},
		{"utm over tagged", "", "example.com", "twitter", "hn", Source{"Twitter", ""}},
		{"ip referrer", "http://192.0.2.10:8080/admin", "example.com", "", "", Source{Name: IPAddress}},
		{"ipv6 referrer", "http://[2001:db8::1]/", "example.com", "", "", Source{Name: IPAddress}},
		{"empty label", "HTTP://WWW..", "example.com", "", "", Source{Name: DirectNone}},
		{"double dot", "https://a..example.com/", "example.com", "", "", Source{Name: DirectNone}},
		{"ip utm", "", "example.com", "192.0.2.1", "", Source{IPAddress, ""}},
		{"ipv6 utm", "", "example.com", "2001:db8::1", "", Source{IPAddress, ""}},
		{"other scheme", "file:///etc/passwd", "example.com", "", "", Source{Name: DirectNone}},
		{"ftp", "ftp://wat", "example.com", "", "", Source{Name: DirectNone}},
		{"malformed", "https:://twitter.com", "example.com", "", "", Source{Name: DirectNone}},
		{"chrome extension", "chrome-extension://abc/", "example.com", "", "", Source{Name: DirectNone}},
		{"garbage", "not a url", "example.com", "", "", Source{Name: DirectNone}},
		{"bad host chars", "https://exa mple.com/", "example.com", "", "", Source{Name: DirectNone}},
		{"whitespace utm", "", "example.com", "   ", "", Source{Name: DirectNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.referrer, tt.page, tt.utm, tt.ref); got != tt.want {
				t.Errorf("Classify(%q, %q, %q, %q) = %+v, want %+v", tt.referrer, tt.page, tt.utm, tt.ref, got, tt.want)
			}
		})
	}
}

func TestClassifyLongName(t *testing.T) {
	got := Classify("", "example.com", strings.Repeat("é", 80), "")
	if len(got.Name) > maxNameLen || strings.ContainsRune(got.Name, '\uFFFD') {
		t.Errorf("Name = %q (%d bytes)", got.Name, len(got.Name))
	}
}

func TestClassifyAllocs(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		_ = Classify("https://search.yahoo.co.jp/search?p=x", "example.com", "", "")
		_ = Classify("https://www.google.co.jp/", "example.com", "Facebook", "")
	})
	if n != 0 {
		t.Errorf("Classify allocates %v times", n)
	}
}

func TestSpamList(t *testing.T) {
	l, err := LoadSpamList("")
	if err != nil {
		t.Fatal(err)
	}
	if l.Len() < 2000 {
		t.Errorf("built-in lists have %d domains", l.Len())
	}
	for host, want := range map[string]bool{
		// From the community list, as Plausible's own test sends them.
		"1-best-seo.com": true, "www.1-best-seo.com": true, "qiwi.xyz": true, "a.b.zvuker.net": true,
		"semalt.com": true, "SEMALT.COM": true, "semalt.com.": true, "www.semalt.com": true,
		"x.y.darodar.com": true, "notsemalt.com": false, "semalt.com.example.org": false,
		"example.com": false, "": false, "com": false,
	} {
		if got := l.IsSpam(host); got != want {
			t.Errorf("IsSpam(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestLoadSpamListExtra(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spam.txt")
	if err := os.WriteFile(path, []byte("# mine\nspam.example.net  # trailing\n\nWWW.Other-Spam.test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	l, err := LoadSpamList(path)
	if err != nil {
		t.Fatal(err)
	}
	if !l.IsSpam("a.spam.example.net") || !l.IsSpam("other-spam.test") || !l.IsSpam("semalt.com") {
		t.Error("extra or built-in domains missing")
	}
	if err := os.WriteFile(path, []byte("good.example\nnot a domain\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSpamList(path); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line: err = %v", err)
	}
	missing := filepath.Join(t.TempDir(), "missing.txt")
	if _, err := LoadSpamList(missing); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("missing file: err = %v", err)
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("https://www.google.co.jp/search?q=x", "example.com", "", "")
	f.Add("android-app://com.google.android.gm/", "example.com", "fb", "")
	f.Add("http://[2001:db8::1]:80/", "Example.com", "", "hn")
	f.Fuzz(func(t *testing.T, referrer, page, utm, ref string) {
		s := Classify(referrer, page, utm, ref)
		if s.Name == "" {
			t.Fatal("empty Name")
		}
		host := strings.TrimPrefix(s.Host, "android-app://")
		if host != strings.ToLower(host) || strings.ContainsAny(host, "/?#@:[] ") || strings.HasPrefix(host, "www.") {
			t.Fatalf("Host %q is not a bare lowercase host", s.Host)
		}
		if host != "" && isIP(host) {
			t.Fatalf("Host %q is an IP address", s.Host)
		}
		if strings.ContainsAny(strings.TrimPrefix(s.Name, "android-app://"), "/?#") && s.Name != DirectNone && utm == "" && ref == "" {
			t.Fatalf("Name %q carries a path or query of the referrer", s.Name)
		}
	})
}

func BenchmarkClassify(b *testing.B) {
	cases := []struct{ name, referrer, utm string }{
		{"direct", "", ""},
		{"google-jp", "https://www.google.co.jp/", ""},
		{"yahoo-jp", "https://search.yahoo.co.jp/search?p=%E6%9D%B1%E4%BA%AC", ""},
		{"unknown", "https://blog.example.org/2024/05/post", ""},
		{"utm", "", "Facebook"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Classify(c.referrer, "example.com", c.utm, "")
			}
		})
	}
}

func BenchmarkIsSpam(b *testing.B) {
	l, _ := LoadSpamList("")
	b.ReportAllocs()
	for b.Loop() {
		_ = l.IsSpam("www.blog.example.org")
	}
}
