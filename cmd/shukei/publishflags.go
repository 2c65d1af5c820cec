package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/site"
)

// maxRetentionMonths bounds -retention-months (ten years), as the
// dashboard's settings form does.
const maxRetentionMonths = 120

// publishFlags are the publishing, retention and opt-out settings of the
// sites named by -site flags (sites added in the dashboard have their own;
// settings saved in the dashboard for a flag site take precedence).
type publishFlags struct {
	public          listFlag
	respectGPC      listFlag
	minCellSize     int
	noise           bool
	epsilon         epsilonFlag
	roundTo         int
	retentionMonths int
	publishInterval time.Duration
	scrubRules      scrubRuleFlag
	propKeys        propKeyFlag
}

func (p *publishFlags) register(fs *flag.FlagSet) {
	fs.Var(&p.public, "public", "site `domain` whose statistics are published: public page and open data (repeatable or comma-separated; docs/publishing.md)")
	fs.Var(&p.respectGPC, "respect-gpc", "site `domain` whose snippet sends nothing when the browser signals Global Privacy Control or Do Not Track (repeatable or comma-separated)")
	fs.IntVar(&p.minCellSize, "min-cell-size", disclosure.DefaultK, "k: published counts below this many are not shown nor derivable (2 to 1000)")
	fs.BoolVar(&p.noise, "noise", false, "add differential-privacy noise to published counts (ε from -epsilon)")
	p.epsilon.v = "1"
	fs.Var(&p.epsilon, "epsilon", "per-visitor, per-day privacy budget ε of the noise; setting it turns -noise on")
	fs.IntVar(&p.roundTo, "round-to", 1, "round published counts to a multiple of 5 or 10 (1: no rounding)")
	fs.IntVar(&p.retentionMonths, "retention-months", site.DefaultRetentionMonths, "rows older than this many months are deleted (1 to 120)")
	fs.Var(&p.scrubRules, "scrub-rule", "a site's own page-path `rule`: domain=keep PATTERN or domain=scrub PATTERN, e.g. \"example.org=keep /soshiki/*/0*.html\" (repeatable; docs/privacy.md)")
	fs.Var(&p.propKeys, "prop-key", "custom property `key` a site keeps: domain=key or domain=key1,key2 (at most 8 per site; repeatable; docs/plausible.md)")
	fs.DurationVar(&p.publishInterval, "publish-interval", opendata.DefaultConfig().Interval, "how often public reports are brought up to date (each week is published once it ends)")
}

// epsilonFlag is ε as written, and whether it was given at all.
type epsilonFlag struct {
	v   string
	set bool
}

func (e *epsilonFlag) String() string { return e.v }

func (e *epsilonFlag) Set(v string) error {
	e.v, e.set = v, true
	return nil
}

// publishing returns the settings for a published site, validated.
func (p *publishFlags) publishing() (site.Publishing, error) {
	out := site.Publishing{Public: true, MinCellSize: p.minCellSize, RoundTo: p.roundTo}
	if p.noise || p.epsilon.set {
		eps, err := disclosure.ParseEpsilon(p.epsilon.v)
		if err != nil {
			return out, fmt.Errorf("-epsilon: %w", err)
		}
		out.Epsilon, _ = eps.Float64()
	}
	if _, err := disclosure.RulesFor(out); err != nil {
		return out, fmt.Errorf("-min-cell-size/-round-to: %w", err)
	}
	return out, nil
}

// apply sets the flags' settings on the registry's sites. Every domain
// named by -public or -respect-gpc must be a -site.
func (p *publishFlags) apply(sites *site.Registry) error {
	if p.retentionMonths < 1 || p.retentionMonths > maxRetentionMonths {
		return fmt.Errorf("-retention-months: %d: must be between 1 and %d", p.retentionMonths, maxRetentionMonths)
	}
	if p.publishInterval < time.Minute {
		return fmt.Errorf("-publish-interval: %v: must be at least a minute", p.publishInterval)
	}
	for name, list := range map[string]listFlag{"-public": p.public, "-respect-gpc": p.respectGPC} {
		for i, d := range list {
			// Domains are compared as site.Parse stores them.
			d = strings.ToLower(strings.TrimSuffix(d, "."))
			list[i] = d
			if _, ok := sites.Lookup(d); !ok {
				return fmt.Errorf("%s: %q is not a site given with -site", name, d)
			}
		}
	}
	var pub site.Publishing
	if len(p.public) > 0 {
		var err error
		if pub, err = p.publishing(); err != nil {
			return err
		}
	}
	for _, s := range sites.All() {
		c := *s
		c.RetentionMonths = p.retentionMonths
		c.RespectGPC = slices.Contains(p.respectGPC, s.Domain)
		if slices.Contains(p.public, s.Domain) {
			c.Publish = pub
		}
		sites.Put(&c)
	}
	if err := applyScrubRules(p.scrubRules, sites); err != nil {
		return err
	}
	return applyPropKeys(p.propKeys, sites)
}
