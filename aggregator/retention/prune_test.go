package retention_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/site"
)

// TestJobPrunesRemovedSites gives the archive a site that is not
// configured: its periods go on the second pass that finds it missing
// (never on the first, in case the sites are still loading), the
// configured sites' stay.
func TestJobPrunesRemovedSites(t *testing.T) {
	dir := t.TempDir()
	archive, err := opendata.OpenArchive(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"gone.example", "long.example"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, d, "week-2026-05-04.json"), []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	job, err := retention.New(retention.Config{}, retention.Deps{Store: memstore.New(), Archive: archive,
		Sites: site.NewRegistry(&site.Site{Domain: "long.example", Location: time.UTC})})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.example")); err != nil {
		t.Fatalf("the archive of a site missing once is gone already: %v", err)
	}
	if err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.example")); !os.IsNotExist(err) {
		t.Errorf("the archive of a removed site is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "long.example", "week-2026-05-04.json")); err != nil {
		t.Errorf("a configured site lost its archive: %v", err)
	}
}
