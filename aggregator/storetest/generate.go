package storetest

import (
	"iter"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/shukei-analytics/shukei/event"
)

// GenOptions shapes generated rows.
type GenOptions struct {
	// Start is the first instant; zero means 2024-01-01 00:00 UTC.
	Start time.Time
	// Days is the period the rows spread over evenly; 0 means 30.
	Days int
	// Sites lists the sites; the first is the large one and gets about
	// 85% of the sessions, the others share the rest. Nil means
	// DefaultSites.
	Sites []string
}

// DefaultSites is one large site and three small ones.
var DefaultSites = []string{"big.example", "small-a.example", "small-b.example", "small-c.example"}

// GenerateRows yields n rows, deterministic for a seed: sessions of one to
// a dozen page views on Zipf-distributed paths (a few thousand on the large
// site, a few dozen on the small ones), with sources, UTM campaigns,
// places, clients, languages, site searches and custom events. Counters
// are consistent as the collector writes them: visitors, visits, entry
// and source visitors on a session's first row, bounces +1 then −1 on the
// second page view, duration and a correction row (exits −1, time on page)
// for every page left, event visitors on first occurrences. Rows come in
// time order, as a collector appends them.
func GenerateRows(seed int64, n int, opts GenOptions) iter.Seq[event.Row] {
	opts = opts.withDefaults()
	return func(yield func(event.Row) bool) {
		g := newGenerator(seed, opts)
		emitted := 0
		for emitted < n {
			// Sessions start evenly over the period, by rows emitted.
			start := opts.Start.Add(time.Duration(float64(opts.Days) * 24 * float64(time.Hour) * float64(emitted) / float64(n)))
			for _, r := range g.session(start) {
				if emitted == n || !yield(r) {
					return
				}
				emitted++
			}
		}
	}
}

func (o GenOptions) withDefaults() GenOptions {
	if o.Start.IsZero() {
		o.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if o.Days <= 0 {
		o.Days = 30
	}
	if len(o.Sites) == 0 {
		o.Sites = DefaultSites
	}
	return o
}

// generator holds the random state and each site's paths.
type generator struct {
	r     *rand.Rand
	opts  GenOptions
	paths [][]string
	zipf  []*rand.Zipf
	rows  []event.Row
}

func newGenerator(seed int64, opts GenOptions) *generator {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	g := &generator{r: r, opts: opts}
	for i := range opts.Sites {
		n := 40
		if i == 0 {
			n = 5000
		}
		g.paths = append(g.paths, sitePaths(n))
		g.zipf = append(g.zipf, rand.NewZipf(r, 1.1, 2, uint64(n-1)))
	}
	return g
}

// sitePaths names a site's pages: a few fixed ones, then blog posts and
// docs pages.
func sitePaths(n int) []string {
	paths := []string{"/", "/pricing", "/search", "/about", "/blog", "/docs"}
	for i := 0; len(paths) < n; i++ {
		if i%3 == 0 {
			paths = append(paths, "/docs/page-"+strconv.Itoa(i))
		} else {
			paths = append(paths, "/blog/post-"+strconv.Itoa(i))
		}
	}
	return paths[:n]
}

// site draws a site index: the first gets 85% of the sessions.
func (g *generator) site() int {
	if len(g.opts.Sites) == 1 || g.r.IntN(100) < 85 {
		return 0
	}
	return 1 + g.r.IntN(len(g.opts.Sites)-1)
}
