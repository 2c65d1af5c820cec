package opendata

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

// Archive keeps frozen periods as JSON files, one per site and period:
// <dir>/<site>/week-2026-03-02.json, block-2026-02-09.json. Files are
// written once, atomically (temporary file, fsync, rename, fsync of the
// directory), before anything computed from them is served.
type Archive struct {
	dir string
}

// OpenArchive opens (creating) the archive directory.
func OpenArchive(dir string) (*Archive, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("opendata: archive: %w", err)
	}
	return &Archive{dir: dir}, nil
}

func (a *Archive) path(domain string, p disclosure.Period) (string, error) {
	// Domains are validated (letters, digits, '-', '_', '.'), so they
	// cannot leave the archive; check again all the same.
	if err := site.ValidateDomain(domain); err != nil {
		return "", fmt.Errorf("opendata: archive: %w", err)
	}
	kind := "week"
	if p.Kind == disclosure.Block {
		kind = "block"
	}
	return filepath.Join(a.dir, domain, kind+"-"+p.Start.String()+".json"), nil
}

// load reads a frozen period; ok is false when there is none.
func (a *Archive) load(domain string, p disclosure.Period) (*record, bool, error) {
	path, err := a.path(domain, p)
	if err != nil {
		return nil, false, err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("opendata: archive: read %s: %w", p, err)
	}
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, false, fmt.Errorf("opendata: archive: decode %s: %w", p, err)
	}
	if rec.Version != recordVersion || rec.Site != domain || rec.Start != p.Start.String() {
		return nil, false, fmt.Errorf("opendata: archive: %s of %s is not a version %d record of this period", filepath.Base(path), domain, recordVersion)
	}
	return &rec, true, nil
}

// save writes a frozen period. It never replaces one: the caller holds
// the site's lock and checked that none exists.
func (a *Archive) save(domain string, p disclosure.Period, rec *record) error {
	path, err := a.path(domain, p)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("opendata: archive: %w", err)
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("opendata: archive: encode %s: %w", p, err)
	}
	if err := writeAtomic(path, b); err != nil {
		return fmt.Errorf("opendata: archive: write %s: %w", p, err)
	}
	return nil
}

// DeleteBefore removes the site's frozen periods that begin before the
// given day — every period holding a count of a deleted row, those that
// also cover later days included — and returns how many it removed. It
// records the day (purgedBefore), so that such periods are never frozen
// again from the rows that remain: a new publication of a period that
// differs from the old one by the deleted rows would publish exactly
// them.
func (a *Archive) DeleteBefore(domain string, before disclosure.Day) (int, error) {
	if err := site.ValidateDomain(domain); err != nil {
		return 0, fmt.Errorf("opendata: archive: %w", err)
	}
	if err := a.markPurged(domain, before); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(filepath.Join(a.dir, domain))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("opendata: archive: %w", err)
	}
	n := 0
	for _, e := range entries {
		p, ok := periodOfFile(e.Name())
		if !ok || p.Start >= before {
			continue
		}
		if err := os.Remove(filepath.Join(a.dir, domain, e.Name())); err != nil {
			return n, fmt.Errorf("opendata: archive: %w", err)
		}
		n++
	}
	return n, nil
}

// periodOfFile parses week-2026-03-02.json or block-….json.
func periodOfFile(name string) (disclosure.Period, bool) {
	kind, rest, ok := strings.Cut(strings.TrimSuffix(name, ".json"), "-")
	if !ok || !strings.HasSuffix(name, ".json") {
		return disclosure.Period{}, false
	}
	d, err := disclosure.ParseDay(rest)
	if err != nil {
		return disclosure.Period{}, false
	}
	switch kind {
	case "week":
		return disclosure.Period{Kind: disclosure.Week, Start: d}, true
	case "block":
		return disclosure.Period{Kind: disclosure.Block, Start: d}, true
	}
	return disclosure.Period{}, false
}

func writeAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
