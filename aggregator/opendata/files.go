package opendata

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Files returns a set's reports as <name>.json and <name>.csv, and
// index.json, for static hosting. The realtime report of a static copy
// says it is unavailable: no collector runs behind a file.
func Files(s *Set, now time.Time) map[string][]byte {
	files := map[string][]byte{"index.json": s.Index()}
	for _, r := range append([]*Report{s.Realtime(0, false, now)}, s.Reports...) {
		files[r.Name+".json"] = r.JSON()
		files[r.Name+".csv"] = r.CSV()
	}
	return files
}

// WriteFiles writes a set's files (Files) into dir (created).
func WriteFiles(dir string, s *Set, now time.Time) error {
	return WriteDir(dir, Files(s, now))
}

// WriteDir writes files into dir (created), each atomically. Files for
// static hosting are public: readable by the web server whatever the
// process's umask (which keeps -data private).
func WriteDir(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("opendata: write files: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return fmt.Errorf("opendata: write files: %w", err)
	}
	for name, b := range files {
		if err := writeAtomic(filepath.Join(dir, name), b); err != nil {
			return fmt.Errorf("opendata: write %s: %w", name, err)
		}
		if err := os.Chmod(filepath.Join(dir, name), 0o644); err != nil {
			return fmt.Errorf("opendata: write %s: %w", name, err)
		}
	}
	return nil
}

// FileReport parses a file name of the catalogue ("pages-7-days.csv")
// into a report name and format ("json" or "csv"); ok is false for any
// other name.
func FileReport(file string) (name, format string, ok bool) {
	for _, ext := range []string{".json", ".csv"} {
		if n, found := cutSuffix(file, ext); found {
			for _, r := range ReportNames() {
				if r == n {
					return n, ext[1:], true
				}
			}
		}
	}
	return "", "", false
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return "", false
}
