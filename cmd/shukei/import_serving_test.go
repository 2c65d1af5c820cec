package main

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/internal/loggen"
)

// TestImportWhileServing runs the real binary: `shukei serve` holds the
// DuckDB store, and `shukei import` on the same -data hands the logs to
// it. The command names the site without its time zone and without the
// GeoIP database: the server's configuration of both applies. Twice is
// once, a rotated log continues, a dry run reads the stored positions,
// and the imported numbers are the ground truth through the Stats API.
func TestImportWhileServing(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	lg := generateLog(loggen.Combined, tokyo)
	dir, data := t.TempDir(), t.TempDir()
	s := startBinary(t, data, "-site", "gt.example=Asia/Tokyo", "-geoip", writeSimGeo(t), "-retention-months", "120")
	s.waitReady()
	bin := mustBinary(t)
	importBin := func(args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, append([]string{"import", "-site", "gt.example", "-data", data}, args...)...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("shukei import %v while serving: %v\n%s\n%s", args, err, stdout.String(), stderr.String())
		}
		if strings.Contains(strings.ToLower(stderr.String()), "lock") || !strings.Contains(stderr.String(), "through the server") {
			t.Errorf("import %v did not go through the server:\n%s", args, stderr.String())
		}
		return stdout.String()
	}

	live := filepath.Join(dir, "access.log")
	writeLog(t, live, lg.Lines[:len(lg.Lines)*6/10])
	first := importBin(live)
	if again := importBin(live); !strings.Contains(again, "already imported") || summaryCount(t, again, "counted") != 0 {
		t.Errorf("second import of the same file:\n%s", again)
	}
	rotated := filepath.Join(dir, "access.log.1.gz")
	writeLog(t, rotated, lg.Lines[:len(lg.Lines)*8/10])
	writeLog(t, live, lg.Lines[len(lg.Lines)*8/10:])
	dry := importBin("-dry-run", rotated, live)
	rest := importBin(rotated, live)
	if !strings.Contains(rest, "continued from byte") {
		t.Errorf("the rotated file was not continued:\n%s", rest)
	}
	if got, want := summaryCount(t, dry, "would count"), summaryCount(t, rest, "counted"); got != want {
		t.Errorf("the dry run would count %d, the import counted %d\n%s", got, want, dry)
	}
	if got := summaryCount(t, first, "counted") + summaryCount(t, rest, "counted"); got != len(lg.Hits) {
		t.Errorf("page views counted %d, want %d\n%s\n%s", got, len(lg.Hits), first, rest)
	}

	// Standard input and -follow are refused with what to do instead.
	for _, args := range [][]string{{"-"}, {"-follow", live}} {
		out, err := exec.Command(bin, append([]string{"import", "-site", "gt.example", "-data", data}, args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), "server") {
			t.Errorf("import %v while serving: %v %s, want a refusal", args, err, out)
		}
	}

	tr := truth{simFromLog(lg, loggen.Combined, tokyo)}
	for _, c := range groundTruthCases(tr) {
		if c.name != "totals" && c.name != "by day" && c.name != "by page" && c.name != "by country" {
			continue
		}
		var got queryResponse
		if err := json.Unmarshal([]byte(`{"results":`+s.report(c.query)+`}`), &got); err != nil {
			t.Fatal(err)
		}
		compareTables(t, c.query, got.table(), c.want)
	}
	s.stop()
}
