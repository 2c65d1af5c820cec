package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"

	"github.com/shukei-analytics/shukei/aggregator"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
)

// storeFlags are the flags of every command that reads or writes data.
type storeFlags struct {
	data  string
	store string
}

func (s *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.data, "data", "./data", "`directory` for the database and server state")
	fs.StringVar(&s.store, "store", "duckdb", "where rows are kept: duckdb (embedded, in -data)")
}

// duckDBFile is the embedded database's file name under -data.
const duckDBFile = "shukei.duckdb"

// open opens the configured store, creating -data if needed.
func (s *storeFlags) open(ctx context.Context, log *slog.Logger) (aggregator.Store, error) {
	if err := os.MkdirAll(s.data, 0o700); err != nil {
		return nil, fmt.Errorf("-data: %w", err)
	}
	switch s.store {
	case "duckdb", "":
		st, err := duckstore.Open(ctx, duckstore.Config{
			Path:    filepath.Join(s.data, duckDBFile),
			Threads: runtime.GOMAXPROCS(0),
		}, log)
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		return st, nil
	}
	return nil, fmt.Errorf("-store: unknown store %q (use duckdb)", s.store)
}
