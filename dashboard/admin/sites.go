package admin

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Site origins.
const (
	OriginUI   = "ui"   // added in the dashboard
	OriginFlag = "flag" // named by a -site flag; the record holds its other settings
)

// SiteRecord is a site's stored settings (see site.Site for their meaning).
type SiteRecord struct {
	Domain           string
	Origin           string
	TimeZone         string
	AllowedHostnames []string
	RespectGPC       bool
	Public           bool
	MinCellSize      int
	Epsilon          float64
	RoundTo          int
	RetentionMonths  int
	CreatedAt        time.Time
	ScrubRules       []string // one rule per entry
	PropKeys         []string // the custom property keys kept
}

// PutSite adds or updates a site's record.
func (s *Store) PutSite(ctx context.Context, r *SiteRecord) error {
	_, err := s.exec(ctx, "PutSite", r.Domain, r.Origin, r.TimeZone, strings.Join(r.AllowedHostnames, "\n"),
		r.RespectGPC, r.Public, r.MinCellSize, r.Epsilon, r.RoundTo, r.RetentionMonths, r.CreatedAt.UTC(),
		strings.Join(r.ScrubRules, "\n"), strings.Join(r.PropKeys, "\n"))
	return err
}

// Sites lists the stored site records by domain.
func (s *Store) Sites(ctx context.Context) ([]*SiteRecord, error) {
	rows, err := s.db.QueryContext(ctx, fixed("Sites"))
	if err != nil {
		return nil, fmt.Errorf("admin: sites: %w", err)
	}
	defer rows.Close()
	var out []*SiteRecord
	for rows.Next() {
		var r SiteRecord
		var hosts, rules, keys string
		if err := rows.Scan(&r.Domain, &r.Origin, &r.TimeZone, &hosts, &r.RespectGPC, &r.Public,
			&r.MinCellSize, &r.Epsilon, &r.RoundTo, &r.RetentionMonths, &r.CreatedAt, &rules, &keys); err != nil {
			return nil, fmt.Errorf("admin: sites: %w", err)
		}
		if hosts != "" {
			r.AllowedHostnames = strings.Split(hosts, "\n")
		}
		if rules != "" {
			r.ScrubRules = strings.Split(rules, "\n")
		}
		if keys != "" {
			r.PropKeys = strings.Split(keys, "\n")
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// DeleteSite removes a site's record, every role on it, its goals and its
// shared links.
func (s *Store) DeleteSite(ctx context.Context, domain string) error {
	return s.tx(ctx, "delete site", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, fixed("DeleteSite_memberships"), domain); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fixed("DeleteSite_goals"), domain); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fixed("DeleteSite_shared_links"), domain); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, fixed("DeleteSite"), domain)
		return err
	})
}
