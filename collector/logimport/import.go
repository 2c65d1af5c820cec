// Package logimport feeds web-server access logs through the collector's
// privacy pipeline: the same steps, in the same order, as a live hit,
// with the log line's own time. It rebuilds visits from time-ordered
// requests (several files merged by timestamp), counts each file exactly
// once by recording in the store how far each file (named by a
// fingerprint of its first bytes) has been read, and can follow a live
// log across rotation.
//
// Privacy property (DESIGN §1.1–1.3): a log line lives only until the
// pipeline has turned it into identifier-free rows. Visitors are
// recognised under a random salt per calendar day of the log, created for
// this import, held only in this process's memory and destroyed once the
// import is past that day; nothing of the line is written but the rows a
// live hit would leave.
package logimport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/collector/accesslog"
	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/site"
)

// Config configures an import.
type Config struct {
	// Site receives the page views; its time zone sets the calendar days
	// (of reports and of the visitor salts).
	Site *site.Site
	// Format is the logs' format; nil detects it per file.
	Format accesslog.Format
	// LogZone is the zone of timestamps written without an offset; nil:
	// UTC for W3C logs (as the format specifies), else the site's zone.
	LogZone *time.Location
	// Excludes are paths not to count (globs, or "re:" expressions).
	Excludes []string
	// Hostnames are the hosts whose requests count; empty: the site's
	// domain and its subdomains.
	Hostnames []string
	// Collector is the pipeline's configuration (trusted proxies, prefix
	// lengths, GeoIP, spam list, search parameters, session timeout).
	Collector collector.Config
	// DryRun counts without storing.
	DryRun bool
	// Follow keeps reading the files as they grow and are rotated.
	Follow bool
	// WaitForFiles, when following, waits for files that do not exist
	// yet instead of refusing them.
	WaitForFiles bool
	// Window is how far out of order a log's lines may be and still be
	// put in order (servers write a line when a request ends, stamped
	// with when it began). Default 1m.
	Window time.Duration
	// CommitRows is how many merged rows are stored at once (default
	// 10,000, as the collector's batches); CommitEvery how often a
	// followed log is stored (default 2s).
	CommitRows  int
	CommitEvery time.Duration
	// QuietAfter is how long a followed file must stay unchanged before
	// its last lines are taken as complete in time (default 2s).
	QuietAfter time.Duration
	// Stdin is read for the file "-" (default os.Stdin).
	Stdin io.Reader
	// Now is the clock (retention cut-off); default time.Now.
	Now func() time.Time
}

// DefaultConfig returns the defaults of every setting but the site.
func DefaultConfig() Config {
	return Config{Collector: collector.DefaultConfig(), Window: time.Minute, CommitRows: 10_000,
		CommitEvery: 2 * time.Second, QuietAfter: 2 * time.Second}
}

// EnsureDefaults fills the fields left zero that have a default.
func (c *Config) EnsureDefaults() {
	d := DefaultConfig()
	if c.Window == 0 {
		c.Window = d.Window
	}
	if c.CommitRows == 0 {
		c.CommitRows = d.CommitRows
	}
	if c.CommitEvery == 0 {
		c.CommitEvery = d.CommitEvery
	}
	if c.QuietAfter == 0 {
		c.QuietAfter = d.QuietAfter
	}
	if c.Stdin == nil {
		c.Stdin = os.Stdin
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Collector.EnsureDefaults()
}

// Validate checks the values.
func (c *Config) Validate() error {
	switch {
	case c.Site == nil:
		return errors.New("import: no site")
	case c.Window < 0 || c.Window > time.Hour:
		return fmt.Errorf("import: reorder window %v outside 0..1h", c.Window)
	case c.CommitRows < 1:
		return errors.New("import: commit size must be positive")
	case c.CommitEvery < 10*time.Millisecond:
		return errors.New("import: commit interval below 10ms")
	}
	return c.Collector.Visitor.Validate()
}

// Importer imports access logs into a store.
type Importer struct {
	cfg      Config
	log      *slog.Logger
	sink     collector.Sink
	rules    *Rules
	pipeline *collector.Pipeline
	tracker  *visitor.Tracker
	closeGeo func() error
	progress progress
	// retentionCut is the oldest time the site keeps.
	retentionCut time.Time
	// metrics are set for followers inside the server.
	metrics *metrics
}

// New builds an importer writing to sink (which may be nil for a dry run:
// then nothing is read from a store either). It opens the GeoIP database
// and the spam list; Close releases them.
func New(cfg Config, sink collector.Sink, log *slog.Logger) (*Importer, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if sink == nil && !cfg.DryRun {
		return nil, errors.New("import: no store")
	}
	rules, err := NewRules(cfg.Site.Domain, cfg.Excludes, cfg.Hostnames)
	if err != nil {
		return nil, err
	}
	// The import's own visitor state: its salts are made for the log's
	// days and die with this importer.
	tracker := visitor.New(cfg.Collector.Visitor)
	p, closeGeo, err := collector.NewPipeline(&cfg.Collector, site.NewRegistry(cfg.Site), tracker)
	if err != nil {
		return nil, err
	}
	return &Importer{cfg: cfg, log: log, sink: sink, rules: rules, pipeline: p, tracker: tracker, closeGeo: closeGeo,
		retentionCut: retentionCutoff(cfg.Now(), cfg.Site.Retention())}, nil
}

// Close releases the GeoIP database.
func (im *Importer) Close() error { return im.closeGeo() }

// progress is read by another goroutine while the import runs.
type progress struct {
	rawTotal atomic.Int64
	lines    atomic.Int64
	counted  atomic.Int64

	mu      sync.Mutex
	rawDone int64                        // bytes of the files no longer read
	reading map[*countingReader]struct{} // files being read
}

// track counts a file's bytes from now on; untrack when it is done.
func (p *progress) track(c *countingReader) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reading == nil {
		p.reading = map[*countingReader]struct{}{}
	}
	p.reading[c] = struct{}{}
}

func (p *progress) untrack(c *countingReader) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.reading, c)
	p.rawDone += c.n.Load()
}

func (p *progress) bytes() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.rawDone
	for c := range p.reading {
		n += c.n.Load()
	}
	return n
}

// Progress is a snapshot of a running import.
type Progress struct {
	// Bytes and Total are the bytes of the files read so far and in all
	// (compressed bytes for compressed files; Total is 0 for standard
	// input and followed files).
	Bytes, Total int64
	Lines        int64
	Counted      int64
}

// Progress reports how far the import is; safe to call while Run runs.
func (im *Importer) Progress() Progress {
	p := &im.progress
	return Progress{Bytes: p.bytes(), Total: p.rawTotal.Load(), Lines: p.lines.Load(), Counted: p.counted.Load()}
}

// Run imports the files ("-" is standard input) and returns what it did.
// When ctx ends, what has been read is stored (the rest is read by the
// next run) and Run returns the summary with ctx's error.
func (im *Importer) Run(ctx context.Context, names []string) (*Summary, error) {
	start := time.Now()
	sum := newSummary(im.cfg.Site)
	inputs, waiting, err := im.prepare(ctx, names, sum)
	if err != nil {
		return sum, err
	}
	err = im.replay(ctx, inputs, waiting, sum)
	sum.Elapsed = time.Since(start)
	return sum, err
}
