package collector

import "github.com/shukei-analytics/shukei/collector/useragent"

// Drop is why a hit was not counted. The values are the fixed label set of
// the dropped-hits metric: never a path, a site or an address.
type Drop string

// The drop reasons.
const (
	DropNone           Drop = ""
	DropInvalidPayload Drop = "invalid_payload"
	DropTooLarge       Drop = "too_large"
	// DropUnsupportedEncoding: a Content-Encoding the collector does not
	// decode (stacked, or other than gzip and deflate).
	DropUnsupportedEncoding Drop = "unsupported_encoding"
	DropUnknownSite         Drop = "unknown_site"
	DropInvalidURL          Drop = "invalid_url"
	DropHostname            Drop = "hostname_not_allowed"
	DropBotCrawler          Drop = "bot_crawler"
	DropBotHeadless         Drop = "bot_headless"
	DropBotTool             Drop = "bot_tool"
	DropReferrerSpam        Drop = "referrer_spam"
	DropNoSession           Drop = "engagement_without_pageview"
	DropOverloaded          Drop = "overloaded"
	DropRateLimited         Drop = "rate_limited"
	DropWALFull             Drop = "wal_full"
	DropWALError            Drop = "wal_error"
	DropStopping            Drop = "stopping"
)

// allDrops lists every reason, so the metric exposes each from the start.
var allDrops = []Drop{
	DropInvalidPayload, DropTooLarge, DropUnsupportedEncoding, DropUnknownSite, DropInvalidURL, DropHostname,
	DropBotCrawler, DropBotHeadless, DropBotTool, DropReferrerSpam,
	DropNoSession, DropOverloaded, DropRateLimited, DropWALFull, DropWALError, DropStopping,
}

func botDrop(b useragent.BotReason) Drop {
	switch b {
	case useragent.BotHeadless:
		return DropBotHeadless
	case useragent.BotTool:
		return DropBotTool
	}
	return DropBotCrawler
}
