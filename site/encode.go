package site

import (
	"encoding/json"
	"fmt"
	"time"
)

// A site's configuration travels between the nodes of a multi-node
// deployment through the shared store (cluster.SiteSync) as this JSON
// document: every field of Site as it is, the time zone by its name. A
// field added to Site travels with it; a test fills every field and checks
// that it comes back.

// wire is Site with its time zone by name.
type wire struct {
	*alias
	TimeZone string `json:"time_zone"`
}

type alias Site

// Encode returns s as the shared store keeps it.
func Encode(s *Site) ([]byte, error) {
	zone := "UTC"
	if s.Location != nil {
		zone = s.Location.String()
	}
	b, err := json.Marshal(wire{alias: (*alias)(s), TimeZone: zone})
	if err != nil {
		return nil, fmt.Errorf("site %s: encode: %w", s.Domain, err)
	}
	return b, nil
}

// Decode reads a site that Encode wrote, and checks its domain and time
// zone.
func Decode(b []byte) (*Site, error) {
	s := &Site{}
	w := wire{alias: (*alias)(s)}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("site: decode: %w", err)
	}
	if err := ValidateDomain(s.Domain); err != nil {
		return nil, err
	}
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("site %s: unknown time zone %q", s.Domain, w.TimeZone)
	}
	s.Location = loc
	return s, nil
}
