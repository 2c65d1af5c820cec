package logimport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/site"
)

// FollowSpec is a site counted from a live access log inside the server
// (serve -follow-log site=path).
type FollowSpec struct {
	Site string
	Path string
}

// ParseFollowSpec reads "example.org=/var/log/nginx/access.log".
func ParseFollowSpec(v string) (FollowSpec, error) {
	domain, path, ok := strings.Cut(v, "=")
	domain, path = strings.ToLower(strings.TrimSpace(domain)), strings.TrimSpace(path)
	if !ok || domain == "" || path == "" {
		return FollowSpec{}, fmt.Errorf("%q: want site=path, e.g. example.org=/var/log/nginx/access.log", v)
	}
	return FollowSpec{Site: domain, Path: path}, nil
}

// Followers is the role that counts sites from their live access logs:
// each followed log goes through the pipeline with an importer of its
// own (its own visitor state and salts) into the server's store, and
// resumes where it stopped when the server starts again.
type Followers struct {
	log    *slog.Logger
	runs   []*followRun
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// followRun follows one site's logs: several logs of one site (two
// servers', or a live log and the rotated file it continues) are merged
// by time into the same visits.
type followRun struct {
	site  string
	paths []string
	im    *Importer
}

// NewFollowers prepares a follower for each spec; base configures the
// pipeline (the server's collector settings).
func NewFollowers(specs []FollowSpec, base Config, sites *site.Registry, sink collector.Sink, reg prometheus.Registerer, log *slog.Logger) (*Followers, error) {
	f := &Followers{log: log}
	m := newMetrics(reg)
	bySite := map[string]*followRun{}
	for _, spec := range specs {
		if r := bySite[spec.Site]; r != nil {
			r.paths = append(r.paths, spec.Path)
			continue
		}
		s, ok := sites.Lookup(spec.Site)
		if !ok {
			f.close()
			return nil, fmt.Errorf("-follow-log: %s is not a site of this server (add it with -site)", spec.Site)
		}
		cfg := base
		cfg.Site, cfg.Follow, cfg.WaitForFiles, cfg.DryRun = s, true, true, false
		im, err := New(cfg, sink, log)
		if err != nil {
			f.close()
			return nil, fmt.Errorf("-follow-log %s: %w", spec.Site, err)
		}
		im.metrics = m
		r := &followRun{site: spec.Site, paths: []string{spec.Path}, im: im}
		bySite[spec.Site] = r
		f.runs = append(f.runs, r)
	}
	return f, nil
}

// Start starts following; it returns at once. Following goes on until
// Stop, whatever becomes of ctx.
func (f *Followers) Start(ctx context.Context) error {
	ctx, f.cancel = context.WithCancel(context.WithoutCancel(ctx))
	for _, r := range f.runs {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			f.log.Info("following access logs", "site", r.site, "logs", len(r.paths))
			_, err := r.im.Run(ctx, r.paths)
			if err != nil && !errors.Is(err, context.Canceled) {
				// The log stays where it was read up to; the server
				// goes on counting its other sources.
				f.log.Error("following access logs stopped", "site", r.site, "err", err)
			}
		}()
	}
	return nil
}

// Stop ends following and waits until what was read is stored (or ctx
// ends: the rest is read again on the next start).
func (f *Followers) Stop(ctx context.Context) error {
	if f.cancel != nil {
		f.cancel()
	}
	done := make(chan struct{})
	go func() {
		f.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("following access logs: %w", ctx.Err())
	}
	return f.close()
}

func (f *Followers) close() error {
	var errs []error
	for _, r := range f.runs {
		errs = append(errs, r.im.Close())
	}
	return errors.Join(errs...)
}

// metrics count what followed logs bring, by reason; labels take only
// fixed values (DESIGN §1.1): never a site, a path or an address.
type metrics struct {
	lines   *prometheus.CounterVec
	counted prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		lines: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shukei_logfollow_lines_dropped_total", Help: "Lines of followed access logs not counted, by reason.",
		}, []string{"reason"}),
		counted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "shukei_logfollow_pageviews_total", Help: "Page views counted from followed access logs.",
		}),
	}
	for _, r := range []Reason{ReasonMalformed, ReasonMethod, ReasonStatus, ReasonAsset, ReasonCollector, ReasonHealthCheck,
		ReasonExcluded, ReasonOtherHost, ReasonTooLong, ReasonRetention} {
		m.lines.WithLabelValues(string(r))
	}
	if reg != nil {
		reg.MustRegister(m.lines, m.counted)
	}
	return m
}

func (m *metrics) dropped(reason string) {
	if m != nil {
		m.lines.WithLabelValues(reason).Inc()
	}
}

func (m *metrics) pageview() {
	if m != nil {
		m.counted.Inc()
	}
}
