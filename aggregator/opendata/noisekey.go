package opendata

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
)

// noiseKeyName is the secret that the noise is a function of, in the
// archive directory (as private as the archive: whoever holds it and the
// published numbers can subtract the noise). A copy of the data directory
// carries it, so the copy publishes the same numbers.
const noiseKeyName = "noise.key"

// loadNoiseKey reads the archive's noise key, creating it on first use.
// Two processes starting at once agree: the key is linked into place only
// if none exists, and the loser reads the winner's.
func loadNoiseKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, noiseKeyName)
	key, err := os.ReadFile(path)
	if err == nil {
		return checkKey(key)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("opendata: noise key: %w", err)
	}
	key = make([]byte, disclosure.NoiseKeyBytes)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("opendata: noise key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".key-*")
	if err != nil {
		return nil, fmt.Errorf("opendata: noise key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(key)
	if err == nil {
		err = tmp.Sync()
	}
	if err = errors.Join(err, tmp.Close()); err != nil {
		return nil, fmt.Errorf("opendata: noise key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return loadNoiseKey(dir)
		}
		return nil, fmt.Errorf("opendata: noise key: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return nil, fmt.Errorf("opendata: noise key: %w", err)
	}
	return key, nil
}

func checkKey(key []byte) ([]byte, error) {
	if len(key) != disclosure.NoiseKeyBytes {
		return nil, fmt.Errorf("opendata: noise key: %s holds %d bytes, not %d", noiseKeyName, len(key), disclosure.NoiseKeyBytes)
	}
	return key, nil
}

// syncDir makes a new name in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}
