package storetest

import "testing"

// Rows is what CountByPath needs of a result set; database/sql's rows and
// the ClickHouse driver's rows both have it.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// CountByPath reads rows of (path, Σ pageviews). The loss tests compare
// them with the hits each path was acknowledged for: one unique path per
// hit makes a lost or doubled hit visible. The caller closes rows.
func CountByPath(t testing.TB, rows Rows) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for rows.Next() {
		var p string
		var n int64
		if err := rows.Scan(&p, &n); err != nil {
			t.Fatal(err)
		}
		out[p] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
