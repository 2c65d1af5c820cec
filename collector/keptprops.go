package collector

import (
	"hash/maphash"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// Custom properties are free-form and could carry identifiers, so only
// what a site asks for is kept, as an aggregate dimension (DESIGN §1.5):
// the url of Plausible's built-in File Download and Outbound Link: Click
// events (which file, which link), scrubbed like a page URL, and the keys
// the site allowlists (site.Site.PropKeys), whose values are scrubbed like
// URL values. Each value is capped in length, and each key in the number
// of distinct values a site-day keeps: past the cap, a value is folded
// into "(other)", so a property cannot become a column of unique ids.
// Everything else is discarded here.

// The values a kept property takes besides the sent ones.
const (
	PropNone  = "(none)"  // the event did not send the key
	PropOther = "(other)" // past the site-day's cap of distinct values
)

// Limits of a kept value, in bytes.
const (
	maxURLPropLen   = 500
	maxValuePropLen = 120
)

// DefaultPropValuesPerDay is how many distinct values of one key a site
// keeps per day by default.
const DefaultPropValuesPerDay = 100

// urlEvents are the built-in events whose url property is kept.
var urlEvents = map[string]bool{"File Download": true, "Outbound Link: Click": true}

// keptProps returns the properties s keeps of a page view or custom event.
func (p *Pipeline) keptProps(pl *Payload, s *site.Site, h *visitor.Hit) []visitor.Prop {
	if h.Kind == visitor.Engagement {
		return nil
	}
	var out []visitor.Prop
	keep := func(key string) {
		v, sent := lookupProp(pl.Props, key)
		switch {
		case !sent:
			v = PropNone
		case key == site.URLProp:
			v = scrubURLProp(v, p.siteOptions(pl, s)) // only here: most hits keep no url
		default:
			v = scrubPropValue(v)
		}
		if v == "" {
			v = PropNone
		}
		out = append(out, visitor.Prop{Key: key, Value: p.PropValues.admit(s, key, v, h.Time)})
	}
	isURL := urlEvents[pl.Name]
	if isURL {
		keep(site.URLProp)
	}
	for _, key := range s.PropKeys {
		if key != site.URLProp || !isURL {
			keep(key)
		}
	}
	return out
}

func lookupProp(props []Prop, key string) (string, bool) {
	for _, pr := range props {
		if pr.Key == key {
			return pr.Value, true
		}
	}
	return "", false
}

// scrubURLProp keeps a link as a page URL is kept: scheme, host and the
// scrubbed path, without query or fragment. A relative link keeps its
// scrubbed path; a value that is no URL is scrubbed like any value and cut
// at "?" or "#" too (a control character can make a URL unparsable that
// the value scrubber then joins back into one).
func scrubURLProp(v string, opts *urlscrub.Options) string {
	v = strings.TrimSpace(v)
	if opts != nil && opts.HashRouting {
		// A link to a file or another site is never a route of this page.
		o := *opts
		o.HashRouting = false
		opts = &o
	}
	if strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") {
		page, err := urlscrub.Scrub("https://relative.invalid"+v, opts)
		if err == nil {
			return capBytes(page.Path, maxURLPropLen)
		}
	}
	page, err := urlscrub.Scrub(v, opts)
	if err != nil {
		s := urlscrub.ScrubValue(v)
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i]
		}
		return capBytes(s, maxValuePropLen)
	}
	scheme, _, _ := strings.Cut(v, "://")
	prefix := strings.ToLower(scheme) + "://"
	if page.Hostname != urlscrub.NoHostname {
		prefix += page.Hostname
	}
	return capBytes(prefix+page.Path, maxURLPropLen)
}

// scrubPropValue scrubs an allowlisted value like a URL value and, more
// strictly, replaces every run of minPropIDDigits digits or more with ":id":
// a property is where a site would put an order, customer or member
// number, which a URL value keeps when no person-like word precedes it.
func scrubPropValue(v string) string {
	v = urlscrub.ScrubValue(v)
	var b strings.Builder
	run := 0
	flush := func(end int) {
		if run >= minPropIDDigits {
			b.WriteString(urlscrub.PlaceholderID)
		} else {
			b.WriteString(v[end-run : end])
		}
		run = 0
	}
	for i := 0; i < len(v); i++ {
		if '0' <= v[i] && v[i] <= '9' {
			run++
			continue
		}
		flush(i)
		b.WriteByte(v[i])
	}
	flush(len(v))
	return capBytes(b.String(), maxValuePropLen)
}

// minPropIDDigits: a kept value's number this long is taken for an id
// (years, prices and versions are shorter).
const minPropIDDigits = 6

// capBytes cuts s to at most n bytes at a rune boundary.
func capBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// PropValues caps the distinct values of each kept key per site and local
// day. It remembers keyed hashes of the values of the current day only,
// never the values, and forgets a day when the next begins; after a
// restart a day's cap starts afresh. Safe for concurrent use.
type PropValues struct {
	perDay int
	seed   maphash.Seed
	mu     sync.Mutex
	keys   map[propKey]*dayValues
}

type propKey struct{ site, key string }

type dayValues struct {
	day    int64 // days since the epoch, in the site's time zone
	hashes map[uint64]struct{}
}

// NewPropValues keeps at most perDay distinct values of a key per
// site-day; perDay ≤ 0 means DefaultPropValuesPerDay.
func NewPropValues(perDay int) *PropValues {
	if perDay <= 0 {
		perDay = DefaultPropValuesPerDay
	}
	return &PropValues{perDay: perDay, seed: maphash.MakeSeed(), keys: map[propKey]*dayValues{}}
}

// admit returns v, or PropOther when v would be a value past the day's
// cap for the key. (none) and (other) take no place under the cap. A nil
// PropValues caps nothing.
func (c *PropValues) admit(s *site.Site, key, v string, at time.Time) string {
	if c == nil || v == PropNone || v == PropOther {
		return v
	}
	_, offset := at.In(s.Location).Zone()
	day := (at.Unix() + int64(offset)) / 86400
	h := maphash.String(c.seed, v)
	c.mu.Lock()
	defer c.mu.Unlock()
	k := propKey{s.Domain, key}
	dv := c.keys[k]
	if dv == nil || dv.day != day {
		if dv != nil && dv.day > day {
			return v // a late hit of yesterday: its day is gone, keep it
		}
		dv = &dayValues{day: day, hashes: map[uint64]struct{}{}}
		c.keys[k] = dv
	}
	if _, ok := dv.hashes[h]; ok {
		return v
	}
	if len(dv.hashes) >= c.perDay {
		return PropOther
	}
	dv.hashes[h] = struct{}{}
	return v
}
