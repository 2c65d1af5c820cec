package main

import (
	"bytes"
	"context"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/internal/loggen"
)

// TestImportGroundTruth writes a generated log with a known ground truth
// in each supported format, rotated into four files (two compressed, each
// written in another time zone), imports them in a shuffled order, and
// checks the statistics the live ground-truth test checks against values
// computed from the generator's own records. TestImportGroundTruthClickHouse
// runs it on ClickHouse.
func TestImportGroundTruth(t *testing.T) {
	for _, f := range loggen.Formats {
		t.Run(string(f), func(t *testing.T) { importGroundTruth(t, f) })
	}
}

func importGroundTruth(t *testing.T, f loggen.Format, storeArgs ...string) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	lg := generateLog(f, tokyo)
	t.Log(lg)
	files := writeRotated(t, lg, f, tokyo)
	geo := writeSimGeo(t)
	data := t.TempDir()
	site := []string{"-site", "gt.example=Asia/Tokyo", "-geoip", geo, "-data", data, "-retention-months", "120"}
	args := append(append(append([]string{"-format", formatArg(f)}, site...), storeArgs...), files...)
	checkSummary(t, importCmd(t, args...), lg)
	// Twice is once.
	if again := importCmd(t, args...); summaryCount(t, again, "counted") != 0 || strings.Count(again, "already imported") != len(files) {
		t.Errorf("the second import counted again:\n%s", again)
	}

	// The goals of the scenario, as the live ground truth configures them.
	goals := []string{"-goal", "gt.example=event:Signup", "-goal", "gt.example=visit:/blog*"}
	srv := startTestServer(t, testOptions{args: slices.Concat(site, goals, storeArgs)})
	tr := truth{simFromLog(lg, f, tokyo)}
	for _, c := range groundTruthCases(tr) {
		if skipForLogs(c.name) {
			continue
		}
		if v, ok := c.want[""]; ok && !f.RecordsUserAgent() && strings.Contains(c.query, `"dimensions":["visit:`) {
			// Without a User-Agent there is no browser, OS or device:
			// the API names the empty group as Plausible does.
			delete(c.want, "")
			c.want["(not set)"] = v
		}
		for k, v := range c.want {
			// Logs carry no custom events: no one completes Signup, and
			// a breakdown leaves out groups of 0 visitors, as Plausible's
			// does (a query without dimensions still answers its zeros).
			if k != "" && !slices.ContainsFunc(v, func(x float64) bool { return x != 0 }) {
				delete(c.want, k)
			}
		}
		t.Run(c.name, func(t *testing.T) {
			compareTables(t, c.query, srv.query(c.query).table(), c.want)
		})
	}
}

// generateLog is the scenario of the ground-truth test, as a web server
// logs it.
func generateLog(f loggen.Format, zone *time.Location) *loggen.Log {
	return loggen.Generate(loggen.Config{
		Seed: 7, Site: "gt.example", Start: time.Date(2026, 3, 9, 0, 0, 0, 0, zone), Days: 4, Visitors: 45,
		SharedPrefixes: f.RecordsUserAgent(), Noise: 2, MalformedEvery: 97,
	})
}

// writeRotated writes the log as a rotated set, oldest first, each file
// in another UTC offset (the server moved), and returns the names in a
// shuffled order.
func writeRotated(t *testing.T, lg *loggen.Log, f loggen.Format, tokyo *time.Location) []string {
	t.Helper()
	dir := t.TempDir()
	names := []string{"access.log.3.gz", "access.log.2.gz", "access.log.1", "access.log"}
	zones := []*time.Location{time.UTC, time.FixedZone("", -7*3600), tokyo, time.FixedZone("", 5*3600+1800)}
	var files []string
	for i, part := range loggen.Split(lg.Lines, len(names)) {
		path := filepath.Join(dir, names[i])
		if err := loggen.WriteFile(path, part, f, zones[i]); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	return files
}

func formatArg(f loggen.Format) string {
	if f == loggen.Custom {
		return loggen.CustomFormat
	}
	return string(f)
}

// importCmd runs shukei import and returns what it printed.
func importCmd(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), append([]string{"import"}, args...), &stdout, &stderr); code != 0 {
		t.Fatalf("shukei import: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

var countedRE = regexp.MustCompile(`(?m)^\s+(counted|would count|malformed)\s+([0-9,]+)`)

// summaryCount reads a count from import's summary.
func summaryCount(t *testing.T, out, what string) int {
	t.Helper()
	for _, m := range countedRE.FindAllStringSubmatch(out, -1) {
		if m[1] == what {
			n, _ := strconv.Atoi(strings.ReplaceAll(m[2], ",", ""))
			return n
		}
	}
	return 0
}

func checkSummary(t *testing.T, out string, lg *loggen.Log) {
	t.Helper()
	if got := summaryCount(t, out, "counted"); got != len(lg.Hits) {
		t.Errorf("summary: %d page views counted, want %d\n%s", got, len(lg.Hits), out)
	}
	if got := summaryCount(t, out, "malformed"); got != lg.Malformed() {
		t.Errorf("summary: %d malformed lines, want %d\n%s", got, lg.Malformed(), out)
	}
	if strings.Contains(out, "out of order") {
		t.Errorf("summary: requests counted out of order\n%s", out)
	}
}

// skipForLogs names the cases a log cannot answer: it records no screen
// and no language.
func skipForLogs(name string) bool { return name == "by screen" || name == "by language" }

// simFromLog restates the generator's truth as the live simulation's, so
// that the same truth functions compute the expected values. A format
// without User-Agents knows visitors by their /24 only, and one without
// referrers sees only campaign-tagged sources.
func simFromLog(lg *loggen.Log, f loggen.Format, zone *time.Location) *simulation {
	s := &simulation{site: lg.Config.Site, zone: zone}
	for _, v := range lg.Visitors {
		sv := simVisitor{ip: v.IP, ua: v.UA, browser: v.Browser, os: v.OS, device: v.Device, country: v.Country, region: v.Region}
		if !f.RecordsUserAgent() {
			sv.ua, sv.browser, sv.os, sv.device = "", "", "", ""
		}
		s.visitors = append(s.visitors, sv)
	}
	for id, ss := range lg.Sessions {
		src := simSource{referrer: ss.Source.Referrer, query: ss.Source.Query, name: ss.Source.Name, host: ss.Source.Host,
			utmSource: ss.Source.UTMSource, utmMedium: ss.Source.UTMMedium, utmCampaign: ss.Source.UTMCampaign,
			channel: ss.Source.Channel}
		if !f.RecordsReferrer() && src.referrer != "" {
			src = simSource{name: "Direct / None", channel: "Direct"}
		}
		sim := &simSession{id: id, visitor: ss.Visitor, source: src}
		for _, h := range ss.Hits {
			sh := &simHit{at: h.At, visitor: h.Visitor, session: id, kind: "pageview", path: h.Path, query: h.Query, referrer: h.Referrer, searchTerm: h.SearchTerm}
			sim.hits = append(sim.hits, sh)
			s.hits = append(s.hits, sh)
		}
		s.sessions = append(s.sessions, sim)
	}
	slices.SortStableFunc(s.hits, func(a, b *simHit) int { return a.at.Compare(b.at) })
	return s
}
