package logimport

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// Summary is what an import did. It holds counts, reasons, line numbers
// and days: nothing read from a line.
type Summary struct {
	Site  string
	Files []*FileSummary
	// Lines is the lines read (after the positions already imported).
	Lines int64
	// Counted is the page views counted.
	Counted int64
	// Dropped counts the lines not counted, by reason: Reason values and
	// the pipeline's drop reasons (bot_crawler, referrer_spam, …).
	Dropped map[string]int64
	// Malformed lists the first malformed lines: file, line number and
	// what is wrong.
	Malformed []MalformedLine
	// Late counts requests that came more than the reorder window after
	// later ones; they were counted out of order.
	Late int64
	// Days are the page views, visits and visitors per local day.
	Days map[string]*DayCounts
	// Rows is the merged rows stored (or that would be, in a dry run).
	Rows    int64
	Elapsed time.Duration

	mu sync.Mutex
}

// FileSummary is one file's part.
type FileSummary struct {
	Name   string
	Format string
	// ResumedAt is the position the store held before; Position the one
	// it holds after (bytes of the decompressed file).
	ResumedAt, Position uint64
	// Leftover is an unterminated last line's length, left for the next
	// import.
	Leftover int
	Note     string
}

// MalformedLine points to a line that could not be read.
type MalformedLine struct {
	File   string
	Line   int64
	Reason string
}

// DayCounts are one day's totals.
type DayCounts struct{ Pageviews, Visits, Visitors int64 }

// maxMalformedShown is how many malformed lines are listed.
const maxMalformedShown = 5

func newSummary(s *site.Site) *Summary {
	return &Summary{Site: s.Domain, Dropped: map[string]int64{}, Days: map[string]*DayCounts{}}
}

func (s *Summary) file(name string) *FileSummary {
	for _, f := range s.Files {
		if f.Name == name {
			return f
		}
	}
	f := &FileSummary{Name: name}
	s.Files = append(s.Files, f)
	return f
}

// line counts a line read and, when it is not counted before the
// pipeline, its reason.
func (s *Summary) line(file string, it *item) {
	s.Lines++
	if it.reason == "" {
		return
	}
	s.Dropped[string(it.reason)]++
	if it.reason == ReasonMalformed && len(s.Malformed) < maxMalformedShown {
		s.Malformed = append(s.Malformed, MalformedLine{File: file, Line: it.no, Reason: it.detail})
	}
}

func (s *Summary) dropped(reason string) { s.Dropped[reason]++ }

// counted adds a page view's rows to the day totals.
func (s *Summary) counted(rows []event.Row, zone *time.Location) {
	s.Counted++
	for i := range rows {
		r := &rows[i]
		if r.Pageviews == 0 && r.Visits == 0 && r.Visitors == 0 {
			continue
		}
		day := r.TS.In(zone).Format(time.DateOnly)
		d := s.Days[day]
		if d == nil {
			d = &DayCounts{}
			s.Days[day] = d
		}
		d.Pageviews += int64(r.Pageviews)
		d.Visits += int64(r.Visits)
		d.Visitors += int64(r.Visitors)
	}
}

func (s *Summary) stored(rows int) {
	s.mu.Lock()
	s.Rows += int64(rows)
	s.mu.Unlock()
}

// DroppedTotal is the lines not counted.
func (s *Summary) DroppedTotal() int64 {
	var n int64
	for _, v := range s.Dropped {
		n += v
	}
	return n
}

// group names the reasons as the summary shows them: bots together.
func group(reason string) string {
	if strings.HasPrefix(reason, "bot_") {
		return "bots"
	}
	switch reason {
	case "referrer_spam":
		return "spam"
	case string(ReasonAsset):
		return "assets"
	}
	return reason
}

// Write prints the summary for people.
func (s *Summary) Write(w io.Writer, dryRun bool) {
	verb := "counted"
	if dryRun {
		verb = "would count"
	}
	rate := ""
	if secs := s.Elapsed.Seconds(); secs > 0 {
		rate = fmt.Sprintf(" (%s lines/s)", thousands(int64(float64(s.Lines)/secs)))
	}
	fmt.Fprintf(w, "%s: read %s lines in %s%s\n", s.Site, thousands(s.Lines), s.Elapsed.Round(time.Millisecond), rate)
	for _, f := range s.Files {
		fmt.Fprintf(w, "  %s", f.Name)
		if f.Format != "" {
			fmt.Fprintf(w, " (%s)", shortFormat(f.Format))
		}
		switch {
		case f.Note != "":
			fmt.Fprintf(w, ": %s", f.Note)
		case f.ResumedAt > 0 && f.Position <= f.ResumedAt:
			fmt.Fprintf(w, ": already imported")
		case f.ResumedAt > 0:
			fmt.Fprintf(w, ": continued from byte %d", f.ResumedAt)
		}
		if f.Leftover > 0 {
			fmt.Fprintf(w, "; its last line has no line ending yet and is left for the next import")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  %-22s %12s page views\n", verb, thousands(s.Counted))
	fmt.Fprintf(w, "  %-22s %12s\n", "not counted", thousands(s.DroppedTotal()))
	groups := map[string]int64{}
	for r, n := range s.Dropped {
		groups[group(r)] += n
	}
	for _, g := range slices.Sorted(maps.Keys(groups)) {
		fmt.Fprintf(w, "    %-20s %12s\n", g, thousands(groups[g]))
	}
	if s.Late > 0 {
		fmt.Fprintf(w, "  %s requests were more than the reorder window out of order (sort the log, or give rotated files together)\n", thousands(s.Late))
	}
	for _, m := range s.Malformed {
		fmt.Fprintf(w, "  malformed: %s line %d: %s\n", m.File, m.Line, m.Reason)
	}
	days := slices.Sorted(maps.Keys(s.Days))
	if len(days) == 0 {
		return
	}
	fmt.Fprintf(w, "  days covered           %s .. %s (%d days with page views)\n", days[0], days[len(days)-1], len(days))
	if dryRun {
		fmt.Fprintf(w, "  %-12s %12s %10s %10s\n", "day", "page views", "visits", "visitors")
		for _, d := range days {
			c := s.Days[d]
			fmt.Fprintf(w, "  %-12s %12s %10s %10s\n", d, thousands(c.Pageviews), thousands(c.Visits), thousands(c.Visitors))
		}
	}
}

func shortFormat(f string) string {
	if len(f) > 40 {
		return "format string"
	}
	return f
}

// thousands writes n with thousands separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	out := strings.Join(parts, ",")
	if neg {
		out = "-" + out
	}
	return out
}
