package main

import (
	"fmt"
	"strings"

	"github.com/shukei-analytics/shukei/site"
)

// propKeyFlag collects -prop-key values, "domain=KEY[,KEY…]" each: the
// custom property keys a site keeps (docs/plausible.md).
type propKeyFlag []string

func (f *propKeyFlag) String() string { return strings.Join(*f, "; ") }

func (f *propKeyFlag) Set(v string) error {
	if _, keys, ok := strings.Cut(v, "="); !ok || strings.TrimSpace(keys) == "" {
		return fmt.Errorf("%q: want domain=key (or domain=key1,key2)", v)
	}
	*f = append(*f, v)
	return nil
}

// applyPropKeys gives each -site the keys its -prop-key values name,
// validated. Every domain named must be a -site.
func applyPropKeys(flags []string, sites *site.Registry) error {
	bySite := map[string][]string{}
	for _, v := range flags {
		domain, keys, _ := strings.Cut(v, "=")
		domain = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(domain), "."))
		if _, ok := sites.Lookup(domain); !ok {
			return fmt.Errorf("-prop-key: %q is not a site given with -site", domain)
		}
		bySite[domain] = append(bySite[domain], strings.Split(keys, ",")...)
	}
	for domain, list := range bySite {
		keys, err := site.ParsePropKeys(list)
		if err != nil {
			return fmt.Errorf("-prop-key %s: %w", domain, err)
		}
		s, _ := sites.Lookup(domain)
		c := *s
		c.PropKeys = keys
		sites.Put(&c)
	}
	return nil
}
