package chstore

import (
	"context"
	"crypto/tls"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// Store is the ClickHouse store. It is safe for concurrent use.
type Store struct {
	cfg Config
	log *slog.Logger
	// conn runs queries: on a cluster it is the server at cfg.Addr, whose
	// Distributed table "events" reads every shard.
	conn driver.Conn
	// shards are the servers holding rows: the one server, or each shard
	// of the cluster. Appends, retention and dumps address them directly.
	shards []*shard
	// writeTo lists shard indices, each as often as its weight; appends
	// take them in turn.
	writeTo []int
	next    atomic.Uint64
	// table is the MergeTree table on each shard: "events" on a single
	// server, "events_local" on a cluster's shards.
	table string
	// rollups is the rollup rows' MergeTree table on each shard:
	// "rollups", or "rollups_local" on a cluster's shards.
	rollups string
	// dialect compiles queries, hiding the rows of unfinished merges.
	dialect sqlgen.Dialect
	// wal is the state of appends from the collector's log (wal.go).
	wal walState
	// ages caches the sites' ageing promises (ageing.go).
	ages ageCache
}

// shard is one server holding rows.
type shard struct {
	num    int
	weight int
	addr   string
	conn   driver.Conn
	// major is the server's major version: 18.x needs a setting to
	// create LowCardinality columns that later releases refuse.
	major uint64
}

// Table names. Queries compiled by sqlgen read sqlgen.EventsTable
// ("events") and sqlgen.RollupsTable ("rollups"): the MergeTree tables
// themselves on a single server, the Distributed tables over the shards'
// local tables on a cluster.
const (
	eventsTable  = "events"
	localTable   = "events_local"
	rollupsTable = "rollups"
	rollupsLocal = "rollups_local"
)

//go:embed queries/*.sql
var queries embed.FS

// fixed returns an embedded statement, named after the method running it.
func fixed(name string) string {
	b, err := queries.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("chstore: missing embedded query " + name)
	}
	return string(b)
}

// Open connects to the server (or the cluster's shards), creates the
// database when missing and migrates the schema. An unreachable server is
// an error naming its address.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Store, error) {
	return open(ctx, cfg, log, migrations)
}

func open(ctx context.Context, cfg Config, log *slog.Logger, ms []migration) (*Store, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{cfg: cfg, log: log, table: eventsTable, rollups: rollupsTable, dialect: sqlgen.ClickHouseAged(cfg.Database)}
	conn, err := s.connect(ctx, cfg.Addr)
	if err != nil {
		return nil, err
	}
	s.conn = conn
	if err := s.setShards(ctx); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	if err := s.migrate(ctx, ms); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	if err := s.prepareRollups(ctx); err != nil {
		return nil, errors.Join(err, s.Close())
	}
	return s, nil
}

// setShards lists the servers that hold rows: the one server, or the
// shards of the configured cluster.
func (s *Store) setShards(ctx context.Context) error {
	if s.cfg.Cluster == "" {
		sh, err := s.newShard(ctx, 1, 1, s.cfg.Addr, s.conn)
		if err != nil {
			return err
		}
		s.shards, s.writeTo = []*shard{sh}, []int{0}
		return nil
	}
	s.table, s.rollups = localTable, rollupsLocal
	infos, err := s.topology(ctx)
	if err != nil {
		return err
	}
	for _, in := range infos {
		conn, err := s.connect(ctx, in.addr)
		if err != nil {
			return err
		}
		sh, err := s.newShard(ctx, in.num, in.weight, in.addr, conn)
		if err != nil {
			return errors.Join(err, conn.Close())
		}
		s.shards = append(s.shards, sh)
		for range in.weight {
			s.writeTo = append(s.writeTo, len(s.shards)-1)
		}
	}
	if len(s.writeTo) == 0 {
		return fmt.Errorf("clickhouse: cluster %q: every shard has weight 0, so no shard takes inserts", s.cfg.Cluster)
	}
	return nil
}

func (s *Store) newShard(ctx context.Context, num, weight int, addr string, conn driver.Conn) (*shard, error) {
	v, err := conn.ServerVersion()
	if err != nil {
		return nil, fmt.Errorf("clickhouse: server version of %s: %w", addr, err)
	}
	s.log.Debug("clickhouse: connected", "addr", addr, "shard", num, "version", fmt.Sprintf("%d.%d.%d", v.Version.Major, v.Version.Minor, v.Version.Patch))
	return &shard{num: num, weight: weight, addr: addr, conn: conn, major: v.Version.Major}, nil
}

// connect opens a pool of connections to addr with the store's database
// as the default, creating the database first when the server does not
// know it.
func (s *Store) connect(ctx context.Context, addr string) (driver.Conn, error) {
	conn, err := s.dial(ctx, addr, s.cfg.Database)
	if isException(err, codeUnknownDatabase) {
		err = s.createDatabase(ctx, addr)
		if err == nil {
			conn, err = s.dial(ctx, addr, s.cfg.Database)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("clickhouse: connect to %s: %w", addr, err)
	}
	return conn, nil
}

// dial opens a pool and checks that the server answers.
func (s *Store) dial(ctx context.Context, addr, database string) (driver.Conn, error) {
	opts := &clickhouse.Options{
		Protocol: clickhouse.Native,
		Addr:     []string{addr},
		Auth:     clickhouse.Auth{Database: database, Username: s.cfg.Username, Password: s.cfg.Password},
		// Every call also carries a context deadline; these bound the
		// socket operations underneath.
		DialTimeout:  s.cfg.DialTimeout,
		ReadTimeout:  s.cfg.QueryTimeout,
		MaxOpenConns: s.cfg.MaxOpenConns,
		MaxIdleConns: min(s.cfg.MaxOpenConns, 4),
		// LZ4 costs little CPU and cuts the bytes sent to a remote
		// server.
		Compression: &clickhouse.Compression{Method: clickhouse.CompressionLZ4},
		// No Logger: the driver's debug log would write query text, and
		// Debug stays off for the same reason.
	}
	if s.cfg.Secure {
		opts.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, s.cfg.DialTimeout)
	defer cancel()
	if err := conn.Ping(pctx); err != nil {
		return nil, errors.Join(err, conn.Close())
	}
	return conn, nil
}

// createDatabase creates the store's database over a connection without
// a default database.
func (s *Store) createDatabase(ctx context.Context, addr string) error {
	conn, err := s.dial(ctx, addr, "")
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	// The name passed Validate (letters, digits and _ only).
	if err := conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+s.cfg.Database); err != nil {
		return fmt.Errorf("create database %s: %w", s.cfg.Database, err)
	}
	s.log.Info("clickhouse: created database", "addr", addr, "database", s.cfg.Database)
	return nil
}

// ClickHouse error codes the store reacts to.
const (
	codeUnknownDatabase = 81
	codeUnknownTable    = 60
)

// isException reports whether err is a server exception with the code.
func isException(err error, code int32) bool {
	var ex *clickhouse.Exception
	return errors.As(err, &ex) && ex.Code == code
}

// timeout bounds one statement.
func (s *Store) timeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.cfg.QueryTimeout)
}

// Close closes every connection.
func (s *Store) Close() error {
	var errs []error
	closed := map[driver.Conn]bool{}
	for _, c := range append([]driver.Conn{s.conn}, s.shardConns()...) {
		if c == nil || closed[c] {
			continue
		}
		closed[c] = true
		errs = append(errs, c.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("clickhouse: close: %w", err)
	}
	return nil
}

func (s *Store) shardConns() []driver.Conn {
	out := make([]driver.Conn, len(s.shards))
	for i, sh := range s.shards {
		out[i] = sh.conn
	}
	return out
}
