package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/shukei-analytics/shukei/collector/logimport"
)

// showProgress reports an import's progress until the returned stop is
// called: a progress bar when stderr is a terminal, else a log line every
// progressEvery (and every minute for a followed log).
func showProgress(im *logimport.Importer, stderr io.Writer, follow bool, log *slog.Logger) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	f, isFile := stderr.(*os.File)
	terminal := isFile && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
	go func() {
		defer close(finished)
		if terminal && !follow {
			progressBar(im, stderr, done)
			return
		}
		every := progressEvery
		if follow {
			every = time.Minute
		}
		progressLog(im, log, every, done)
	}()
	return func() {
		close(done)
		<-finished
	}
}

const progressEvery = 10 * time.Second

func progressBar(im *logimport.Importer, w io.Writer, done <-chan struct{}) {
	start := time.Now()
	total := im.Progress().Total
	if total <= 0 {
		total = -1
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionFullWidth(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("importing"))
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	update := func() {
		p := im.Progress()
		if t := p.Total; t > 0 && bar.GetMax64() != t {
			bar.ChangeMax64(t)
		}
		secs := max(time.Since(start).Seconds(), 0.001)
		bar.Describe(fmt.Sprintf("%d lines (%.0f lines/s), %d counted", p.Lines, float64(p.Lines)/secs, p.Counted))
		_ = bar.Set64(p.Bytes)
	}
	for {
		select {
		case <-done:
			update()
			_ = bar.Finish()
			return
		case <-tick.C:
			update()
		}
	}
}

func progressLog(im *logimport.Importer, log *slog.Logger, every time.Duration, done <-chan struct{}) {
	start := time.Now()
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		p := im.Progress()
		secs := time.Since(start).Seconds()
		attrs := []any{"lines", p.Lines, "counted", p.Counted, "lines_per_s", int64(float64(p.Lines) / secs), "bytes", p.Bytes}
		if p.Total > 0 && p.Bytes > 0 {
			frac := float64(p.Bytes) / float64(p.Total)
			eta := time.Duration(secs*(1-frac)/frac) * time.Second
			attrs = append(attrs, "total_bytes", p.Total, "percent", int(100*frac), "eta", eta.Round(time.Second))
		}
		log.Info("import progress", attrs...)
	}
}
