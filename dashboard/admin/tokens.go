package admin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Token is a Stats API token. Only its SHA-256 is stored: the token itself
// is shown once, when it is created.
type Token struct {
	ID       int64
	UserID   int64
	Username string // the owner's name, filled on reads
	Name     string
	Hash     string
	Hint     string // the first characters, to recognise it
	// Sites limits the token to these domains; nil means every site its
	// user may read.
	Sites     []string
	CreatedAt time.Time
	LastUsed  time.Time // zero when never used
}

func joinSites(sites []string) string {
	if sites == nil {
		return "*"
	}
	return strings.Join(sites, "\n")
}

func splitSites(s string) []string {
	if s == "*" {
		return nil
	}
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// CreateToken stores t and sets its ID.
func (s *Store) CreateToken(ctx context.Context, t *Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.db.QueryRowContext(ctx, fixed("CreateToken"), t.UserID, t.Name, t.Hash, t.Hint, joinSites(t.Sites), t.CreatedAt.UTC()).Scan(&t.ID)
	if err != nil {
		return fmt.Errorf("admin: create token: %w", err)
	}
	return nil
}

func scanToken(row interface{ Scan(...any) error }) (*Token, error) {
	var t Token
	var sites string
	var last sql.NullTime
	err := row.Scan(&t.ID, &t.UserID, &t.Username, &t.Name, &t.Hash, &t.Hint, &sites, &t.CreatedAt, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	t.Sites = splitSites(sites)
	if last.Valid {
		t.LastUsed = last.Time
	}
	return &t, nil
}

// TokenByHash finds a token by its hash.
func (s *Store) TokenByHash(ctx context.Context, hash string) (*Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, fixed("TokenByHash"), hash))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("admin: token: %w", err)
	}
	return t, err
}

// Tokens lists every token, newest first.
func (s *Store) Tokens(ctx context.Context) ([]*Token, error) {
	rows, err := s.db.QueryContext(ctx, fixed("Tokens"))
	if err != nil {
		return nil, fmt.Errorf("admin: tokens: %w", err)
	}
	defer rows.Close()
	var out []*Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("admin: tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteToken revokes a token.
func (s *Store) DeleteToken(ctx context.Context, id int64) error {
	return s.one(ctx, "DeleteToken", id)
}

// TouchToken records a use of the token.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.exec(ctx, "TouchToken", at.UTC(), id)
	return err
}
