package admin

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/internal/secretfile"
)

// Second-factor secrets are stored encrypted (AES-256-GCM) under a key
// kept in a file of its own next to the database (KeyFileName, 0600): a
// copy of the database alone — a backup, a file read through another
// hole — does not let anyone generate an account's codes. The user's id
// is the authenticated data, so a sealed secret moved to another account
// does not open. A secret stored in clear by an earlier release is sealed
// when the store opens.

// KeyFileName is the key's file, in the database's directory.
const KeyFileName = "admin.key"

// sealedPrefix marks a sealed value (version 1).
const sealedPrefix = "v1:"

// sealer seals and opens secrets.
type sealer struct{ aead cipher.AEAD }

// newSealer loads (creating) the key beside the database at path, or
// makes a key in memory for an in-memory database.
func newSealer(path string) (*sealer, error) {
	var key []byte
	var err error
	if path == "" {
		key = make([]byte, 32)
		_, err = rand.Read(key)
	} else {
		key, err = secretfile.Load(filepath.Join(filepath.Dir(path), KeyFileName), 32)
	}
	if err != nil {
		return nil, fmt.Errorf("admin: secrets key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func aad(id int64) []byte { return []byte("totp:" + strconv.FormatInt(id, 10)) }

// seal encrypts a secret of user id ("" stays "": no second factor).
func (s *sealer) seal(id int64, secret string) (string, error) {
	if secret == "" {
		return "", nil
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, []byte(secret), aad(id))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// errSealed is a sealed secret that does not open: another key, another
// account, or damage.
var errSealed = errors.New("admin: a second-factor secret does not open with this key")

// open decrypts a stored secret; a value without the prefix is a secret
// from before sealing, returned as it is.
func (s *sealer) open(id int64, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, nil
	}
	b, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", errSealed
	}
	plain, err := s.aead.Open(nil, b[:s.aead.NonceSize()], b[s.aead.NonceSize():], aad(id))
	if err != nil {
		return "", errSealed
	}
	return string(plain), nil
}

// sealLegacy seals the secrets an earlier release stored in clear. (A
// sealed secret that does not open — the key file lost — fails only its
// own account's sign-in: keep admin.key with the database in backups.)
func (s *Store) sealLegacy(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, fixed("sealLegacy"), sealedPrefix)
	if err != nil {
		return fmt.Errorf("admin: find secrets in clear: %w", err)
	}
	type legacy struct {
		id     int64
		secret string
	}
	var found []legacy
	for rows.Next() {
		var l legacy
		if err := rows.Scan(&l.id, &l.secret); err != nil {
			rows.Close()
			return fmt.Errorf("admin: find secrets in clear: %w", err)
		}
		found = append(found, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("admin: find secrets in clear: %w", err)
	}
	for _, l := range found {
		if err := s.SetTOTP(ctx, l.id, l.secret); err != nil {
			return err
		}
		s.log.Info("admin: sealed a second-factor secret stored in clear", "user_id", l.id)
	}
	return nil
}
