package useragent

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
	"unsafe"
)

func TestClassify(t *testing.T) {
	if len(uaCases) < 40 {
		t.Fatalf("only %d cases", len(uaCases))
	}
	for _, size := range []int{0, 1024} {
		c := New(size)
		for pass := range 2 { // the second pass is served from the cache
			for _, tt := range uaCases {
				got := c.Classify(tt.ua, tt.secCHUA)
				want := Result{Class: tt.class, Bot: tt.bot}
				if got != want {
					t.Errorf("cache %d pass %d, %s:\n got %+v\nwant %+v", size, pass, tt.name, got, want)
				}
			}
		}
	}
}

// The client-hint refinements must not leak into the cache, which is keyed
// by the User-Agent alone.
func TestClientHintsNotCached(t *testing.T) {
	c := New(64)
	if r := c.Classify(chromeWin, `"HeadlessChrome";v="124"`); r.Bot != BotHeadless {
		t.Fatalf("headless hint: %+v", r)
	}
	if r := c.Classify(chromeWin, ""); r.Bot != NotBot || r.Class.Browser != "Chrome" {
		t.Fatalf("same UA without hints: %+v", r)
	}
}

// DESIGN §2: no returned string may keep the User-Agent's memory alive.
func TestResultDoesNotAliasUA(t *testing.T) {
	c := New(64)
	for _, tt := range uaCases {
		ua := strings.Clone(tt.ua)
		r := c.Classify(ua, "")
		for _, s := range []string{r.Class.Browser, r.Class.BrowserVersion, r.Class.OS, r.Class.OSVersion, r.Class.Device} {
			if aliases(s, ua) {
				t.Errorf("%s: %q points into the User-Agent", tt.name, s)
			}
		}
	}
}

func aliases(s, in string) bool {
	if s == "" || in == "" {
		return false
	}
	p, base := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(in)))
	return p >= base && p < base+uintptr(len(in))
}

func TestCacheBounded(t *testing.T) {
	c := New(256)
	for i := range 10000 {
		c.Classify(fmt.Sprintf("Mozilla/5.0 (Windows NT 10.0) Chrome/%d.0 Safari/537.36", i%900), "")
		c.Classify(fmt.Sprintf("Mozilla/5.0 (X11; Linux x86_64) Firefox/%d.0 id%d", i%900, i), "")
	}
	if n, limit := c.cache.len(), nShards*c.cache.perShard; n > limit {
		t.Fatalf("cache holds %d entries, limit %d", n, limit)
	}
	if New(0).cache != nil || New(-1).cache != nil {
		t.Fatal("size ≤ 0 should disable the cache")
	}
}

// Two classifiers hash with different random keys.
func TestCacheKeyRandom(t *testing.T) {
	a, b := newCache(64), newCache(64)
	if a.hash(chromeWin) == b.hash(chromeWin) {
		t.Fatal("two caches share a hash key")
	}
}

func TestConcurrent(t *testing.T) {
	c := New(64)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				tt := uaCases[(g+i)%len(uaCases)]
				if got := c.Classify(tt.ua, tt.secCHUA); got.Bot != tt.bot {
					t.Errorf("%s: bot = %v, want %v", tt.name, got.Bot, tt.bot)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestBotReasonString(t *testing.T) {
	want := map[BotReason]string{
		NotBot: "none", BotCrawler: "crawler", BotHeadless: "headless",
		BotTool: "tool", BotReason(200): "unknown",
	}
	for r, s := range want {
		if r.String() != s {
			t.Errorf("%d.String() = %q, want %q", r, r.String(), s)
		}
	}
}

func FuzzClassify(f *testing.F) {
	for _, tt := range uaCases[:8] {
		f.Add(tt.ua, tt.secCHUA)
	}
	c := New(128)
	f.Fuzz(func(t *testing.T, ua, ch string) {
		r := c.Classify(ua, ch)
		if r.Bot.String() == "unknown" {
			t.Fatalf("reason %d out of range", r.Bot)
		}
		if r.Bot != NotBot && r.Class != (Class{}) {
			t.Fatalf("bot with a class: %+v", r)
		}
		for _, s := range []string{r.Class.Browser, r.Class.BrowserVersion, r.Class.OS, r.Class.OSVersion, r.Class.Device} {
			if aliases(s, ua) || aliases(s, ch) || !utf8.ValidString(s) || len(s) > 32 {
				t.Fatalf("field %q aliases its input or is malformed", s)
			}
		}
		if again := c.Classify(ua, ch); again != r {
			t.Fatalf("cached result %+v differs from %+v", again, r)
		}
	})
}

func BenchmarkClassify(b *testing.B) {
	iphone := "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1"
	b.Run("cached", func(b *testing.B) {
		c := New(16384)
		c.Classify(iphone, "")
		b.ReportAllocs()
		for b.Loop() {
			c.Classify(iphone, `"Chromium";v="124", "Google Chrome";v="124"`)
		}
	})
	b.Run("uncached", func(b *testing.B) {
		c := New(0)
		b.ReportAllocs()
		for b.Loop() {
			c.Classify(iphone, "")
		}
	})
	b.Run("uncached-bot", func(b *testing.B) {
		c := New(0)
		b.ReportAllocs()
		for b.Loop() {
			c.Classify("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "")
		}
	})
	b.Run("cached-parallel", func(b *testing.B) {
		c := New(16384)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				c.Classify(uaCases[i%len(uaCases)].ua, "")
				i++
			}
		})
	})
}

// The crawler pre-filter must be active (a new crawlerdetect version could
// rename the field it reads) and agree with crawlerdetect itself.
func TestCrawlerFilter(t *testing.T) {
	f := newCrawlerFilter()
	if f.exact {
		t.Fatal("crawler pre-filter disabled: crawlerdetect's pattern list could not be read")
	}
	extra := []string{
		"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
		"Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
		"Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
		"Twitterbot/1.0", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 (compatible; UptimeRobot/2.0)",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1 (Applebot/0.1)",
	}
	for _, ua := range extra {
		if !f.isCrawler(ua) {
			t.Errorf("missed crawler %q", ua)
		}
	}
	for _, tt := range uaCases {
		if len(tt.ua) > MaxLen {
			continue
		}
		if got, want := f.isCrawler(tt.ua), f.detect.IsCrawler(tt.ua); got != want {
			t.Errorf("%s: filter says %v, crawlerdetect %v", tt.name, got, want)
		}
	}
}
