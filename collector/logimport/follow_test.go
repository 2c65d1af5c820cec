package logimport

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/internal/loggen"
)

// appendLines writes lines to the end of path (creating it).
func appendLines(t *testing.T, path string, lines []loggen.Line) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := loggen.Write(f, lines, loggen.Combined, time.UTC); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func pageviews(lines []loggen.Line) int32 {
	var n int32
	for _, l := range lines {
		if l.Counts {
			n++
		}
	}
	return n
}

// waitFor waits (bounded) until the sink holds want page views, and
// checks it holds no more a little later.
func waitFor(t *testing.T, sink *memSink, want int32, what string) event.Counters {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for sink.totals().Pageviews < want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	got := sink.totals()
	if got.Pageviews != want {
		t.Fatalf("%s: %d page views stored, want %d", what, got.Pageviews, want)
	}
	return got
}

func followConfig(c *Config) {
	c.Follow, c.WaitForFiles, c.QuietAfter, c.CommitEvery = true, true, 150*time.Millisecond, 50*time.Millisecond
}

// reference imports lines as one finished file into a sink of its own:
// what following them must have stored.
func reference(t *testing.T, parts [][]loggen.Line) event.Counters {
	t.Helper()
	path := filepath.Join(t.TempDir(), "reference.log")
	for _, p := range parts {
		appendLines(t, path, p)
	}
	sink := newMemSink()
	if _, err := newImporter(t, sink, nil).Run(context.Background(), []string{path}); err != nil {
		t.Fatal(err)
	}
	return sink.totals()
}

// TestFollow follows a live log as it grows, is rotated by renaming (the
// server still writing to the old file for a moment), truncated in place
// after a copy, and followed again after a restart: every page view is
// stored once, and visits run on across rotations.
func TestFollow(t *testing.T) {
	lg := testLog(40)
	parts := loggen.Split(lg.Lines, 6)
	dir := t.TempDir()
	live := filepath.Join(dir, "access.log")
	sink := newMemSink()
	run := func(ctx context.Context) chan error {
		done := make(chan error, 1)
		im := newImporter(t, sink, followConfig)
		go func() {
			_, err := im.Run(ctx, []string{live})
			done <- err
		}()
		return done
	}
	// The log does not exist yet: it is waited for.
	ctx, stop := context.WithCancel(context.Background())
	done := run(ctx)
	time.Sleep(100 * time.Millisecond)
	appendLines(t, live, parts[0])
	total := pageviews(parts[0])
	waitFor(t, sink, total, "start")

	appendLines(t, live, parts[1])
	total += pageviews(parts[1])
	waitFor(t, sink, total, "growth")

	// Rotation by renaming: half of the next part still goes to the old
	// file, then the server reopens its log.
	if err := os.Rename(live, live+".1"); err != nil {
		t.Fatal(err)
	}
	half := len(parts[2]) / 2
	appendLines(t, live+".1", parts[2][:half])
	appendLines(t, live, parts[2][half:])
	total += pageviews(parts[2])
	got := waitFor(t, sink, total, "rotation")
	if ref := reference(t, parts[:3]); got != ref {
		t.Errorf("after rotation stored %+v\nan import of the same lines %+v", got, ref)
	}

	// copytruncate: the file is copied and truncated in place.
	b, err := os.ReadFile(live)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(live+".2", b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(live, 0); err != nil {
		t.Fatal(err)
	}
	appendLines(t, live, parts[3])
	total += pageviews(parts[3])
	waitFor(t, sink, total, "truncation")

	// Stop, grow the log meanwhile, and follow again: it resumes at the
	// stored position.
	stop()
	if err := <-done; err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
	appendLines(t, live, parts[4])
	ctx, stop = context.WithCancel(context.Background())
	defer stop()
	done = run(ctx)
	total += pageviews(parts[4])
	waitFor(t, sink, total, "restart")
	appendLines(t, live, parts[5])
	total += pageviews(parts[5])
	waitFor(t, sink, total, "after restart")
	stop()
	<-done

	// The rotated copies, imported afterwards, add nothing.
	sum, err := newImporter(t, sink, nil).Run(context.Background(), []string{live + ".1", live + ".2", live})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Counted != 0 || sink.totals().Pageviews != total {
		t.Errorf("importing the rotated files counted %d more", sum.Counted)
	}
}
