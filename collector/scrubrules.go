package collector

import (
	"log/slog"
	"slices"
	"sync"

	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// scrubRules holds each site's compiled keep/scrub rules and their
// counters (DESIGN §1.5). A site's rules are compiled on its first hit and
// again whenever its settings change them; the counters of unchanged
// rules carry over. Every site has an entry, even without rules, so that
// the dashboard can show what each built-in detector changed.
type scrubRules struct {
	log   *slog.Logger
	sites sync.Map // domain → *siteScrub
}

type siteScrub struct {
	lines []string // the site's rules as compiled
	rules *urlscrub.Rules
}

// forSite returns the compiled rules for s, compiling them when they are
// new or changed. Rules that fail to compile (they were validated where
// they were set, so only a hand-edited record can get here) are logged
// and ignored: the built-in detectors still apply.
func (r *scrubRules) forSite(s *site.Site) *urlscrub.Rules {
	if v, ok := r.sites.Load(s.Domain); ok {
		if e := v.(*siteScrub); slices.Equal(e.lines, s.ScrubRules) {
			return e.rules
		}
	}
	rules, err := urlscrub.ParseRules(s.ScrubRules)
	if err != nil {
		if r.log != nil {
			r.log.Warn("collector: scrub rules ignored", "site", s.Domain, "err", err)
		}
		rules, _ = urlscrub.ParseRules(nil)
	}
	e := &siteScrub{lines: slices.Clone(s.ScrubRules), rules: rules}
	if old, loaded := r.sites.Swap(s.Domain, e); loaded {
		rules.CarryCounts(old.(*siteScrub).rules)
	}
	return rules
}

// counts returns a site's counters since the collector started.
func (r *scrubRules) counts(domain string) (uint64, []urlscrub.RuleCount, bool) {
	v, ok := r.sites.Load(domain)
	if !ok {
		return 0, nil, false
	}
	paths, counts := v.(*siteScrub).rules.Counts()
	return paths, counts, true
}

// ScrubCounts reports, for one site, how many page paths this collector
// scrubbed since it started and how many of them each built-in detector
// and each of the site's rules changed; ok is false before the site's
// first hit.
func (c *Collector) ScrubCounts(domain string) (paths uint64, counts []urlscrub.RuleCount, ok bool) {
	if c == nil || c.pipeline == nil {
		return 0, nil, false // a node without the ingest role
	}
	return c.pipeline.rules.counts(domain)
}
