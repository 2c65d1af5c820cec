package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

// batchRows fills whole DuckDB row groups (122,880 rows) per append, as a
// running collector's data ends up after checkpoints.
const batchRows = 4 * 122_880

// ensureRows generates the rows into data/shukei.duckdb unless a complete
// file is already there (marked by a "complete" file).
func ensureRows(ctx context.Context, data string, n int) error {
	done := filepath.Join(data, "complete")
	if _, err := os.Stat(done); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.RemoveAll(data); err != nil {
		return err
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return err
	}
	// A bulk load: the rollup rows are derived from all rows at once
	// when the store is opened again below.
	path := filepath.Join(data, "shukei.duckdb")
	st, err := duckstore.Open(ctx, duckstore.Config{Path: path, BulkLoad: true}, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	batch := make([]event.Row, 0, batchRows)
	written := 0
	for r := range storetest.GenerateRows(1, n, storetest.GenOptions{Start: historyStart(), Days: 425}) {
		batch = append(batch, r)
		if len(batch) == batchRows {
			if err := st.Append(ctx, batch); err != nil {
				return errors.Join(err, st.Close())
			}
			written += len(batch)
			batch = batch[:0]
			fmt.Fprintf(os.Stderr, "\rgenerated %d rows", written)
		}
	}
	if err := st.Append(ctx, batch); err != nil {
		return errors.Join(err, st.Close())
	}
	fmt.Fprintf(os.Stderr, "\rgenerated %d rows in %v\n", n, time.Since(start).Round(time.Second))
	if err := st.Close(); err != nil {
		return err
	}
	start = time.Now()
	if st, err = duckstore.Open(ctx, duckstore.Config{Path: path}, nil); err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "built the rollup rows in %v\n", time.Since(start).Round(time.Second))
	return os.WriteFile(done, nil, 0o600)
}

// copyDir copies the files of src (one level of subdirectories) to dst,
// replacing it.
func copyDir(src, dst string) error {
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
