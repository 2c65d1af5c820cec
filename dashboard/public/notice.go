package public

import (
	"embed"
	"fmt"
	"net/url"
	"strings"
	"text/template"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/event"
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
	// LogMaxAge is how long a stored visit may stay in the write-ahead log
	// (serve's -wal-max-age); 0 means the default of an hour.
	LogMaxAge time.Duration
}

// The facts the notice states that are the code's, not the
// configuration's; notice_claims_test.go checks each against the code.
const (
	// OptOutItem is the local-storage item the snippet's opt-out sets.
	OptOutItem = "shukei_ignore"
	// RealtimeMinutes is the window of "visitors right now".
	RealtimeMinutes = 5
	// defaultLogMaxAge is the write-ahead log's default -wal-max-age.
	defaultLogMaxAge = time.Hour
)

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
	TimeZone           string
	LogAge             string // how soon the log forgets a stored visit, in words
	Public             bool
	PublicPage         string
	K, RoundTo         int64
	Epsilon            string
	// RealtimeStep is what the realtime count is rounded down to.
	RealtimeStep, RealtimeMinutes int64
	// MaxPages and MaxSources are the contribution bounds of a
	// visitor-day that the noise is calibrated to.
	MaxPages, MaxSources int
	OptOutItem           string
	// The site's own scrub rules (site.Site.ScrubRules): some keep
	// numbers and codes, some replace more.
	ScrubKeeps, ScrubExtra bool
	// PropKeys are the custom property keys the site keeps (besides the
	// url of downloads and outbound links, which the notice always names).
	PropKeys []string
	// The ageing policy (site.Ageing): how long rows keep the minute and
	// the hour, as text of the notice's language, and whether rows merged
	// to days lose their detail.
	MinuteFor, HourFor string
	Generalise         bool
}

// Notice writes the analytics section of a site's privacy policy, in
// Markdown, in English or Japanese: what is recorded and at what
// resolution, how the address is shortened, that no identifier or cookie
// is used, what could still be linked and by whom, how long data is kept,
// what is published and under which rules, and how to opt out. It is what
// `shukei notice` prints and what the dashboard shows. Every statement is
// a claim (notice_claims.go) derived from c.
func Notice(c NoticeConfig) (string, error) {
	v, err := view(c)
	if err != nil {
		return "", err
	}
	cs, err := claims(v, c.Lang)
	if err != nil {
		return "", err
	}
	return renderNotice(cs, v, c.Lang)
}

// NoticeClaims returns the claims of the notice of c, in order.
func NoticeClaims(c NoticeConfig) ([]Claim, error) {
	v, err := view(c)
	if err != nil {
		return nil, err
	}
	return claims(v, c.Lang)
}

// view checks c and derives what the templates read.
func view(c NoticeConfig) (*noticeView, error) {
	if c.Site == nil {
		return nil, fmt.Errorf("notice: no site")
	}
	if c.Lang != "en" && c.Lang != "ja" {
		return nil, fmt.Errorf("notice: language %q: use en or ja", c.Lang)
	}
	if err := site.ValidateDomain(c.Site.Domain); err != nil {
		return nil, fmt.Errorf("notice: %w", err)
	}
	if err := CheckPublicURL(c.PublicURL); err != nil {
		return nil, err
	}
	zone := "UTC"
	if c.Site.Location != nil {
		zone = c.Site.Location.String()
	}
	v := &noticeView{
		Domain: c.Site.Domain, IPv4Bits: orInt(c.IPv4Bits, 24), IPv6Bits: orInt(c.IPv6Bits, 48),
		City: c.Geo == GeoCity, GeoIP: c.Geo != GeoTimeZone, RespectGPC: c.Site.RespectGPC,
		RetentionMonths: c.Site.Retention(), TimeZone: zone, LogAge: durationWords(c.LogMaxAge, c.Lang),
		Public: c.Site.Publish.Public, PropKeys: c.Site.PropKeys,
		RealtimeMinutes: RealtimeMinutes, MaxPages: event.MaxPublicPages, MaxSources: event.MaxPublicSources,
		OptOutItem: OptOutItem,
	}
	pol := c.Site.AgeingPolicy()
	v.MinuteFor, v.HourFor, v.Generalise = span(pol.MinuteFor, c.Lang, false), span(pol.HourFor, c.Lang, true), pol.Generalise()
	for _, r := range c.Site.ScrubRules {
		v.ScrubKeeps = v.ScrubKeeps || strings.HasPrefix(r, "keep ")
		v.ScrubExtra = v.ScrubExtra || strings.HasPrefix(r, "scrub ")
	}
	if v.Public {
		rules, err := disclosure.RulesFor(c.Site.Publish)
		if err != nil {
			return nil, fmt.Errorf("notice: %w", err)
		}
		v.K, v.RoundTo, v.Epsilon = rules.K, rules.RoundTo, rules.EpsilonString()
		v.RealtimeStep = max(rules.K, rules.RoundTo)
		if c.PublicURL != "" {
			v.PublicPage = strings.TrimRight(c.PublicURL, "/") + "/public/" + c.Site.Domain
		}
	}
	return v, nil
}

// durationWords says a duration of whole minutes or hours in lang.
func durationWords(d time.Duration, lang string) string {
	if d <= 0 {
		d = defaultLogMaxAge
	}
	n, unit := int64(d/time.Minute), "minute"
	if d%time.Hour == 0 {
		n, unit = int64(d/time.Hour), "hour"
	}
	n = max(n, 1)
	if lang == "ja" {
		return fmt.Sprintf("%d %s", n, map[string]string{"minute": "分", "hour": "時間"}[unit])
	}
	if n == 1 {
		return map[string]string{"minute": "a minute", "hour": "an hour"}[unit]
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// span writes a policy's window: hours, or days where whole days.
func span(d time.Duration, lang string, days bool) string {
	h := int(d / time.Hour)
	switch {
	case days && h%24 == 0 && lang == "ja":
		return fmt.Sprintf("%d 日", h/24)
	case days && h%24 == 0 && h == 24:
		return "one day"
	case days && h%24 == 0:
		return fmt.Sprintf("%d days", h/24)
	case lang == "ja":
		return fmt.Sprintf("%d 時間", h)
	}
	return fmt.Sprintf("%d hours", h)
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
