package wal

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// idFile holds the log's identity. It is random, names the log (not a
// person or a client), and lets a store tell one log's positions from
// another's.
const idFile = "id"

// loadID reads the log's id, creating it for a new directory. A directory
// that has segments but lost its id is refused: with a new id, the store
// would apply those segments a second time.
func loadID(dir string) (string, error) {
	path := filepath.Join(dir, idFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		id := strings.TrimSpace(string(b))
		if len(id) != 32 {
			return "", fmt.Errorf("wal: %s is damaged; restore it or move the directory away", path)
		}
		if _, err := hex.DecodeString(id); err != nil {
			return "", fmt.Errorf("wal: %s is damaged; restore it or move the directory away", path)
		}
		return id, nil
	case !errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("wal: read id: %w", err)
	}
	segs, err := listSegments(dir)
	if err != nil {
		return "", fmt.Errorf("wal: list segments: %w", err)
	}
	if len(segs) > 0 {
		return "", fmt.Errorf("wal: %s has segments but no id file; restore it or move the directory away", dir)
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	tmp := path + ".tmp"
	if err := writeSynced(tmp, []byte(id+"\n")); err != nil {
		return "", fmt.Errorf("wal: write id: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("wal: write id: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return "", fmt.Errorf("wal: write id: %w", err)
	}
	return id, nil
}

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}
