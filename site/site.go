// Package site holds the configuration of the sites a Shukei server counts:
// their domains and time zones and the settings the pipeline needs. It is a
// leaf package shared by the collector, the aggregator and the dashboard.
package site

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// Site is one counted website, identified by its domain as the tracker sends
// it (Plausible's data-domain).
type Site struct {
	Domain string
	// Location is the site's time zone: days, weeks and months of reports,
	// and the day of the daily visitor salt, follow it. (Encoded by name:
	// encode.go.)
	Location *time.Location `json:"-"`
	// AllowedHostnames, when not empty, limits the page hostnames accepted
	// for this site (subdomains of an entry included).
	AllowedHostnames []string
	// RespectGPC makes the tracker snippet send nothing when the browser
	// signals Global Privacy Control or Do Not Track.
	RespectGPC bool

	// Publishing (all optional; the zero value publishes nothing).
	Publish Publishing
	// RetentionMonths deletes rows older than this many months; 0 means the
	// default of 14 (DESIGN §1.8).
	RetentionMonths int
	// ScrubRules are the site's own keep and scrub rules for page paths,
	// one per entry ("keep /soshiki/*/0*.html", "scrub /staff/*"), as
	// urlscrub.ParseRules reads them; validated where they are
	// set (flags, dashboard).
	ScrubRules []string
	// PropKeys are the custom property keys the site keeps (allowlists),
	// at most MaxPropKeys, as ParsePropKeys returns them. Every other
	// property is discarded; the url of a file download or an outbound
	// link is kept whatever this says.
	PropKeys []string
	// Goals are the conversions the site counts (goal.go); the Stats API's
	// event:goal dimension and filter and its conversion rates read them.
	Goals []Goal
	// Ageing merges older rows to hours and days (DESIGN §1.6); the zero
	// value is the default policy.
	Ageing Ageing
}

// Publishing says what a site makes public and under which disclosure rules
// (DESIGN §1.7). Only aggregates that pass them leave the aggregator.
type Publishing struct {
	// Public enables the public dashboard and the open-data files.
	Public bool
	// MinCellSize is k: rows with fewer unique visitors are folded into
	// "(other)"; 0 means the default of 10.
	MinCellSize int
	// Epsilon, when positive, adds differential-privacy noise with this
	// per-day budget; 0 means no noise.
	Epsilon float64
	// RoundTo rounds published counts to a multiple (5 or 10); 0 or 1 means
	// no rounding.
	RoundTo int
}

// DefaultRetentionMonths is the retention when a site sets none.
const DefaultRetentionMonths = 14

// Retention returns the site's retention in months.
func (s *Site) Retention() int {
	if s.RetentionMonths > 0 {
		return s.RetentionMonths
	}
	return DefaultRetentionMonths
}

// Registry is the set of sites, safe for concurrent use. Reads are lock-free
// (an atomic snapshot) because every hit looks its site up.
type Registry struct {
	sites atomic.Pointer[map[string]*Site]
}

// NewRegistry returns a registry holding sites.
func NewRegistry(sites ...*Site) *Registry {
	r := &Registry{}
	m := make(map[string]*Site, len(sites))
	for _, s := range sites {
		m[s.Domain] = s
	}
	r.sites.Store(&m)
	return r
}

// Lookup returns the site with the given domain.
func (r *Registry) Lookup(domain string) (*Site, bool) {
	s, ok := (*r.sites.Load())[domain]
	return s, ok
}

// All returns the sites sorted by domain.
func (r *Registry) All() []*Site {
	m := *r.sites.Load()
	out := make([]*Site, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b *Site) int { return strings.Compare(a.Domain, b.Domain) })
	return out
}

// Put adds or replaces a site.
func (r *Registry) Put(s *Site) {
	for {
		old := r.sites.Load()
		m := make(map[string]*Site, len(*old)+1)
		for k, v := range *old {
			m[k] = v
		}
		m[s.Domain] = s
		if r.sites.CompareAndSwap(old, &m) {
			return
		}
	}
}

// Remove deletes a site; hits for it are refused from then on.
func (r *Registry) Remove(domain string) {
	for {
		old := r.sites.Load()
		m := make(map[string]*Site, len(*old))
		for k, v := range *old {
			if k != domain {
				m[k] = v
			}
		}
		if r.sites.CompareAndSwap(old, &m) {
			return
		}
	}
}

// HostnameAllowed reports whether a page on host may be counted for s.
func (s *Site) HostnameAllowed(host string) bool {
	if len(s.AllowedHostnames) == 0 {
		return true
	}
	for _, allowed := range s.AllowedHostnames {
		if host == allowed || strings.HasSuffix(host, "."+allowed) {
			return true
		}
	}
	return false
}

// Parse reads a site from a flag value: "example.org" or
// "example.org=Asia/Tokyo". defaultZone applies when no zone is given.
func Parse(value string, defaultZone *time.Location) (*Site, error) {
	domain, zone, hasZone := strings.Cut(strings.TrimSpace(value), "=")
	domain = strings.ToLower(strings.TrimSuffix(domain, "."))
	if err := ValidateDomain(domain); err != nil {
		return nil, err
	}
	loc := defaultZone
	if hasZone {
		var err error
		if loc, err = time.LoadLocation(zone); err != nil {
			return nil, fmt.Errorf("site %s: unknown time zone %q", domain, zone)
		}
	}
	return &Site{Domain: domain, Location: loc}, nil
}

// ValidateDomain checks that a site domain is a plausible host name (with an
// optional path-free form like Plausible's), so it can be used safely in file
// names, URLs and logs.
func ValidateDomain(domain string) error {
	if domain == "" || len(domain) > 253 {
		return fmt.Errorf("site domain %q: must be 1 to 253 characters", domain)
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || len(label) > 63 {
			return fmt.Errorf("site domain %q: empty or over-long label", domain)
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
			if !ok {
				return fmt.Errorf("site domain %q: only letters, digits, '-' and '_' are allowed in labels", domain)
			}
		}
	}
	return nil
}
