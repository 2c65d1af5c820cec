package useragent

import "strings"

// BotReason says why a hit was taken for a bot. Its String is a fixed
// label, safe as a metric label value.
type BotReason uint8

// Bot reasons.
const (
	NotBot      BotReason = iota
	BotCrawler            // a known crawler (crawlerdetect's list)
	BotHeadless           // a headless or automated browser
	BotTool               // an HTTP library or command-line tool
)

// String returns the reason's fixed label.
func (b BotReason) String() string {
	switch b {
	case NotBot:
		return "none"
	case BotCrawler:
		return "crawler"
	case BotHeadless:
		return "headless"
	case BotTool:
		return "tool"
	}
	return "unknown"
}

// toolPrefixes are HTTP clients that name themselves first. crawlerdetect
// knows most of them too; checking here first is cheaper and gives the
// more precise reason.
var toolPrefixes = []string{
	"curl/", "wget/", "python-requests/", "python-urllib/", "python-httpx/", "python/",
	"aiohttp/", "go-http-client/", "okhttp/", "java/", "apache-httpclient/", "axios/",
	"node-fetch/", "node/", "undici", "got ", "postmanruntime/", "insomnia/", "httpie/",
	"libwww-perl/", "lwp::", "guzzlehttp/", "ruby", "faraday", "php/", "scrapy/",
	"dart:io", "reqwest/", "rust-reqwest", "winhttp", "powershell/", "http.rb/",
	"restsharp/", "k6/", "apachebench/", "hey/", "bombardier",
}

// headlessMarkers betray headless and automated browsers, which otherwise
// look like the browser they drive.
var headlessMarkers = []string{
	"HeadlessChrome", "PhantomJS", "Puppeteer", "Playwright", "Lighthouse",
	"Selenium", "WebDriver", "webdriver", "SlimerJS", "HtmlUnit", "jsdom", "Cypress",
}

func isTool(ua string) bool {
	for _, p := range toolPrefixes {
		if len(ua) >= len(p) && strings.EqualFold(ua[:len(p)], p) {
			return true
		}
	}
	return strings.Contains(ua, "PowerShell/")
}

func isHeadless(ua string) bool {
	for _, m := range headlessMarkers {
		if strings.Contains(ua, m) {
			return true
		}
	}
	return false
}
