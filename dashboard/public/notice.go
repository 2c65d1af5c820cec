package public

import (
	"bytes"
	"embed"
	"fmt"
	"net/url"
	"strings"
	"text/template"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// Geo says what location the collector records.
type Geo int

// The location settings.
const (
	// GeoTimeZone: no GeoIP database; the country comes from the
	// browser's time zone.
	GeoTimeZone Geo = iota
	// GeoCountry: country and region from a GeoIP database.
	GeoCountry
	// GeoCity: also the city.
	GeoCity
)

// NoticeConfig is the configuration a privacy notice describes. Every
// statement of the notice follows from it, so the notice stays true when
// the settings change.
type NoticeConfig struct {
	Site *site.Site
	// Lang is "en" or "ja".
	Lang string
	// IPv4Bits and IPv6Bits are the prefix lengths kept (serve's
	// -ipv4-bits, -ipv6-bits); 0 means the defaults, 24 and 48.
	IPv4Bits, IPv6Bits int
	Geo                Geo
	// PublicURL is the Shukei server's base URL as visitors reach it
	// (for the address of the public statistics); "" leaves it out.
	PublicURL string
}

//go:embed notices
var noticeFiles embed.FS

var notices = template.Must(template.New("").ParseFS(noticeFiles, "notices/*.md"))

// noticeView is what the notice templates read.
type noticeView struct {
	Domain             string
	IPv4Bits, IPv6Bits int
	City, GeoIP        bool
	RespectGPC         bool
	RetentionMonths    int
	Public             bool
	PublicPage         string
	K, RoundTo         int64
	Epsilon            string
	// The site's own scrub rules (site.Site.ScrubRules): some keep
	// numbers and codes, some replace more.
	ScrubKeeps, ScrubExtra bool
	// PropKeys are the custom property keys the site keeps (besides the
	// url of downloads and outbound links, which the notice always names).
	PropKeys []string
}

// Notice writes the analytics section of a site's privacy policy, in
// Markdown, in English or Japanese: what is collected, how the address is
// shortened, that no identifier or cookie is used, how long data is kept,
// what is published and under which rules, and how to opt out. It is
// what `shukei notice` prints and what the dashboard can show.
func Notice(c NoticeConfig) (string, error) {
	if c.Site == nil {
		return "", fmt.Errorf("notice: no site")
	}
	if c.Lang != "en" && c.Lang != "ja" {
		return "", fmt.Errorf("notice: language %q: use en or ja", c.Lang)
	}
	if err := site.ValidateDomain(c.Site.Domain); err != nil {
		return "", fmt.Errorf("notice: %w", err)
	}
	if err := CheckPublicURL(c.PublicURL); err != nil {
		return "", err
	}
	v := noticeView{
		Domain: c.Site.Domain, IPv4Bits: orInt(c.IPv4Bits, 24), IPv6Bits: orInt(c.IPv6Bits, 48),
		City: c.Geo == GeoCity, GeoIP: c.Geo != GeoTimeZone, RespectGPC: c.Site.RespectGPC,
		RetentionMonths: c.Site.Retention(), Public: c.Site.Publish.Public,
		PropKeys: c.Site.PropKeys,
	}
	for _, r := range c.Site.ScrubRules {
		v.ScrubKeeps = v.ScrubKeeps || strings.HasPrefix(r, "keep ")
		v.ScrubExtra = v.ScrubExtra || strings.HasPrefix(r, "scrub ")
	}
	if v.Public {
		rules, err := disclosure.RulesFor(c.Site.Publish)
		if err != nil {
			return "", fmt.Errorf("notice: %w", err)
		}
		v.K, v.RoundTo, v.Epsilon = rules.K, rules.RoundTo, rules.EpsilonString()
		if c.PublicURL != "" {
			v.PublicPage = strings.TrimRight(c.PublicURL, "/") + "/public/" + c.Site.Domain
		}
	}
	var b bytes.Buffer
	if err := notices.ExecuteTemplate(&b, "notice."+c.Lang+".md", v); err != nil {
		return "", fmt.Errorf("notice: %w", err)
	}
	return b.String(), nil
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// CheckPublicURL accepts "" or an http(s) base URL without credentials,
// query or fragment: it is written into a policy that people follow.
func CheckPublicURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(v, " \t\n<>\"'`[]()") || len(v) > 512 {
		return fmt.Errorf("public URL %q: want an http(s) base URL such as https://stats.example.org", v)
	}
	return nil
}
