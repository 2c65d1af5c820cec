package admin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SharedLink is a secret read-only link to one site's dashboard. The
// store keeps the secret's hash only; PasswordHash is empty for a link
// without a password.
type SharedLink struct {
	ID           int64
	Domain       string
	Name         string
	SecretHash   string
	PasswordHash string
	CreatedAt    time.Time
}

// CreateSharedLink stores a link and sets its ID.
func (s *Store) CreateSharedLink(ctx context.Context, l *SharedLink) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.db.QueryRowContext(ctx, fixed("CreateSharedLink"), l.Domain, l.Name, l.SecretHash, l.PasswordHash, l.CreatedAt.UTC()).Scan(&l.ID)
	if err != nil {
		return fmt.Errorf("admin: create shared link: %w", err)
	}
	return nil
}

// SharedLinks returns a site's links, oldest first.
func (s *Store) SharedLinks(ctx context.Context, domain string) ([]SharedLink, error) {
	rows, err := s.db.QueryContext(ctx, fixed("SharedLinks"), domain)
	if err != nil {
		return nil, fmt.Errorf("admin: shared links: %w", err)
	}
	defer rows.Close()
	var out []SharedLink
	for rows.Next() {
		l, err := scanSharedLink(rows)
		if err != nil {
			return nil, fmt.Errorf("admin: shared links: %w", err)
		}
		out = append(out, *l)
	}
	return out, rows.Err()
}

// SharedLinkByHash finds a link by its secret's hash; ErrNotFound when
// none (or revoked).
func (s *Store) SharedLinkByHash(ctx context.Context, hash string) (*SharedLink, error) {
	return scanSharedLink(s.db.QueryRowContext(ctx, fixed("SharedLinkByHash"), hash))
}

// DeleteSharedLink revokes a link of the site; ErrNotFound when it has
// no such link.
func (s *Store) DeleteSharedLink(ctx context.Context, domain string, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.db.ExecContext(ctx, fixed("DeleteSharedLink"), domain, id)
	if err != nil {
		return fmt.Errorf("admin: delete shared link: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func scanSharedLink(row interface{ Scan(...any) error }) (*SharedLink, error) {
	var l SharedLink
	err := row.Scan(&l.ID, &l.Domain, &l.Name, &l.SecretHash, &l.PasswordHash, &l.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &l, err
}
