package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// privateDataDir makes -data private whatever it already holds: the
// process creates files 0600 and directories 0700 from now on (restrictUmask:
// DuckDB, the admin database, the logs and the archive included), and
// every file and directory already under dir is brought to those modes
// (a database created 0644 by an earlier release, a copied directory).
// Published files written elsewhere by `shukei publish -out` set their own
// modes for the web server to read.
func privateDataDir(dir string) error {
	restrictUmask()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("-data: %w", err)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		switch {
		case info.IsDir():
			want = 0o700
		case !info.Mode().IsRegular():
			return nil // a symbolic link or a socket: its target's mode is not ours
		}
		if info.Mode().Perm() == want {
			return nil
		}
		if err := os.Chmod(p, want); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("-data: make private: %w", err)
	}
	return nil
}
