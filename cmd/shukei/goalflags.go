package main

import (
	"fmt"
	"strings"

	"github.com/shukei-analytics/shukei/site"
)

// goalFlag collects -goal values: "domain=event:NAME" for a custom event,
// "domain=visit:/PATH" for page views of a path ("*" matches any run of
// characters). Repeatable, not comma-separated: names may hold commas.
type goalFlag []string

func (f *goalFlag) String() string { return strings.Join(*f, "; ") }

func (f *goalFlag) Set(v string) error {
	if _, _, err := site.ParseGoalFlag(v); err != nil {
		return err
	}
	*f = append(*f, v)
	return nil
}

// applyGoals gives each -site its -goal goals (which the dashboard shows
// but cannot delete; goals added there or through the API come after
// them). Every domain named must be a -site.
func applyGoals(flags []string, sites *site.Registry) error {
	bySite := map[string][]site.Goal{}
	var order []string
	for _, v := range flags {
		domain, g, err := site.ParseGoalFlag(v)
		if err != nil {
			return fmt.Errorf("-goal: %w", err)
		}
		if _, ok := sites.Lookup(domain); !ok {
			return fmt.Errorf("-goal: %q is not a site given with -site", domain)
		}
		if bySite[domain] == nil {
			order = append(order, domain)
		}
		bySite[domain] = append(bySite[domain], g)
	}
	for _, domain := range order {
		if err := site.ValidateGoals(bySite[domain]); err != nil {
			return fmt.Errorf("-goal %s: %w", domain, err)
		}
		s, _ := sites.Lookup(domain)
		c := *s
		c.Goals = bySite[domain]
		sites.Put(&c)
	}
	return nil
}
