package collector

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/collector/geo"
	"github.com/shukei-analytics/shukei/collector/locale"
	"github.com/shukei-analytics/shukei/collector/referrer"
	"github.com/shukei-analytics/shukei/collector/useragent"
	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// Request is one raw hit as the pipeline sees it: the decoded payload and
// the few request headers it needs. It exists only for the duration of one
// request (DESIGN §2); nothing here is kept.
type Request struct {
	Payload *Payload
	Remote  netip.Addr
	// ClientHeader is the value of the header the resolver reads the
	// client address from behind a trusted proxy (ipaddr.Resolver's
	// ClientHeaderValue: all lines joined), "" for anyone else.
	ClientHeader   string
	UserAgent      string
	SecCHUA        string
	AcceptLanguage string
	// Time is when the hit happened; zero means now (the pipeline's
	// clock). A line of an imported access log carries its own time, and
	// its visitor state and salt follow that time, not the wall clock.
	Time time.Time
}

// Locator resolves a truncated address to a location (collector/geo).
type Locator interface {
	Locate(ip ipaddr.Truncated) geo.Location
}

// Limiter admits hits per site and per truncated client address; when it
// refuses, it says how long until the client may send again.
type Limiter interface {
	Allow(site string, ip ipaddr.Truncated) (time.Duration, bool)
}

// LimitError refuses a hit over a rate limit; answer 429 with Retry-After.
type LimitError struct{ RetryAfter time.Duration }

func (e *LimitError) Error() string { return "rate limit exceeded; retry later" }

// Pipeline turns a Request into identifier-free rows through small named
// steps. Each step either enriches the hit or drops it with a Drop reason.
type Pipeline struct {
	Sites    *site.Registry
	IPs      *ipaddr.Resolver
	Agents   *useragent.Classifier
	Spam     *referrer.SpamList
	Geo      Locator // nil: country from the browser's time zone
	Scrub    urlscrub.Options
	Tracker  *visitor.Tracker
	Now      func() time.Time
	WithCity bool
	// PropValues caps the distinct values of kept custom properties per
	// site-day (keptprops.go); nil caps nothing.
	PropValues *PropValues
	Limits     Limiter // nil: no rate limits

	rules scrubRules // each site's keep/scrub rules and counters
}

// Process runs the steps and appends the hit's rows to out. A hit whose
// domain lists several sites ("a.example,b.example") counts on each of
// them, as in Plausible. A Drop is a hit deliberately not counted (a bot,
// spam); an error is a client mistake to answer with a 4xx.
func (p *Pipeline) Process(r *Request, out []event.Row) ([]event.Row, Drop, error) {
	var buf [maxDomains]*site.Site
	sites, err := p.sites(r.Payload.Domain, buf[:0])
	if err != nil {
		return out, DropUnknownSite, err
	}
	// DESIGN §1.2: the address is truncated inside Client, before any use.
	ip, err := p.IPs.Client(r.Remote, r.ClientHeader)
	if err != nil {
		return out, DropInvalidPayload, payloadErr("the client address cannot be determined")
	}
	agent := p.Agents.Classify(r.UserAgent, r.SecCHUA)
	if agent.Bot != useragent.NotBot {
		return out, botDrop(agent.Bot), nil
	}
	// Limited after the bot check, so that only hits that would count
	// use up a client's allowance, and before the visitor state, so that
	// a refused hit leaves no trace.
	if p.Limits != nil {
		for _, s := range sites {
			if wait, ok := p.Limits.Allow(s.Domain, ip); !ok {
				return out, DropRateLimited, &LimitError{RetryAfter: wait}
			}
		}
	}
	hit := visitor.Hit{Time: r.Time}
	if hit.Time.IsZero() {
		hit.Time = p.Now()
	}
	page, drop, err := p.page(r.Payload, sites[0], &hit.Row)
	if drop != DropNone {
		return out, drop, err
	}
	if drop := p.acquisition(r.Payload, page, &hit.Row); drop != DropNone {
		return out, drop, nil
	}
	p.client(r, ip, agent.Class, &hit.Row)
	p.kind(r.Payload, &hit)
	drop, counted := DropHostname, false
	for _, s := range sites {
		if !s.HostnameAllowed(page.Hostname) {
			continue
		}
		h := hit
		h.Site, h.Row.Site = s, s.Domain
		if s != sites[0] && !slices.Equal(s.ScrubRules, sites[0].ScrubRules) {
			h.Row.Path = p.pathFor(r.Payload, s) // this site's own scrub rules
		}
		h.Props = p.keptProps(r.Payload, s, &h)
		out, err = p.Tracker.Track(&h, ip, r.UserAgent, out)
		switch {
		case errors.Is(err, visitor.ErrNoSession):
			drop = DropNoSession
		case err != nil:
			return out, DropNone, err
		default:
			counted = true
		}
	}
	if !counted {
		return out, drop, nil
	}
	return out, DropNone, nil
}

// sites finds the configured sites among the payload's comma-separated
// domains, ignoring case, surrounding spaces, a leading "www." and
// unknown domains (Plausible counts a hit on every listed site). It is an
// error when none is configured.
func (p *Pipeline) sites(domains string, dst []*site.Site) ([]*site.Site, error) {
	n := 0
	for d := range strings.SplitSeq(domains, ",") {
		if n++; n > maxDomains {
			break
		}
		d = strings.ToLower(strings.TrimSpace(d))
		s, ok := p.Sites.Lookup(d)
		if !ok && strings.HasPrefix(d, "www.") {
			s, ok = p.Sites.Lookup(d[len("www."):])
		}
		if ok && !slices.Contains(dst, s) {
			dst = append(dst, s)
		}
	}
	if len(dst) == 0 {
		return nil, payloadErr("unknown site: domain (d) is not a site of this server")
	}
	return dst, nil
}

// page scrubs the URL (DESIGN §1.5) into the row's page columns, with the
// scrub rules of s. The hostname is kept without "www.", as Plausible
// keeps it.
func (p *Pipeline) page(pl *Payload, s *site.Site, r *event.Row) (urlscrub.Page, Drop, error) {
	opts := p.Scrub
	opts.HashRouting = pl.HashMode
	opts.Rules = p.rules.forSite(s)
	page, err := urlscrub.Scrub(pl.URL, &opts)
	if err != nil {
		return page, DropInvalidURL, payloadErr("url (u) must be an absolute URL (not data:)")
	}
	r.Hostname, r.Path, r.SearchTerm = strings.TrimPrefix(page.Hostname, "www."), page.Path, page.SearchTerm
	r.UTMSource, r.UTMMedium, r.UTMCampaign = page.UTMSource, page.UTMMedium, page.UTMCampaign
	r.UTMContent, r.UTMTerm = page.UTMContent, page.UTMTerm
	return page, DropNone, nil
}

// pathFor is the page path with the scrub rules of s, for a hit counted
// for several sites whose rules differ.
func (p *Pipeline) pathFor(pl *Payload, s *site.Site) string {
	page, _ := urlscrub.Scrub(pl.URL, p.siteOptions(pl, s)) // parsed once already
	return page.Path
}

// siteOptions are the scrub options of a site's pages.
func (p *Pipeline) siteOptions(pl *Payload, s *site.Site) *urlscrub.Options {
	opts := p.Scrub
	opts.HashRouting = pl.HashMode
	opts.Rules = p.rules.forSite(s)
	return &opts
}

// acquisition names the source from the campaign and the referrer, keeping
// only the referrer's host, decides the channel, and drops referrer spam.
// As in Plausible, a source= or ref= parameter fills utm_source when it is
// absent, and an untagged ad click from Google or Bing gets the medium
// "(gclid)" or "(msclkid)".
func (p *Pipeline) acquisition(pl *Payload, page urlscrub.Page, r *event.Row) Drop {
	src := referrer.Classify(pl.Referrer, page.Hostname, page.UTMSource, page.Ref)
	if src.Host != "" && !strings.HasPrefix(src.Host, "android-app://") && p.Spam.IsSpam(src.Host) {
		return DropReferrerSpam
	}
	r.ReferrerSource, r.ReferrerHost = src.Name, src.Host
	if r.UTMSource == "" {
		r.UTMSource = page.Ref
	}
	r.UTMMedium = referrer.InferMedium(src.Name, r.UTMMedium, page.ClickID)
	r.Channel = referrer.Channel(referrer.Acquisition{
		Source: src.Name, UTMSource: r.UTMSource, UTMMedium: r.UTMMedium, UTMCampaign: r.UTMCampaign, ClickID: page.ClickID,
	})
	return DropNone
}

// client fills the visitor-level dimensions: class, location, language.
func (p *Pipeline) client(r *Request, ip ipaddr.Truncated, c useragent.Class, row *event.Row) {
	row.Browser, row.BrowserVersion = c.Browser, c.BrowserVersion
	row.OS, row.OSVersion, row.Device = c.OS, c.OSVersion, c.Device
	if p.Geo != nil {
		loc := p.Geo.Locate(ip)
		row.Country, row.Region = loc.Country, loc.Region
		if p.WithCity {
			row.City = loc.City
		}
	} else {
		row.Country = geo.CountryFromTimeZone(r.Payload.TimeZone)
	}
	row.Language = locale.Language(r.AcceptLanguage)
	row.Screen = locale.ScreenClass(r.Payload.ScreenWidth)
}

// kind tells page views, custom events and engagement apart.
func (p *Pipeline) kind(pl *Payload, h *visitor.Hit) {
	switch pl.Name {
	case event.PageviewName:
		h.Kind = visitor.Pageview
	case engagementName:
		h.Kind = visitor.Engagement
		h.EngagedSeconds = int32((pl.EngagementMS + 500) / 1000)
	default:
		h.Kind = visitor.CustomEvent
		h.Name = urlscrub.ScrubValue(pl.Name)
		h.Interactive = pl.Interactive
	}
}

// engagementName is the event Plausible's tracker sends with engaged time.
const engagementName = "engagement"
