package dashboard

import (
	"html"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/tracker"
)

// snippets are the tags a site pastes into its pages.
type snippets struct {
	Script string // the tracker
	Pixel  string // for pages without JavaScript
	// The tracker's optional parts chosen on the page.
	Outbound, Downloads, Hash bool
}

// siteSnippets builds the tags for s with the tracker's own tag builder
// (the same as `shukei snippet`), pointing at the address this page was
// requested on (behind a proxy, the host it forwarded). The optional parts
// come from the page's query (?outbound=on&downloads=on&hash=on): they
// only change the tag shown, nothing is stored.
func (u *ui) siteSnippets(c *fiber.Ctx, s *site.Site) snippets {
	origin := u.requestScheme(c) + "://" + u.requestHost(c)
	sn := snippets{Outbound: c.Query("outbound") == "on", Downloads: c.Query("downloads") == "on", Hash: c.Query("hash") == "on"}
	var f tracker.Features
	if sn.Outbound {
		f |= tracker.OutboundLinks
	}
	if sn.Downloads {
		f |= tracker.FileDownloads
	}
	if sn.Hash {
		f |= tracker.Hash
	}
	tag, err := tracker.Tag(tracker.TagOptions{Domain: s.Domain, PublicURL: origin, Features: f, RespectGPC: s.RespectGPC})
	if err != nil {
		// A Host header that is no URL host: show the tag with a
		// placeholder the administrator replaces.
		tag, _ = tracker.Tag(tracker.TagOptions{Domain: s.Domain, PublicURL: "https://stats.example.org", Features: f, RespectGPC: s.RespectGPC})
	}
	sn.Script = tag
	sn.Pixel = `<noscript><img src="` + html.EscapeString(origin+"/api/pixel.gif?d="+url.QueryEscape(s.Domain)) +
		`" alt="" referrerpolicy="no-referrer-when-downgrade"></noscript>`
	return sn
}
