package duckstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/event"
)

func genRows(n int) []event.Row {
	return slices.Collect(storetest.GenerateRows(9, n, storetest.GenOptions{Days: 3}))
}

func count(t *testing.T, s *Store, q string) int64 {
	t.Helper()
	var n int64
	if err := s.db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAppendFailsMidBatch makes DuckDB itself reject a row (an unknown
// kind fails the CHECK constraint) after more than one appender chunk of
// 2048 rows has reached the table: the transaction leaves nothing behind,
// not even the new site.
func TestAppendFailsMidBatch(t *testing.T) {
	s := openMemory(t)
	defer s.Close()
	rows := genRows(5000)
	for i := range rows {
		rows[i].Site = "new.test"
	}
	rows[4500].Kind = 9
	err := s.appendTx(context.Background(), rows, nil)
	if err == nil || !strings.Contains(err.Error(), "CHECK") {
		t.Fatalf("append = %v, want a CHECK constraint failure", err)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 0 {
		t.Errorf("%d rows stored after a failed batch", n)
	}
	if n := count(t, s, "SELECT count(*) FROM sites"); n != 0 {
		t.Errorf("%d sites stored after a failed batch", n)
	}
	if _, ok := s.sites.cached("new.test"); ok {
		t.Errorf("the failed batch's site is cached")
	}
	rows[4500].Kind = event.KindPageview
	if err := s.Append(context.Background(), rows); err != nil {
		t.Fatalf("append after the failure: %v", err)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 5000 {
		t.Errorf("%d rows, want 5000", n)
	}
}

func TestAppendCanceled(t *testing.T) {
	s := openMemory(t)
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Append(ctx, genRows(10)); !errors.Is(err, context.Canceled) {
		t.Errorf("append = %v, want context.Canceled", err)
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 0 {
		t.Errorf("%d rows stored", n)
	}
}

// TestSchemaMatchesColumns checks the migrated table against the columns
// the appender names (sqlgen.Columns, the site as its id): every column is
// written, whatever order migrations left the table in.
func TestSchemaMatchesColumns(t *testing.T) {
	s := openMemory(t)
	defer s.Close()
	got, err := s.strings(context.Background(), fixed("DumpText_columns"), "events")
	if err != nil {
		t.Fatal(err)
	}
	// grain is filled by its default on append (ageing sets it).
	want := append(slices.Clone(appendColumns), "grain")
	if want[0] != sqlgen.DuckDB.SiteColumn() {
		t.Errorf("appender's first column %s", want[0])
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("events columns\n got %v\nwant %v", got, want)
	}
}

func TestReopenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shukei.duckdb")
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: path, Threads: 1, MemoryLimit: "256MB"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := genRows(300)
	if err := s.Append(ctx, rows); err != nil {
		t.Fatal(err)
	}
	want, _ := s.Earliest(ctx, rows[0].Site)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _ := s.Earliest(ctx, rows[0].Site); !got.Equal(want) || want.IsZero() {
		t.Errorf("earliest after reopening = %v, want %v", got, want)
	}
	ms, _ := loadMigrations()
	if n := count(t, s, "SELECT count(*) FROM schema_migrations"); n != int64(len(ms)) {
		t.Errorf("%d migrations recorded, want %d", n, len(ms))
	}
	if n := count(t, s, "SELECT count(*) FROM events"); n != 300 {
		t.Errorf("%d rows after reopening, want 300", n)
	}
}

func TestRefuseNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shukei.duckdb")
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fixed("migrate_record"), 42, time.Now()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, Config{Path: path}, nil)
	ms, _ := loadMigrations()
	if err == nil || !strings.Contains(err.Error(), "version 42") || !strings.Contains(err.Error(), fmt.Sprintf("version %d ", len(ms))) {
		t.Fatalf("open = %v, want a refusal naming versions 42 and %d", err, len(ms))
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{{Path: "a?b"}, {Path: "a#b"}, {Threads: -1}} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: valid", c)
		}
	}
	if _, err := Open(context.Background(), Config{MemoryLimit: "lots"}, nil); err == nil {
		t.Errorf("a bad memory limit opened")
	}
}

// TestNoExternalAccess checks that SQL cannot reach files beyond the
// database, whatever a future bug let through.
func TestNoExternalAccess(t *testing.T) {
	s := openMemory(t)
	defer s.Close()
	if _, err := s.db.Exec("SELECT * FROM read_csv('/etc/hostname')"); err == nil {
		t.Errorf("read_csv succeeded")
	}
}

func TestDumpTextCoversEveryTable(t *testing.T) {
	s := openMemory(t)
	defer s.Close()
	r := genRows(1)[0]
	r.Site, r.City = "dump.test", "Zürich-canary"
	if err := s.Append(context.Background(), []event.Row{r}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := s.DumpText(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"events\tsite_id=1\tts=", "\tcity=Zürich-canary\t", "sites\tid=1\tname=dump.test", "schema_migrations\tversion=1"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("dump lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestQueryUnknownSite checks that a site without rows is not added to
// the sites table by reading it.
func TestQueryUnknownSite(t *testing.T) {
	s := openMemory(t)
	defer s.Close()
	p, err := query.Build(&query.Query{SiteID: "none.test", Metrics: []query.Metric{query.Visitors},
		DateRange: query.DateRange{Preset: query.Range7d}}, time.Now(), time.UTC, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Query(context.Background(), p)
	if err != nil || len(res.Groups) != 1 || res.Groups[0].Sums[0] != 0 {
		t.Fatalf("query = %+v, %v", res, err)
	}
	if n := count(t, s, "SELECT count(*) FROM sites"); n != 0 {
		t.Errorf("%d sites after a query", n)
	}
}
