package collector

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/collector/referrer"
	"github.com/shukei-analytics/shukei/collector/useragent"
	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

func newTestPipeline(t testing.TB, now func() time.Time) *Pipeline {
	t.Helper()
	ips, err := ipaddr.NewResolver(ipaddr.Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	if err != nil {
		t.Fatal(err)
	}
	spam, err := referrer.LoadSpamList("")
	if err != nil {
		t.Fatal(err)
	}
	vc := visitor.DefaultConfig()
	if err := vc.Validate(); err != nil {
		t.Fatal(err)
	}
	return &Pipeline{
		Sites:   site.NewRegistry(&site.Site{Domain: "example.org", Location: time.UTC}),
		IPs:     ips,
		Agents:  useragent.New(1024),
		Spam:    spam,
		Scrub:   *urlscrub.DefaultOptions(),
		Tracker: visitor.New(vc),
		Now:     now,
	}
}

const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"

func TestPipelineSteps(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 34, 56, 0, time.UTC)
	p := newTestPipeline(t, func() time.Time { return now })
	req := func(mod func(*Request)) *Request {
		r := &Request{
			Payload: &Payload{Name: "pageview", URL: "https://Example.org/users/jane.doe@mail.example/orders/12345678?utm_source=Newsletter&utm_campaign=spring&q=Tokyo+Tower&secret=xyz#top",
				Domain: "example.org", Referrer: "https://www.google.co.jp/search?q=private", ScreenWidth: 390, TimeZone: "Asia/Tokyo"},
			Remote:         netip.MustParseAddr("127.0.0.1"),
			ClientHeader:   "203.0.113.77",
			UserAgent:      firefox,
			AcceptLanguage: "ja-JP,ja;q=0.9,en;q=0.8",
		}
		if mod != nil {
			mod(r)
		}
		return r
	}
	rows, drop, err := p.Process(req(nil), nil)
	if err != nil || drop != DropNone || len(rows) != 1 {
		t.Fatalf("rows %d drop %q err %v", len(rows), drop, err)
	}
	r := rows[0]
	want := event.Row{
		Site: "example.org", TS: time.Date(2026, 3, 10, 12, 34, 0, 0, time.UTC), Kind: event.KindPageview, Name: "pageview",
		Hostname: "example.org", Path: "/users/:email/orders/:id", EntryPath: "/users/:email/orders/:id",
		ReferrerSource: "Newsletter", ReferrerHost: "google.co.jp", UTMSource: "Newsletter", UTMCampaign: "spring", SearchTerm: "tokyo tower", Channel: "Email",
		Country: "JP", Browser: "Firefox", BrowserVersion: "132.0", OS: "GNU/Linux", Device: "Desktop", Screen: "Mobile", Language: "ja",
		Counters: event.Counters{Pageviews: 1, Visitors: 1, PageVisitors: 1, SourceVisitors: 1, EventVisitors: 1, EntryVisitors: 1, Visits: 1, Bounces: 1, Exits: 1,
			PublicPageVisitors: 1, PublicSourceVisitors: 1, PublicSearchVisitors: 1},
	}
	if r != want {
		t.Errorf("row\n got %+v\nwant %+v", r, want)
	}

	drops := []struct {
		name string
		mod  func(*Request)
		drop Drop
		err  bool
	}{
		{"unknown site", func(r *Request) { r.Payload.Domain = "evil.example" }, DropUnknownSite, true},
		{"second domain known", func(r *Request) { r.Payload.Domain = "a.example, example.org" }, DropNone, false},
		{"crawler", func(r *Request) { r.UserAgent = "Googlebot/2.1 (+http://www.google.com/bot.html)" }, DropBotCrawler, false},
		{"headless", func(r *Request) { r.UserAgent = "Mozilla/5.0 HeadlessChrome/131.0.0.0 Safari/537.36" }, DropBotHeadless, false},
		{"headless brand", func(r *Request) { r.SecCHUA = `"HeadlessChrome";v="131"` }, DropBotHeadless, false},
		{"tool", func(r *Request) { r.UserAgent = "python-requests/2.31" }, DropBotTool, false},
		{"empty ua counts", func(r *Request) { r.UserAgent = "" }, DropNone, false},
		{"unknown ua counts", func(r *Request) { r.UserAgent = "unknown UA" }, DropNone, false},
		{"spam", func(r *Request) { r.Payload.Referrer = "https://www.semalt.com/x" }, DropReferrerSpam, false},
		{"data url", func(r *Request) { r.Payload.URL = "data:text/html,hello" }, DropInvalidURL, true},
		{"relative url", func(r *Request) { r.Payload.URL = "/hello" }, DropInvalidURL, true},
		{"orphan engagement", func(r *Request) {
			r.Payload.Name, r.ClientHeader = "engagement", "198.51.100.1"
		}, DropNoSession, false},
	}
	for _, c := range drops {
		_, drop, err := p.Process(req(c.mod), nil)
		if drop != c.drop || (err != nil) != c.err {
			t.Errorf("%s: drop %q err %v; want %q, error %v", c.name, drop, err, c.drop, c.err)
		}
	}
}

func TestPipelineHostnameAllowlist(t *testing.T) {
	p := newTestPipeline(t, time.Now)
	p.Sites.Put(&site.Site{Domain: "example.org", Location: time.UTC, AllowedHostnames: []string{"example.org"}})
	for host, want := range map[string]Drop{"example.org": DropNone, "www.example.org": DropNone, "example.org.evil.net": DropHostname} {
		r := &Request{Payload: &Payload{Name: "pageview", URL: "https://" + host + "/", Domain: "example.org"},
			Remote: netip.MustParseAddr("192.0.2.1"), UserAgent: firefox}
		if _, drop, _ := p.Process(r, nil); drop != want {
			t.Errorf("%s: drop %q, want %q", host, drop, want)
		}
	}
}

// TestPipelineMultipleSites: a hit whose domain lists several sites counts
// on each (Plausible's Events API: domain; "can send to multiple
// dashboards by listing multiple domains").
func TestPipelineMultipleSites(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	p := newTestPipeline(t, func() time.Time { return now })
	p.Sites.Put(&site.Site{Domain: "example.net", Location: time.UTC})
	r := &Request{Payload: &Payload{Name: "pageview", URL: "https://example.org/", Domain: "www.example.org, unknown.example ,EXAMPLE.NET,example.org"},
		Remote: netip.MustParseAddr("192.0.2.1"), UserAgent: firefox}
	rows, drop, err := p.Process(r, nil)
	if err != nil || drop != DropNone {
		t.Fatalf("drop %q err %v", drop, err)
	}
	got := map[string]int{}
	for _, row := range rows {
		got[row.Site] += int(row.Visitors)
		if !row.TS.Equal(rows[0].TS) {
			t.Errorf("sites got different times: %v, %v", row.TS, rows[0].TS)
		}
	}
	if len(got) != 2 || got["example.org"] != 1 || got["example.net"] != 1 {
		t.Errorf("visitors per site %v, want one on each of example.org and example.net", got)
	}
}

// TestPipelinePlausibleValues checks values spelled as Plausible stores
// them (its Events API tests: "www. is stripped from hostname", "?ref param
// behaves like ?utm_source", "ignores localhost referrer", the gclid and
// msclkid parameters, "defaults hostname to (none) when missing", "accepts
// chrome extension URLs").
func TestPipelinePlausibleValues(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	p := newTestPipeline(t, func() time.Time { return now })
	tests := []struct {
		name, url, referrer string
		check               func(r event.Row) bool
	}{
		{"www stripped", "http://www.example.org/", "", func(r event.Row) bool { return r.Hostname == "example.org" }},
		{"ref fills utm_source", "http://www.example.org/?ref=betalist", "", func(r event.Row) bool {
			return r.UTMSource == "betalist" && r.ReferrerSource == "betalist"
		}},
		{"source fills utm_source", "http://example.org/?source=Google-ads", "", func(r event.Row) bool {
			return r.UTMSource == "Google-ads" && r.ReferrerSource == "Google"
		}},
		{"localhost is direct", "http://example.org/", "http://localhost:4000/", func(r event.Row) bool {
			return r.ReferrerSource == "Direct / None" && r.ReferrerHost == ""
		}},
		{"gclid from google", "http://example.org/?gclid=123identifier", "https://google.com", func(r event.Row) bool {
			return r.UTMMedium == "(gclid)" && r.ReferrerSource == "Google" && r.Channel == "Paid Search"
		}},
		{"gclid elsewhere", "http://example.org/?gclid=123identifier", "https://duckduckgo.com", func(r event.Row) bool {
			return r.UTMMedium == "" && r.Channel == "Organic Search"
		}},
		{"direct channel", "http://example.org/", "", func(r event.Row) bool { return r.Channel == "Direct" }},
		{"referral channel", "http://example.org/", "https://othersite.com", func(r event.Row) bool { return r.Channel == "Referral" }},
		{"msclkid from bing", "http://example.org/?msclkid=123identifier", "https://bing.com", func(r event.Row) bool {
			return r.UTMMedium == "(msclkid)"
		}},
		{"tagged medium wins", "http://example.org/?gclid=1&utm_medium=paidads", "https://google.com", func(r event.Row) bool {
			return r.UTMMedium == "paidads"
		}},
		{"file url", "file:///android_asset/www/index.html", "", func(r event.Row) bool {
			return r.Hostname == "(none)" && r.Path == "/android_asset/www/index.html"
		}},
		{"chrome extension", "chrome-extension://liipgellkffekalgefpjolodblggkmjg/popup.html", "", func(r event.Row) bool {
			return r.Hostname == "liipgellkffekalgefpjolodblggkmjg" && r.Path == "/popup.html"
		}},
		{"android app referrer", "http://example.org/", "android-app://some.android.app", func(r event.Row) bool {
			return r.ReferrerSource == "android-app://some.android.app" && r.ReferrerHost == "android-app://some.android.app"
		}},
	}
	for i, tt := range tests {
		r := &Request{Payload: &Payload{Name: "pageview", URL: tt.url, Domain: "example.org", Referrer: tt.referrer},
			Remote: netip.MustParseAddr(fmt.Sprintf("198.51.%d.1", i+1)), UserAgent: firefox}
		rows, drop, err := p.Process(r, nil)
		if err != nil || drop != DropNone || len(rows) != 1 {
			t.Errorf("%s: %d rows, drop %q, err %v", tt.name, len(rows), drop, err)
			continue
		}
		if !tt.check(rows[0]) {
			t.Errorf("%s: row %+v", tt.name, rows[0])
		}
	}
}

// BenchmarkPipeline measures one hit through every step, from decoded
// payload to rows: returning visitors on a mix of pages and sources.
func BenchmarkPipeline(b *testing.B) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	p := newTestPipeline(b, func() time.Time { return now })
	uas := []string{firefox,
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}
	refs := []string{"", "https://www.google.com/", "https://t.co/x"}
	reqs := make([]*Request, 4096)
	for i := range reqs {
		reqs[i] = &Request{
			Payload: &Payload{Name: "pageview", URL: fmt.Sprintf("https://example.org/docs/page-%d?utm_source=news", i%200),
				Domain: "example.org", Referrer: refs[i%len(refs)], ScreenWidth: 1280},
			Remote: netip.MustParseAddr("127.0.0.1"), ClientHeader: fmt.Sprintf("198.51.%d.%d", i%256, i%200),
			UserAgent: uas[i%len(uas)], AcceptLanguage: "ja,en;q=0.8",
		}
	}
	out := make([]event.Row, 0, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		var err error
		if out, _, err = p.Process(reqs[i%len(reqs)], out[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPipelineHitTime: a request that carries its own time (an imported
// log line) is dated, sessioned and salted by it, not by the clock.
func TestPipelineHitTime(t *testing.T) {
	clock := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	p := newTestPipeline(t, func() time.Time { return clock })
	at := time.Date(2024, 5, 1, 8, 30, 15, 0, time.UTC)
	hit := func(at time.Time, ua string) ([]event.Row, Drop) {
		t.Helper()
		rows, drop, err := p.Process(&Request{
			Payload: &Payload{Name: "pageview", URL: "https://example.org/a", Domain: "example.org"},
			Remote:  netip.MustParseAddr("198.51.100.7"), UserAgent: ua, Time: at,
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return rows, drop
	}
	rows, drop := hit(at, firefox)
	if drop != DropNone || len(rows) != 1 || !rows[0].TS.Equal(at.Truncate(time.Minute)) {
		t.Fatalf("rows %+v drop %q: want one row at %v", rows, drop, at)
	}
	// Ten minutes later in log time: the same visit, though the clock
	// stands years away.
	rows, _ = hit(at.Add(10*time.Minute), firefox)
	if got := rows[len(rows)-1]; got.Visitors != 0 || got.Visits != 0 || got.Duration != 600 {
		t.Errorf("second hit %+v: want the same visitor and visit, 600 s later", got.Counters)
	}
}
