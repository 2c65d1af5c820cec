package dashboard

import (
	"github.com/shukei-analytics/shukei/urlscrub"
)

// ScrubCounter reports, per site, how many page paths the collector
// scrubbed since it started, and how many of them each built-in detector
// and each of the site's keep/scrub rules changed, so that administrators
// can tune their rules (DESIGN §1.5).
type ScrubCounter interface {
	ScrubCounts(domain string) (paths uint64, counts []urlscrub.RuleCount, ok bool)
}

// scrubView is the settings page's table of scrub counts.
type scrubView struct {
	Collector bool // counts are available in this process
	Paths     uint64
	Rows      []scrubRow
}

type scrubRow struct {
	Key   string // catalog key of a built-in detector ("scrub.kind.email"), or ""
	Rule  string // the site's rule as written
	Paths uint64
}

// scrubCounts builds the table for one site.
func (u *ui) scrubTable(domain string) scrubView {
	if u.scrubCounts == nil {
		return scrubView{}
	}
	v := scrubView{Collector: true}
	paths, counts, _ := u.scrubCounts.ScrubCounts(domain)
	v.Paths = paths
	for _, c := range counts {
		if c.BuiltIn {
			v.Rows = append(v.Rows, scrubRow{Key: "scrub.kind." + c.Rule, Paths: c.Paths})
		} else {
			v.Rows = append(v.Rows, scrubRow{Rule: c.Rule, Paths: c.Paths})
		}
	}
	if len(v.Rows) == 0 {
		for _, k := range urlscrub.Kinds {
			v.Rows = append(v.Rows, scrubRow{Key: "scrub.kind." + k.String()})
		}
	}
	return v
}

// parseScrubRules validates the rules field and returns the rules in their
// normal form ("keep /x/*"), or the error to show.
func parseScrubRules(text string) ([]string, error) {
	rules, err := urlscrub.ParseRules(urlscrub.SplitRules(text))
	if err != nil {
		return nil, err
	}
	return rules.Texts(), nil
}
