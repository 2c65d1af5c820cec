package logimport

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/internal/loggen"
)

// BenchmarkImport imports a generated combined log of about 100,000
// lines into a store fake; b.N counts imports of the whole file.
func BenchmarkImport(b *testing.B) {
	lg := loggen.Generate(loggen.Config{Seed: 1, Site: "example.org", Start: time.Date(2026, 1, 5, 0, 0, 0, 0, tokyo),
		Days: 20, Visitors: 900, SharedPrefixes: true, Noise: 2, MalformedEvery: 10_000})
	path := filepath.Join(b.TempDir(), "access.log")
	if err := loggen.WriteFile(path, lg.Lines, loggen.Combined, tokyo); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sink := newMemSink()
		im := newImporter(b, sink, nil)
		if _, err := im.Run(context.Background(), []string{path}); err != nil {
			b.Fatal(err)
		}
		im.Close()
	}
	b.ReportMetric(float64(len(lg.Lines))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
