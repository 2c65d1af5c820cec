// Package diskscan searches the raw bytes of every file under directories
// for a value, for the tests that check deleted data is gone from disk
// (DESIGN §1.8). Files that vanish during the walk (a log's spare, a
// database server's merged part) are skipped.
package diskscan

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Result is what a scan found.
type Result struct {
	Files []string // the files holding the needle
	Bytes int64    // the bytes of all files read
	Hits  int      // the needle's occurrences
}

// Scan reads every regular file under the dirs.
func Scan(needle []byte, dirs ...string) (Result, error) {
	var r Result
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil || d.IsDir() || !d.Type().IsRegular() {
				return err
			}
			b, err := os.ReadFile(p)
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			r.Bytes += int64(len(b))
			if n := bytes.Count(b, needle); n > 0 {
				r.Files = append(r.Files, p)
				r.Hits += n
			}
			return nil
		})
		if err != nil {
			return r, err
		}
	}
	return r, nil
}
