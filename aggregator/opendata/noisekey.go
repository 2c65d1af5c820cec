package opendata

import (
	"fmt"
	"path/filepath"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/internal/secretfile"
)

// noiseKeyName is the secret that the noise is a function of, in the
// archive directory (as private as the archive: whoever holds it and the
// published numbers can subtract the noise). A copy of the data directory
// carries it, so the copy publishes the same numbers.
const noiseKeyName = "noise.key"

// loadNoiseKey reads the archive's noise key, creating it on first use.
func loadNoiseKey(dir string) ([]byte, error) {
	key, err := secretfile.Load(filepath.Join(dir, noiseKeyName), disclosure.NoiseKeyBytes)
	if err != nil {
		return nil, fmt.Errorf("opendata: noise key: %w", err)
	}
	return key, nil
}
