package admin

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTOTPSecretIsSealed: the second-factor secret is stored encrypted —
// neither the column nor any byte of the database file holds it — and
// reads back in clear; a secret stored in clear by an earlier release is
// sealed when the store opens; the database with another key does not
// open the secret.
func TestTOTPSecretIsSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	s, err := Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	alice := &User{Username: "alice", PasswordHash: "h"}
	bob := &User{Username: "bob", PasswordHash: "h"}
	for _, u := range []*User{alice, bob} {
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	const secret = "KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD"
	if err := s.SetTOTP(ctx, alice.ID, secret); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := s.db.QueryRow("SELECT totp_secret FROM users WHERE id = ?", alice.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, sealedPrefix) || strings.Contains(stored, secret) {
		t.Fatalf("stored %q: not sealed", stored)
	}
	if u, err := s.UserByID(ctx, alice.ID); err != nil || u.TOTPSecret != secret || !u.TOTPEnabled() {
		t.Fatalf("read back %+v, %v", u, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || bytes.Contains(b, []byte(secret)) {
		t.Fatalf("the database file holds the secret in clear (%v)", err)
	}
	if s, err = Open(ctx, Config{Path: path}, nil); err != nil {
		t.Fatal(err)
	}
	// Moved to another account, the sealed value does not open.
	if _, err := s.db.Exec("UPDATE users SET totp_secret = ? WHERE id = ?", stored, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByID(ctx, bob.ID); err == nil {
		t.Error("alice's sealed secret opened as bob's")
	}
	// A secret in clear, as an earlier release stored it.
	if _, err := s.db.Exec("UPDATE users SET totp_secret = ? WHERE id = ?", secret, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := s.UserByID(ctx, bob.ID); err != nil || u.TOTPSecret != secret || u.legacySecret {
		t.Fatalf("legacy secret after reopening: %+v, %v", u, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Another key: the secrets do not open.
	if err := os.WriteFile(filepath.Join(dir, KeyFileName), bytes.Repeat([]byte{1}, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.UserByID(ctx, alice.ID); err == nil {
		t.Error("the secret opened with another key")
	}
}
