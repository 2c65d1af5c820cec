package dashboard

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
)

// loadSites registers the sites added in the dashboard, and applies the
// stored settings of -site flag sites (keeping the time zone the flag gave,
// fixedZones; a flag without one takes the zone set in the dashboard). A
// stored flag-site record whose flag is gone is left alone: the site is no
// longer counted, and its settings return if the flag does.
func loadSites(ctx context.Context, store *admin.Store, reg *site.Registry, flagSites, fixedZones []string, log *slog.Logger) error {
	recs, err := store.Sites(ctx)
	if err != nil {
		return err
	}
	for _, r := range recs {
		flagged := slices.Contains(flagSites, r.Domain)
		if r.Origin == admin.OriginFlag && !flagged {
			continue
		}
		base, _ := reg.Lookup(r.Domain)
		s, err := siteFromRecord(r, base, slices.Contains(fixedZones, r.Domain))
		if err != nil {
			log.Warn("dashboard: stored site not loaded", "site", r.Domain, "err", err)
			continue
		}
		reg.Put(s)
	}
	return nil
}

// siteFromRecord builds the site a record describes. A flag site (base
// not nil) keeps its flag's goals (-goal), and its flag's time zone when
// the flag gave one (fixedZone); else the stored zone applies.
func siteFromRecord(r *admin.SiteRecord, base *site.Site, fixedZone bool) (*site.Site, error) {
	var loc *time.Location
	var goals []site.Goal
	if base != nil {
		goals = base.Goals
	}
	if base != nil && fixedZone {
		loc = base.Location
	} else {
		var err error
		if loc, err = loadZone(r.TimeZone); err != nil {
			return nil, err
		}
	}
	return &site.Site{
		Domain: r.Domain, Location: loc, AllowedHostnames: slices.Clone(r.AllowedHostnames), RespectGPC: r.RespectGPC,
		Publish: site.Publishing{
			Public: r.Public, MinCellSize: r.MinCellSize, Epsilon: r.Epsilon, RoundTo: r.RoundTo,
		},
		RetentionMonths: r.RetentionMonths, ScrubRules: slices.Clone(r.ScrubRules),
		PropKeys: slices.Clone(r.PropKeys),
		Goals:    goals, // the flag's; stored goals are loaded by loadGoals
	}, nil
}

// recordFromSite is the stored form of a site's settings.
func recordFromSite(s *site.Site, origin string, created time.Time) *admin.SiteRecord {
	return &admin.SiteRecord{
		Domain: s.Domain, Origin: origin, TimeZone: s.Location.String(),
		AllowedHostnames: slices.Clone(s.AllowedHostnames), RespectGPC: s.RespectGPC,
		Public: s.Publish.Public, MinCellSize: s.Publish.MinCellSize, Epsilon: s.Publish.Epsilon,
		RoundTo: s.Publish.RoundTo, RetentionMonths: s.RetentionMonths, CreatedAt: created,
		ScrubRules: slices.Clone(s.ScrubRules), PropKeys: slices.Clone(s.PropKeys),
	}
}
