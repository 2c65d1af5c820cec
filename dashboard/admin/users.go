package admin

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// User is an administrator account.
type User struct {
	ID           int64
	Username     string
	PasswordHash string
	// InstanceOwner may manage users and sites and holds every site role.
	InstanceOwner bool
	// MustChangePassword is set on accounts created with a temporary
	// password: the user must choose their own before anything else.
	MustChangePassword bool
	// TOTPSecret is the base32 second-factor secret, "" when off. It is
	// stored sealed (sealed.go) and opened when the account is read.
	TOTPSecret   string
	TOTPLastStep int64
	CreatedAt    time.Time
	// legacySecret: the secret was stored in clear by an earlier release.
	legacySecret bool
}

// TOTPEnabled reports whether the account has a second factor.
func (u *User) TOTPEnabled() bool { return u.TOTPSecret != "" }

// MaxUsernameLen bounds a user name in characters.
const MaxUsernameLen = 64

// NormalizeUsername returns the canonical form of a user name: NFKC and
// lower case, so "Tanaka" and "ｔａｎａｋａ" are one account. Letters of
// any script, digits and . _ - @ + are allowed (an e-mail address is a
// fine user name).
func NormalizeUsername(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", errors.New("user name: invalid text")
	}
	n := strings.ToLower(norm.NFKC.String(strings.TrimSpace(name)))
	if n == "" || utf8.RuneCountInString(n) > MaxUsernameLen {
		return "", fmt.Errorf("user name: 1 to %d characters", MaxUsernameLen)
	}
	for _, r := range n {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@+", r) {
			return "", errors.New("user name: letters, digits and . _ - @ + only")
		}
	}
	return n, nil
}

func (s *Store) scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var stored string
	err := row.Scan(&u.ID, &u.Username, &u.PasswordHash, &u.InstanceOwner, &u.MustChangePassword,
		&stored, &u.TOTPLastStep, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	u.legacySecret = stored != "" && !strings.HasPrefix(stored, sealedPrefix)
	if u.TOTPSecret, err = s.sealer.open(u.ID, stored); err != nil {
		return nil, err
	}
	return &u, nil
}

// CountUsers returns the number of accounts (0 before setup).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, fixed("CountUsers")).Scan(&n); err != nil {
		return 0, fmt.Errorf("admin: count users: %w", err)
	}
	return n, nil
}

// CountInstanceOwners returns the number of instance owners.
func (s *Store) CountInstanceOwners(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, fixed("CountInstanceOwners")).Scan(&n); err != nil {
		return 0, fmt.Errorf("admin: count owners: %w", err)
	}
	return n, nil
}

// CreateUser adds u (its Username already normalised) and sets u.ID. It
// returns ErrExists when the name is taken.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.db.QueryRowContext(ctx, fixed("CreateUser"), u.Username, u.PasswordHash, u.InstanceOwner,
		u.MustChangePassword, u.CreatedAt.UTC()).Scan(&u.ID)
	switch {
	case isConstraint(err):
		return ErrExists
	case err != nil:
		return fmt.Errorf("admin: create user: %w", err)
	}
	return nil
}

// CreateFirstOwner creates the first account as instance owner, only while
// no account exists: two setup requests racing cannot both succeed.
func (s *Store) CreateFirstOwner(ctx context.Context, u *User) error {
	return s.tx(ctx, "create first owner", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, fixed("CountUsers")).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrExists
		}
		u.InstanceOwner = true
		return tx.QueryRowContext(ctx, fixed("CreateUser"), u.Username, u.PasswordHash, true, false, u.CreatedAt.UTC()).Scan(&u.ID)
	})
}

// UserByName finds an account by its normalised name.
func (s *Store) UserByName(ctx context.Context, name string) (*User, error) {
	u, err := s.scanUser(s.db.QueryRowContext(ctx, fixed("UserByName"), name))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("admin: user by name: %w", err)
	}
	return u, err
}

// UserByID finds an account.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	u, err := s.scanUser(s.db.QueryRowContext(ctx, fixed("UserByID"), id))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("admin: user by id: %w", err)
	}
	return u, err
}

// Users lists the accounts by name.
func (s *Store) Users(ctx context.Context) ([]*User, error) {
	rows, err := s.db.QueryContext(ctx, fixed("Users"))
	if err != nil {
		return nil, fmt.Errorf("admin: users: %w", err)
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := s.scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("admin: users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPassword stores a new password hash.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string, mustChange bool) error {
	return s.one(ctx, "SetPassword", hash, mustChange, id)
}

// SetInstanceOwner grants or removes instance ownership.
func (s *Store) SetInstanceOwner(ctx context.Context, id int64, owner bool) error {
	return s.one(ctx, "SetInstanceOwner", owner, id)
}

// SetTOTP turns the second factor on (secret) or off ("").
func (s *Store) SetTOTP(ctx context.Context, id int64, secret string) error {
	sealed, err := s.sealer.seal(id, secret)
	if err != nil {
		return fmt.Errorf("admin: seal the second-factor secret: %w", err)
	}
	return s.one(ctx, "SetTOTP", sealed, id)
}

// ClaimTOTPStep records that the code of step was used, and reports false
// when that step or a later one was already used (a replay).
func (s *Store) ClaimTOTPStep(ctx context.Context, id, step int64) (bool, error) {
	n, err := s.exec(ctx, "ClaimTOTPStep", step, id, step)
	return n == 1, err
}

// DeleteUser removes an account with its sessions, tokens, roles and
// recovery codes.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	return s.tx(ctx, "delete user", func(tx *sql.Tx) error {
		for _, q := range []string{"DeleteUser_memberships", "DeleteUser_tokens", "DeleteUser_sessions", "DeleteUser_recovery"} {
			if _, err := tx.ExecContext(ctx, fixed(q), id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, fixed("DeleteUser"), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// one runs an update that must touch exactly one row.
func (s *Store) one(ctx context.Context, name string, args ...any) error {
	n, err := s.exec(ctx, name, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// ReplaceRecoveryCodes stores hashes as the user's recovery codes,
// dropping the old ones.
func (s *Store) ReplaceRecoveryCodes(ctx context.Context, id int64, hashes []string) error {
	return s.tx(ctx, "replace recovery codes", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, fixed("DeleteUser_recovery"), id); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := tx.ExecContext(ctx, fixed("ReplaceRecoveryCodes"), id, h); err != nil {
				return err
			}
		}
		return nil
	})
}

// UseRecoveryCode consumes a recovery code and reports whether it existed.
func (s *Store) UseRecoveryCode(ctx context.Context, id int64, hash string) (bool, error) {
	n, err := s.exec(ctx, "UseRecoveryCode", id, hash)
	return n == 1, err
}

// CountRecoveryCodes returns how many unused recovery codes the user has.
func (s *Store) CountRecoveryCodes(ctx context.Context, id int64) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, fixed("CountRecoveryCodes"), id).Scan(&n); err != nil {
		return 0, fmt.Errorf("admin: count recovery codes: %w", err)
	}
	return n, nil
}
