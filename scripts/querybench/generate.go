package main

import (
	"context"
	"errors"
	"fmt"
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
	st, err := duckstore.Open(ctx, duckstore.Config{Path: filepath.Join(data, "shukei.duckdb")}, nil)
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
	return os.WriteFile(done, nil, 0o600)
}
