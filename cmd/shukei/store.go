package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/chstore"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
)

// storeFlags are the flags of every command that reads or writes data.
type storeFlags struct {
	data              string
	archive           string
	store             string
	clickhouseCluster string
	clickhousePwFile  string
	rollups           bool
}

func (s *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.data, "data", "./data", "`directory` for the database and server state")
	fs.StringVar(&s.archive, "archive-dir", "", "`directory` of the frozen publication periods and their noise key (default: published under -data); the dashboard and jobs nodes of a multi-node deployment share it")
	fs.StringVar(&s.store, "store", "duckdb", "where rows are kept: duckdb (embedded, in -data) or clickhouse://[user[:password]@]host:9000/database (docs/clickhouse.md)")
	fs.StringVar(&s.clickhouseCluster, "clickhouse-cluster", "", "ClickHouse cluster `name` (from remote_servers) whose shards hold the rows; empty: a single server")
	fs.StringVar(&s.clickhousePwFile, "clickhouse-password-file", "", "read the ClickHouse password from this `file`")
	fs.BoolVar(&s.rollups, "rollups", true, "answer single-dimension, goal and property reports from the rollup rows where they are exact (false: from the rows, for comparison)")
}

// archiveDir is where frozen publication periods are kept: private, like
// the database (they hold the exact counts and the noise key).
func (s *storeFlags) archiveDir() string {
	if s.archive != "" {
		return s.archive
	}
	return filepath.Join(s.data, archiveDir)
}

// archiveDir is the archive's directory under -data by default.
const archiveDir = "published"

// duckDBFile is the embedded database's file name under -data.
const duckDBFile = "shukei.duckdb"

// open opens the configured store, creating -data if needed.
func (s *storeFlags) open(ctx context.Context, log *slog.Logger) (backend, error) {
	if err := privateDataDir(s.data); err != nil {
		return nil, err
	}
	switch {
	case s.store == "duckdb" || s.store == "":
		if s.clickhouseCluster != "" {
			return nil, fmt.Errorf("-clickhouse-cluster needs -store clickhouse://…")
		}
		st, err := duckstore.Open(ctx, duckstore.Config{
			Path:            filepath.Join(s.data, duckDBFile),
			Threads:         runtime.GOMAXPROCS(0),
			NoRollupQueries: !s.rollups,
		}, log)
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		return st, nil
	case strings.HasPrefix(s.store, "clickhouse://"):
		cfg, err := s.clickhouseConfig()
		if err != nil {
			return nil, err
		}
		cfg.NoRollupQueries = !s.rollups
		st, err := chstore.Open(ctx, cfg, log)
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		log.Info("storing rows in ClickHouse", "addr", cfg.Addr, "database", cfg.Database, "cluster", cfg.Cluster)
		return st, nil
	}
	return nil, fmt.Errorf("-store: unknown store %q (use duckdb or clickhouse://host:9000/database)", redactStore(s.store))
}

// clickhouseConfig reads -store's URL and the -clickhouse-* flags.
func (s *storeFlags) clickhouseConfig() (chstore.Config, error) {
	cfg, err := chstore.ParseURL(s.store)
	if err != nil {
		return cfg, fmt.Errorf("-store: %w", err)
	}
	cfg.Cluster = s.clickhouseCluster
	if s.clickhousePwFile != "" {
		b, err := os.ReadFile(s.clickhousePwFile)
		if err != nil {
			return cfg, fmt.Errorf("-clickhouse-password-file: %w", err)
		}
		cfg.Password = strings.TrimRight(string(b), "\r\n")
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("-clickhouse-cluster: %w", err)
	}
	return cfg, nil
}

// redactStore keeps a password in a mistyped store URL out of messages.
func redactStore(v string) string {
	if i := strings.LastIndex(v, "@"); i >= 0 {
		scheme, _, _ := strings.Cut(v, "://")
		return scheme + "://…" + v[i:]
	}
	return v
}
