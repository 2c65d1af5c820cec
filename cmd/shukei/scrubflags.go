package main

import (
	"fmt"
	"strings"

	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// scrubRuleFlag collects -scrub-rule values, "domain=RULE" each, where
// RULE is "keep PATTERN" or "scrub PATTERN" (urlscrub rules;
// docs/privacy.md). Not comma-separated: patterns may hold commas.
type scrubRuleFlag []string

func (f *scrubRuleFlag) String() string { return strings.Join(*f, "; ") }

func (f *scrubRuleFlag) Set(v string) error {
	if _, _, ok := strings.Cut(v, "="); !ok {
		return fmt.Errorf("%q: want domain=keep /path/* or domain=scrub /path/*", v)
	}
	*f = append(*f, v)
	return nil
}

// applyScrubRules gives each -site its -scrub-rule rules, validated and in
// their normal form. Every domain named must be a -site.
func applyScrubRules(flags []string, sites *site.Registry) error {
	bySite := map[string][]string{}
	for _, v := range flags {
		domain, rule, _ := strings.Cut(v, "=")
		domain = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(domain), "."))
		if _, ok := sites.Lookup(domain); !ok {
			return fmt.Errorf("-scrub-rule: %q is not a site given with -site", domain)
		}
		bySite[domain] = append(bySite[domain], rule)
	}
	for domain, lines := range bySite {
		rules, err := urlscrub.ParseRules(lines)
		if err != nil {
			return fmt.Errorf("-scrub-rule %s: %w", domain, err)
		}
		s, _ := sites.Lookup(domain)
		c := *s
		c.ScrubRules = rules.Texts()
		sites.Put(&c)
	}
	return nil
}
