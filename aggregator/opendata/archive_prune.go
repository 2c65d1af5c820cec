package opendata

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// purgedName is the file, in a site's archive directory, holding the day
// before which its rows were deleted (a date, nothing of any row).
const purgedName = "purged-before"

// markPurged raises the site's purge day to before.
func (a *Archive) markPurged(domain string, before disclosure.Day) error {
	cur, err := a.PurgedBefore(domain)
	if err != nil || cur >= before {
		return err
	}
	dir := filepath.Join(a.dir, domain)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("opendata: archive: %w", err)
	}
	if err := writeAtomic(filepath.Join(dir, purgedName), []byte(before.String()+"\n")); err != nil {
		return fmt.Errorf("opendata: archive: record the purge: %w", err)
	}
	return nil
}

// PurgedBefore returns the day before which the site's rows were deleted
// (0 when none were): periods beginning earlier are not published.
func (a *Archive) PurgedBefore(domain string) (disclosure.Day, error) {
	if err := site.ValidateDomain(domain); err != nil {
		return 0, fmt.Errorf("opendata: archive: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(a.dir, domain, purgedName))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("opendata: archive: %w", err)
	}
	d, err := disclosure.ParseDay(strings.TrimSpace(string(b)))
	if err != nil {
		return 0, fmt.Errorf("opendata: archive: %s of %s: %w", purgedName, domain, err)
	}
	return d, nil
}

// Sites lists the sites the archive holds periods of.
func (a *Archive) Sites() ([]string, error) {
	entries, err := os.ReadDir(a.dir)
	if err != nil {
		return nil, fmt.Errorf("opendata: archive: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && site.ValidateDomain(e.Name()) == nil {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// RemoveSite deletes everything the archive holds of a site (a site
// removed from the configuration: its frozen periods hold exact counts).
func (a *Archive) RemoveSite(domain string) error {
	if err := site.ValidateDomain(domain); err != nil {
		return fmt.Errorf("opendata: archive: %w", err)
	}
	if err := os.RemoveAll(filepath.Join(a.dir, domain)); err != nil {
		return fmt.Errorf("opendata: archive: remove %s: %w", domain, err)
	}
	return nil
}
