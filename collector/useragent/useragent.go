// Package useragent reduces a User-Agent header to a coarse client class
// and tells browsers from bots.
//
// Privacy property (DESIGN §1.1, §2): the User-Agent string exists only for
// the one request. Only its class (browser and OS names with major
// versions, device type) is kept; the classification cache is keyed by a
// keyed SipHash of the string and holds no part of it, and no returned
// string shares memory with it.
package useragent

import (
	"strings"

	useragent "github.com/medama-io/go-useragent"
)

// Device classes, as Plausible names them: TVs and consoles are Desktop.
// "" means unknown (and is what bots get).
const (
	DeviceDesktop = "Desktop"
	DeviceMobile  = "Mobile"
	DeviceTablet  = "Tablet"
)

// MaxLen is the longest User-Agent classified. Real browsers send a few
// hundred bytes; longer headers are counted with an unknown class without
// being parsed, which bounds the regular-expression work per hit.
const MaxLen = 1024

// Class is what is kept of a User-Agent.
type Class struct {
	Browser        string // "Chrome", "Safari", "Microsoft Edge", "Samsung Browser", …
	BrowserVersion string // major.minor, as Plausible keeps it: "124.0"
	OS             string // "Windows", "Mac", "iOS", "iPadOS", "Android", "GNU/Linux", "Chrome OS", …
	OSVersion      string // major.minor ("17.2" for iOS 17.2.1, "10.13" for Mac OS X 10_13_4; "10" for Windows NT 10.0)
	Device         string // one of the Device constants, or ""
}

// Result is the outcome of classifying one hit's client.
type Result struct {
	Class Class // empty when Bot != NotBot
	Bot   BotReason
}

// Classifier classifies User-Agents, caching results. It is safe for
// concurrent use.
type Classifier struct {
	parser  *useragent.Parser
	crawler *crawlerFilter
	cache   *cache
}

// New returns a Classifier whose cache holds about cacheSize results;
// cacheSize ≤ 0 disables the cache.
func New(cacheSize int) *Classifier {
	return &Classifier{
		parser:  useragent.NewParser(),
		crawler: newCrawlerFilter(),
		cache:   newCache(cacheSize),
	}
}

// Classify classifies one hit's client from its User-Agent and
// Sec-CH-UA headers. secCHUA only refines the result (a "HeadlessChrome"
// brand marks a bot, a "Brave" brand names the browser), so it is applied
// after the cache, which is keyed by the User-Agent alone.
func (c *Classifier) Classify(ua, secCHUA string) Result {
	ua = strings.TrimSpace(ua)
	h, r, ok := c.cache.get(ua)
	if !ok {
		r = c.classify(ua)
		c.cache.put(h, r)
	}
	if secCHUA != "" && r.Bot == NotBot {
		switch {
		case strings.Contains(secCHUA, "HeadlessChrome"):
			r = Result{Bot: BotHeadless}
		case r.Class.Browser == "Chrome" && strings.Contains(secCHUA, `"Brave"`):
			r.Class.Browser = "Brave"
		}
	}
	return r
}

// classify does the uncached work, cheapest checks first. Only known bots
// are dropped, as Plausible drops them: an empty, unrecognised or
// malformed User-Agent is counted with an unknown class.
func (c *Classifier) classify(ua string) Result {
	switch {
	case ua == "", len(ua) > MaxLen, hasControl(ua):
		return Result{}
	case isTool(ua):
		return Result{Bot: BotTool}
	case isHeadless(ua):
		return Result{Bot: BotHeadless}
	case c.crawler.isCrawler(ua):
		return Result{Bot: BotCrawler}
	}
	cl, bot := c.parse(ua)
	if bot != NotBot {
		return Result{Bot: bot}
	}
	return Result{Class: cl}
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 && s[i] != '\t' || s[i] == 0x7f {
			return true
		}
	}
	return false
}
