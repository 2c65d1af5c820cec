package chstore

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config configures the store. The zero values of the durations and
// limits take the defaults below.
type Config struct {
	// Addr is host:port of a server's native protocol (not HTTP). In
	// cluster mode it is any server of the cluster: the store reads the
	// shards from its system.clusters.
	Addr string
	// Database holds the store's tables; it is created when missing.
	Database string
	// Cluster, when set, names the cluster (from the servers'
	// remote_servers configuration) whose shards hold the rows: per-shard
	// tables and a Distributed table over them.
	Cluster string
	// Username and Password authenticate; an empty Username is "default".
	Username string
	Password string
	// Secure speaks TLS to the servers (port 9440 by default).
	Secure bool
	// DialTimeout bounds connecting to a server (default 5 s).
	DialTimeout time.Duration
	// QueryTimeout bounds every statement but retention's mutations, the
	// inserts included (default 60 s): ClickHouse calls are never left
	// without a deadline.
	QueryTimeout time.Duration
	// MutationTimeout bounds waiting for a retention delete to finish
	// (default 30 min).
	MutationTimeout time.Duration
	// MaxOpenConns bounds the connections to each server (default 8).
	MaxOpenConns int
	// OldPartsLifetime is how long ClickHouse keeps the files of parts
	// that a merge, a retention delete or a purge replaced (the table's
	// old_parts_lifetime; default 60 s, ClickHouse's own default is 8
	// min). Deleted rows' bytes are on disk until then; Compact waits for
	// them to go (docs/clickhouse.md).
	OldPartsLifetime time.Duration
	// NoRollupQueries answers every query from the event rows, never from
	// the rollup rows (which are still written): for comparisons.
	NoRollupQueries bool
	// BulkLoad appends event rows without their rollup rows, for loading
	// millions of rows at once: the next Open without it derives the
	// rollup rows of every stored row on the servers. Queries read the
	// event rows only.
	BulkLoad bool
	// AgeingStateTTL is how long a query may use a site's ageing promise
	// read from the servers before reading it again (default 5 s);
	// AgeingGrace is how long a pass waits after recording a new promise
	// before it merges, so that every server's queries have seen it
	// (default AgeingStateTTL + QueryTimeout, a query's longest run).
	AgeingStateTTL, AgeingGrace time.Duration
}

const (
	defaultDatabase        = "shukei"
	defaultPort            = "9000"
	defaultSecurePort      = "9440"
	defaultDialTimeout     = 5 * time.Second
	defaultQueryTimeout    = 60 * time.Second
	defaultMutationTimeout = 30 * time.Minute
	defaultMaxOpenConns    = 8
	defaultPartsLifetime   = 60 * time.Second
	defaultAgeingStateTTL  = 5 * time.Second
)

// nameRE is what a database or cluster name may be. Names are written into
// DDL (as identifiers and as Distributed's arguments), so they are limited
// to characters that need no quoting on any ClickHouse version.
var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// Validate checks the configuration.
func (c Config) Validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || strings.ContainsAny(host, " /?#@") {
		return fmt.Errorf("clickhouse: address %q: want host:port", c.Addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("clickhouse: address %q: bad port", c.Addr)
	}
	if !nameRE.MatchString(c.Database) {
		return fmt.Errorf("clickhouse: database %q: want letters, digits and _", c.Database)
	}
	if c.Cluster != "" && !nameRE.MatchString(c.Cluster) {
		return fmt.Errorf("clickhouse: cluster %q: want letters, digits and _", c.Cluster)
	}
	if c.DialTimeout < 0 || c.QueryTimeout < 0 || c.MutationTimeout < 0 || c.MaxOpenConns < 0 || c.AgeingStateTTL < 0 || c.AgeingGrace < 0 {
		return errors.New("clickhouse: timeouts and limits must not be negative")
	}
	if c.OldPartsLifetime != 0 && (c.OldPartsLifetime < time.Second || c.OldPartsLifetime > time.Hour) {
		return fmt.Errorf("clickhouse: old parts lifetime %v outside 1s..1h", c.OldPartsLifetime)
	}
	return nil
}

// withDefaults fills the zero durations and limits.
func (c Config) withDefaults() Config {
	if c.Database == "" {
		c.Database = defaultDatabase
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = defaultDialTimeout
	}
	if c.QueryTimeout == 0 {
		c.QueryTimeout = defaultQueryTimeout
	}
	if c.MutationTimeout == 0 {
		c.MutationTimeout = defaultMutationTimeout
	}
	if c.MaxOpenConns == 0 {
		c.MaxOpenConns = defaultMaxOpenConns
	}
	if c.OldPartsLifetime == 0 {
		c.OldPartsLifetime = defaultPartsLifetime
	}
	if c.AgeingStateTTL == 0 {
		c.AgeingStateTTL = defaultAgeingStateTTL
	}
	if c.AgeingGrace == 0 {
		c.AgeingGrace = c.AgeingStateTTL + c.QueryTimeout
	}
	return c
}

// maxURLLen bounds the -store value; a longer one is a mistake.
const maxURLLen = 2048

// ParseURL reads a store URL:
//
//	clickhouse://[user[:password]@]host[:port][/database][?secure=true&dial_timeout=5s&query_timeout=60s&old_parts_lifetime=60s]
//
// The port defaults to 9000 (9440 with secure=true), the database to
// "shukei". Unknown parameters are refused rather than ignored, so a typo
// does not silently change how the store runs.
func ParseURL(s string) (Config, error) {
	if len(s) > maxURLLen {
		return Config{}, fmt.Errorf("clickhouse: store URL longer than %d bytes", maxURLLen)
	}
	u, err := url.Parse(s)
	if err != nil {
		// url's error quotes the input, which may hold a password.
		return Config{}, errors.New("clickhouse: store URL: malformed")
	}
	if u.Scheme != "clickhouse" || u.Opaque != "" || u.Host == "" || u.Fragment != "" {
		return Config{}, errors.New("clickhouse: store URL: want clickhouse://host:port/database")
	}
	c := Config{Database: strings.TrimPrefix(u.Path, "/")}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if err := c.setParams(u.Query()); err != nil {
		return Config{}, err
	}
	port := u.Port()
	if port == "" {
		port = defaultPort
		if c.Secure {
			port = defaultSecurePort
		}
	}
	c.Addr = net.JoinHostPort(u.Hostname(), port)
	if c.Database == "" {
		c.Database = defaultDatabase
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// setParams applies the URL's query parameters.
func (c *Config) setParams(q url.Values) error {
	for k, vs := range q {
		if len(vs) != 1 {
			return fmt.Errorf("clickhouse: store URL: parameter %q given %d times", k, len(vs))
		}
		v := vs[0]
		var err error
		switch k {
		case "secure":
			c.Secure, err = strconv.ParseBool(v)
			if err != nil {
				err = errors.New("want true or false")
			}
		case "dial_timeout":
			c.DialTimeout, err = parsePositive(v)
		case "query_timeout":
			c.QueryTimeout, err = parsePositive(v)
		case "mutation_timeout":
			c.MutationTimeout, err = parsePositive(v)
		case "old_parts_lifetime":
			c.OldPartsLifetime, err = parsePositive(v)
			if err == nil && (c.OldPartsLifetime < time.Second || c.OldPartsLifetime > time.Hour) {
				err = errors.New("want 1s to 1h")
			}
		case "max_open_conns":
			c.MaxOpenConns, err = strconv.Atoi(v)
			if err != nil || c.MaxOpenConns < 1 || c.MaxOpenConns > 1000 {
				err = errors.New("want 1 to 1000")
			}
		default:
			return fmt.Errorf("clickhouse: store URL: unknown parameter %q (known: secure, dial_timeout, query_timeout, mutation_timeout, max_open_conns, old_parts_lifetime)", short(k))
		}
		if err != nil {
			return fmt.Errorf("clickhouse: store URL: parameter %s=%q: %w", k, short(v), err)
		}
	}
	return nil
}

// parsePositive parses a duration between a millisecond and a day.
func parsePositive(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Millisecond || d > 24*time.Hour {
		return 0, errors.New("want a duration from 1ms to 24h, e.g. 30s")
	}
	return d, nil
}

// short cuts a value quoted in an error message.
func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
