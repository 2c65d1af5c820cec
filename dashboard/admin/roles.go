package admin

import (
	"context"
	"fmt"
)

// Role is what a user may do on a site. Higher roles include the lower.
type Role uint8

// The roles.
const (
	RoleNone   Role = 0
	RoleViewer Role = 1 // the dashboard and CSV exports
	RoleAdmin  Role = 2 // + settings, the snippet
	RoleOwner  Role = 3 // + members, removing the site
)

// String names the role as the UI and catalogs do.
func (r Role) String() string {
	switch r {
	case RoleViewer:
		return "viewer"
	case RoleAdmin:
		return "admin"
	case RoleOwner:
		return "owner"
	}
	return "none"
}

// ParseRole reads a role name.
func ParseRole(s string) (Role, bool) {
	for _, r := range []Role{RoleViewer, RoleAdmin, RoleOwner} {
		if r.String() == s {
			return r, true
		}
	}
	return RoleNone, false
}

// Member is a user's role on a site.
type Member struct {
	UserID   int64
	Username string
	Role     Role
}

// SetRole gives a user a role on a site.
func (s *Store) SetRole(ctx context.Context, userID int64, domain string, role Role) error {
	if role < RoleViewer || role > RoleOwner {
		return fmt.Errorf("admin: set role: invalid role %d", role)
	}
	_, err := s.exec(ctx, "SetRole", userID, domain, uint8(role))
	return err
}

// RemoveRole takes a user's role on a site away.
func (s *Store) RemoveRole(ctx context.Context, userID int64, domain string) error {
	_, err := s.exec(ctx, "RemoveRole", userID, domain)
	return err
}

// RolesOf returns a user's roles by site domain.
func (s *Store) RolesOf(ctx context.Context, userID int64) (map[string]Role, error) {
	rows, err := s.db.QueryContext(ctx, fixed("RolesOf"), userID)
	if err != nil {
		return nil, fmt.Errorf("admin: roles: %w", err)
	}
	defer rows.Close()
	out := map[string]Role{}
	for rows.Next() {
		var d string
		var r uint8
		if err := rows.Scan(&d, &r); err != nil {
			return nil, fmt.Errorf("admin: roles: %w", err)
		}
		out[d] = Role(r)
	}
	return out, rows.Err()
}

// Members lists the roles on a site by user name.
func (s *Store) Members(ctx context.Context, domain string) ([]Member, error) {
	rows, err := s.db.QueryContext(ctx, fixed("Members"), domain)
	if err != nil {
		return nil, fmt.Errorf("admin: members: %w", err)
	}
	defer rows.Close()
	var out []Member
	for rows.Next() {
		var m Member
		var r uint8
		if err := rows.Scan(&m.UserID, &m.Username, &r); err != nil {
			return nil, fmt.Errorf("admin: members: %w", err)
		}
		m.Role = Role(r)
		out = append(out, m)
	}
	return out, rows.Err()
}
