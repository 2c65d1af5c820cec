package chstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// checkLayout refuses a database laid out for the other mode: a single
// server's events table is MergeTree, a cluster's is Distributed over
// events_local. Mixing them would write rows where queries do not read.
func (s *Store) checkLayout(ctx context.Context, sh *shard) error {
	engines, err := s.tableEngines(ctx, sh)
	if err != nil {
		return err
	}
	engine, ok := engines[eventsTable]
	switch {
	case !ok:
		return nil
	case s.cfg.Cluster == "" && engine == "Distributed":
		return fmt.Errorf("clickhouse: database %s on %s is laid out for a cluster (its events table is Distributed): pass the cluster's name (-clickhouse-cluster)",
			s.cfg.Database, sh.addr)
	case s.cfg.Cluster != "" && engine != "Distributed":
		return fmt.Errorf("clickhouse: database %s on %s holds a single-server events table (%s); cluster mode keeps rows in events_local: use another database, or move the rows (docs/clickhouse.md)",
			s.cfg.Database, sh.addr, engine)
	}
	return nil
}

// tableEngines maps the database's tables on a shard to their engines.
func (s *Store) tableEngines(ctx context.Context, sh *shard) (map[string]string, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := sh.conn.Query(ctx, fixed("tables"), s.cfg.Database)
	if err != nil {
		return nil, fmt.Errorf("clickhouse: list tables on %s: %w", sh.addr, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, engine string
		if err := rows.Scan(&name, &engine); err != nil {
			return nil, fmt.Errorf("clickhouse: list tables on %s: %w", sh.addr, err)
		}
		out[name] = engine
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("clickhouse: list tables on %s: %w", sh.addr, err)
	}
	return out, nil
}

// ensureDistributed creates the Distributed events table on a shard,
// first dropping it when its columns differ from events_local's: a
// migration changed the shard's table, or an earlier start stopped between
// the two.
func (s *Store) ensureDistributed(ctx context.Context, sh *shard) error {
	return s.distributed(ctx, sh, eventsTable, localTable)
}

// ensureDistributedRollups is ensureDistributed for the rollup rows.
func (s *Store) ensureDistributedRollups(ctx context.Context, sh *shard) error {
	return s.distributed(ctx, sh, rollupsTable, rollupsLocal)
}

func (s *Store) distributed(ctx context.Context, sh *shard, dist, local string) error {
	ctx, cancel := s.timeout(ddlContext(ctx, sh))
	defer cancel()
	localCols, err := s.columnTypes(ctx, sh, local)
	if err != nil {
		return err
	}
	distCols, err := s.columnTypes(ctx, sh, dist)
	if err != nil {
		return err
	}
	if len(distCols) > 0 && !slices.Equal(distCols, localCols) {
		// dist is one of this package's table names.
		if err := sh.conn.Exec(ctx, "DROP TABLE IF EXISTS "+dist); err != nil {
			return fmt.Errorf("clickhouse: drop the Distributed table %s on %s: %w", dist, sh.addr, err)
		}
	}
	// The cluster and database passed Validate: letters, digits and _
	// only; the table names are this package's.
	ddl := strings.NewReplacer("{cluster}", s.cfg.Cluster, "{database}", s.cfg.Database, "{dist}", dist, "{local}", local).Replace(fixed("ensureDistributed"))
	if err := sh.conn.Exec(ctx, ddl); err != nil {
		return fmt.Errorf("clickhouse: create the Distributed table %s on %s: %w", dist, sh.addr, err)
	}
	return nil
}

// columnTypes lists a table's columns as "name type", in table order;
// none for a missing table.
func (s *Store) columnTypes(ctx context.Context, sh *shard, table string) ([]string, error) {
	rows, err := sh.conn.Query(ctx, fixed("columnTypes"), s.cfg.Database, table)
	if err != nil {
		return nil, fmt.Errorf("clickhouse: columns of %s on %s: %w", table, sh.addr, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, typ string
		if err := rows.Scan(&name, &typ); err != nil {
			return nil, fmt.Errorf("clickhouse: columns of %s on %s: %w", table, sh.addr, err)
		}
		out = append(out, name+" "+typ)
	}
	return out, rows.Err()
}
