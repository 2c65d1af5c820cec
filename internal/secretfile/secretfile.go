// Package secretfile keeps a random key in a file of its own: created on
// first use (0600, written, synced and linked into place only if no other
// process did it first), read as is afterwards. The noise key of the
// publisher and the key that encrypts second-factor secrets live this way
// in the data directory.
package secretfile

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Load returns the n-byte key kept at path, creating it when missing. Two
// processes starting at once agree on one key: the new key is linked into
// place only if none exists, and the loser reads the winner's.
func Load(path string, n int) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) != n {
			return nil, fmt.Errorf("key file %s holds %d bytes, not %d", filepath.Base(path), len(key), n)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("key file: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	key = make([]byte, n)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(key)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if err = errors.Join(err, tmp.Close()); err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Load(path, n)
		}
		return nil, fmt.Errorf("key file: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if err := errors.Join(d.Sync(), d.Close()); err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	return key, nil
}
