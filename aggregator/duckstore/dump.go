package duckstore

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// DumpText writes every value of every column of every table, cast to
// text, one row per line: "table<TAB>column=value<TAB>…". The privacy
// canary test scans this output, because DuckDB compresses strings and a
// byte search of the database file can miss a leaked value.
func (s *Store) DumpText(ctx context.Context, w io.Writer) error {
	s.swap.RLock()
	defer s.swap.RUnlock()
	tables, err := s.strings(ctx, fixed("DumpText_tables"))
	if err != nil {
		return fmt.Errorf("duckdb: dump text: %w", err)
	}
	bw := bufio.NewWriter(w)
	for _, t := range tables {
		if err := s.dumpTable(ctx, bw, t); err != nil {
			return fmt.Errorf("duckdb: dump text: %s: %w", t, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("duckdb: dump text: %w", err)
	}
	return nil
}

func (s *Store) dumpTable(ctx context.Context, w *bufio.Writer, table string) error {
	cols, err := s.strings(ctx, fixed("DumpText_columns"), table)
	if err != nil {
		return err
	}
	// The table name comes from the database's own catalog, quoted as an
	// identifier; it is not user input.
	rows, err := s.db.QueryContext(ctx, "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM "+quoteIdent(table))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]sql.NullString, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		w.WriteString(table)
		for i, v := range vals {
			fmt.Fprintf(w, "\t%s=%s", cols[i], v.String)
		}
		w.WriteByte('\n')
	}
	return rows.Err()
}

// strings runs a one-column query.
func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlgen.ScanStrings(rows)
}

func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
