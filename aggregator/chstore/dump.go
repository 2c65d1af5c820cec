package chstore

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// DumpText writes every value of every column of every table of the
// store's database on every shard, converted to text by the server, one
// row per line: "table<TAB>column=value<TAB>…" (on a cluster the table is
// "events_local@host:port"). The privacy canary test scans this output:
// ClickHouse compresses its column files, so a byte search of the data
// directory alone can miss a leaked value. Distributed tables hold no
// rows of their own and are skipped.
func (s *Store) DumpText(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, sh := range s.shards {
		engines, err := s.tableEngines(ctx, sh)
		if err != nil {
			return fmt.Errorf("clickhouse: dump text: %w", err)
		}
		for _, t := range sortedKeys(engines) {
			if engines[t] == "Distributed" {
				continue
			}
			label := t
			if s.cfg.Cluster != "" {
				label = t + "@" + sh.addr
			}
			if err := s.dumpTable(ctx, bw, sh, t, label); err != nil {
				return fmt.Errorf("clickhouse: dump text: %s: %w", label, err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("clickhouse: dump text: %w", err)
	}
	return nil
}

func (s *Store) dumpTable(ctx context.Context, w *bufio.Writer, sh *shard, table, label string) error {
	cols, err := s.columnNames(ctx, sh, table)
	if err != nil || len(cols) == 0 {
		return err
	}
	exprs := make([]string, len(cols))
	for i, c := range cols {
		exprs[i] = "toString(" + quoteIdent(c) + ")"
	}
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	// Table and column names come from the server's own catalog, quoted
	// as identifiers; they are not user input.
	rows, err := sh.conn.Query(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+quoteIdent(table))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]string, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		w.WriteString(label)
		for i, v := range vals {
			fmt.Fprintf(w, "\t%s=%s", cols[i], v)
		}
		w.WriteByte('\n')
	}
	return rows.Err()
}

func (s *Store) columnNames(ctx context.Context, sh *shard, table string) ([]string, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := sh.conn.Query(ctx, fixed("DumpText_columns"), s.cfg.Database, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlgen.ScanStrings(rows)
}

// quoteIdent quotes a name from the server's catalog as an identifier.
func quoteIdent(name string) string {
	return "`" + strings.NewReplacer(`\`, `\\`, "`", "\\`").Replace(name) + "`"
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
