package admin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session stages.
const (
	// StageSecondFactor: the password was right, the TOTP code is pending.
	StageSecondFactor = 1
	// StageSignedIn: fully signed in.
	StageSignedIn = 2
)

// Session is a server-side session. Only the SHA-256 of its id is stored,
// so the database cannot be used to take over a session.
type Session struct {
	IDHash    string
	UserID    int64
	CSRF      string
	Stage     int
	CreatedAt time.Time
	LastSeen  time.Time
}

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss *Session) error {
	_, err := s.exec(ctx, "CreateSession", ss.IDHash, ss.UserID, ss.CSRF, ss.Stage, ss.CreatedAt.UTC(), ss.LastSeen.UTC())
	return err
}

// SessionByHash finds a session by the hash of its id.
func (s *Store) SessionByHash(ctx context.Context, hash string) (*Session, error) {
	var ss Session
	err := s.db.QueryRowContext(ctx, fixed("SessionByHash"), hash).Scan(&ss.IDHash, &ss.UserID, &ss.CSRF, &ss.Stage, &ss.CreatedAt, &ss.LastSeen)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, ErrNotFound
	case err != nil:
		return nil, fmt.Errorf("admin: session: %w", err)
	}
	return &ss, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := s.exec(ctx, "TouchSession", at.UTC(), hash)
	return err
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.exec(ctx, "DeleteSession", hash)
	return err
}

// DeleteUserSessions ends every session of a user except keep (a hash, or
// "" to end them all): after a password change, the other devices are
// signed out.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keep string) error {
	_, err := s.exec(ctx, "DeleteUserSessions", userID, keep)
	return err
}

// DeleteExpiredSessions removes sessions idle since before idleBefore or
// created before createdBefore, and returns how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleBefore, createdBefore time.Time) (int64, error) {
	return s.exec(ctx, "DeleteExpiredSessions", idleBefore.UTC(), createdBefore.UTC())
}
