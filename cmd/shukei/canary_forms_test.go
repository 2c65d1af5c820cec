package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/internal/scrubtest"
)

// scrubCanary is personal data hidden in the forms that only NFKC and
// repeated percent-decoding reveal (DESIGN §1.5), sent by every canary
// visitor alike: if the scrubber let one through, the same stored value
// would reach k visitors and be published, so the public-side scan has
// teeth.
type scrubCanary struct {
	email, phone, v4, v6, hostV4 string
	canaries                     []canary
	pages                        []string // page URLs, one hit each per visitor
	referrers                    []string
}

// scrubbedPaths are the stored forms of the scrubCanary pages; the stored
// rows (and, with k reached, the published pages) must hold them, or the
// scans would not look where the personal data would be.
var scrubbedPaths = []string{"/u/:email", "/tel/:phone", "/ip/:ip", "/ip6/:ip", "/kurashi/1000123.html", "kouhou-2026-12"}

// newScrubCanary draws one set of personal data for a test run.
func newScrubCanary() *scrubCanary {
	tag := randHex(4)
	c := &scrubCanary{
		email:  "alice.canary" + tag + "@example.jp",
		phone:  fmt.Sprintf("090-%04d-%04d", rand.IntN(10000), rand.IntN(10000)),
		v4:     fmt.Sprintf("198.51.%d.%d", 100+rand.IntN(100), 100+rand.IntN(100)),
		v6:     fmt.Sprintf("2001:db8:abcd:%04x:5678:9abc:def0:%04x", 0x1000+rand.IntN(0xe000), 0x1000+rand.IntN(0xe000)),
		hostV4: fmt.Sprintf("203-0-%d-%d", 100+rand.IntN(100), 100+rand.IntN(100)),
	}
	digits := strings.ReplaceAll(c.phone, "-", "")
	wideMail, widePhone := scrubtest.FullWidth(c.email), scrubtest.FullWidth(digits)
	local, _, _ := strings.Cut(c.email, "@")
	c.canaries = []canary{
		{"e-mail (full-width, encoded twice)", text(local, scrubtest.FullWidth(local), strings.ToUpper(local))},
		{"phone number", text(digits, c.phone, widePhone, scrubtest.FullWidth(c.phone), c.phone[4:])},
		{"IPv4 in a path", text(c.v4)},
		{"IPv6 in a path and in utm_content", text(c.v6, strings.ToUpper(c.v6))},
		{"address in a referrer host", text(c.hostV4)},
	}
	base := "https://canary.example"
	c.pages = []string{
		base + "/u/" + url.PathEscape(wideMail),
		base + "/u/" + strings.ReplaceAll(url.PathEscape(c.email), "@", "%2540"),
		base + "/tel/" + url.PathEscape(widePhone),
		base + "/tel/" + c.phone + "?q=" + url.QueryEscape("電話 "+scrubtest.FullWidth(c.phone)),
		base + "/ip/" + c.v4 + "?utm_source=mail&utm_content=" + c.v6,
		base + "/ip6/" + c.v6 + "?utm_campaign=" + url.QueryEscape(strings.ToUpper(c.email)),
		base + "/kurashi/1000123.html?utm_campaign=kouhou-2026-12",
	}
	c.referrers = []string{"https://" + c.hostV4 + ".dyn.isp.example/p?m=" + c.email}
	return c
}

// send sends each page as the first page of its own visit (a browser of
// its own behind ip), so that its referrer and campaign are stored: a
// visit keeps those of its entry page. The first page carries the
// address-bearing referrer.
func (c *scrubCanary) send(t *testing.T, srv *testServer, ip, ua string) int {
	t.Helper()
	for i, page := range c.pages {
		p := map[string]any{"n": "pageview", "u": page, "d": "canary.example"}
		if i == 0 {
			p["r"] = c.referrers[0]
		}
		if status, body := srv.hit(ip, fmt.Sprintf("%s Scrub/%d", ua, i), p, nil); status != 202 {
			t.Fatalf("hit %s: %d %s", page, status, body)
		}
	}
	return len(c.pages)
}
