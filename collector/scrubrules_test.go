package collector

import (
	"net/netip"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/site"
)

// TestSiteScrubRules: a site's keep and scrub rules reach the pipeline,
// changes to them apply from the next hit, and the counters tell how many
// paths each rule and each detector changed.
func TestSiteScrubRules(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	p := newTestPipeline(t, func() time.Time { return now })
	s := &site.Site{Domain: "example.org", Location: time.UTC, ScrubRules: []string{"keep /soshiki/*/0*.html"}}
	p.Sites.Put(s)
	path := func(u string, i int) string {
		t.Helper()
		r := &Request{Payload: &Payload{Name: "pageview", URL: u, Domain: "example.org"},
			Remote: netip.MustParseAddr("127.0.0.1"), ClientHeader: netip.AddrFrom4([4]byte{198, 51, byte(i), 1}).String(), UserAgent: firefox}
		rows, drop, err := p.Process(r, nil)
		if err != nil || drop != DropNone || len(rows) == 0 {
			t.Fatalf("Process(%s): %v %v %d rows", u, drop, err, len(rows))
		}
		return rows[0].Path
	}
	if got := path("https://example.org/soshiki/3/0312345678.html", 1); got != "/soshiki/3/0312345678.html" {
		t.Errorf("kept path = %q", got)
	}
	if got := path("https://example.org/tel/0312345678", 2); got != "/tel/:phone" {
		t.Errorf("scrubbed path = %q", got)
	}
	c := *s
	c.ScrubRules = []string{"keep /soshiki/*/0*.html", "scrub /staff/*"}
	p.Sites.Put(&c)
	if got := path("https://example.org/staff/tanaka", 3); got != "/staff/:id" {
		t.Errorf("path after the change = %q", got)
	}
	paths, counts, ok := p.rules.counts("example.org")
	if !ok || paths != 3 {
		t.Fatalf("paths = %d, %v", paths, ok)
	}
	got := map[string]uint64{}
	for _, rc := range counts {
		got[rc.Rule] = rc.Paths
	}
	if got["keep /soshiki/*/0*.html"] != 1 || got["scrub /staff/*"] != 1 || got["phone"] != 1 { // the kept page id does not count
		t.Errorf("counts = %v", got)
	}
}
