package opendata

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/site"
)

var tokyo = mustZone("Asia/Tokyo")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newPublisher(t testing.TB, q Querier, dir string, c *clock, sites ...*site.Site) *Publisher {
	t.Helper()
	p, err := New(Config{Dir: dir, Now: c.now}, Deps{Store: q, Sites: site.NewRegistry(sites...)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCurrentServesTheCatalogue: a public site gets every report of the
// catalogue, over the last complete week and block; a site that has not
// opted in, or is unknown, gets ErrNotPublic.
func TestCurrentServesTheCatalogue(t *testing.T) {
	first := disclosure.DayFromDate(2026, 1, 5)
	store := genStore(t, 1, tokyo, first, 70, genSite{"mid.example", 40}, genSite{"closed.example", 40})
	c := &clock{t: (first + 64).Start(tokyo).Add(3 * time.Hour)}
	p := newPublisher(t, store, t.TempDir(), c, publicSite("mid.example", tokyo, site.Publishing{}),
		&site.Site{Domain: "closed.example", Location: tokyo})
	set, err := p.Current(context.Background(), "mid.example")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range set.Reports {
		names = append(names, r.Name)
		if r.Withheld != "" {
			t.Errorf("%s withheld (%s) for a site of 40 visitors a day", r.Name, r.Withheld)
		}
	}
	if want := ReportNames()[1:]; !slices.Equal(names, want) {
		t.Errorf("reports %v, want %v", names, want)
	}
	// On Tuesday 2026-03-10 the last complete week is 03-02..08 and the
	// last complete block of the grid 01-19..02-15.
	if set.Week.Start != first+56 || set.Block.Start != first+14 || set.Block.Last() != first+41 {
		t.Errorf("week %s, block %s", set.Week, set.Block)
	}
	for _, d := range []string{"closed.example", "unknown.example"} {
		if _, err := p.Current(context.Background(), d); !errors.Is(err, ErrNotPublic) {
			t.Errorf("%s: %v, want ErrNotPublic", d, err)
		}
	}
}

// termLikeNamed publishes a generated site and returns the values its
// term-like report of the given label names; the report must cover the
// 28-day block only and have no "(other)" row.
func termLikeNamed(t *testing.T, label string) map[string]bool {
	t.Helper()
	first := disclosure.DayFromDate(2026, 1, 5)
	store := genStore(t, 1, tokyo, first, 70, genSite{"mid.example", 40})
	c := &clock{t: (first + 64).Start(tokyo).Add(3 * time.Hour)}
	p := newPublisher(t, store, t.TempDir(), c, publicSite("mid.example", tokyo, site.Publishing{}))
	set, err := p.Current(context.Background(), "mid.example")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, r := range set.Reports {
		if r.Label != label {
			continue
		}
		if r.Start != set.Block.Start || !strings.HasSuffix(r.Name, blockSuffix) {
			t.Errorf("%s report %s starts %s, want the block only", label, r.Name, r.Start)
		}
		for _, row := range r.Rows {
			if row.Other {
				t.Errorf("%s report has an (other) row", label)
			}
			named[row.Value] = true
		}
	}
	return named
}

// TestDownloadsNameOnlyPublicAddresses: the downloads report of the 28-day block
// names the downloaded files used on at least k days, and never a value
// the URL scrubber would change, nor "(none)".
func TestDownloadsNameOnlyPublicAddresses(t *testing.T) {
	named := termLikeNamed(t, "url")
	if !named["/files/tax-form.pdf"] {
		t.Errorf("files named %v, want the most frequent download", named)
	}
	for _, v := range []string{"(none)", "/files/user/12345678901.pdf", "https://x.example/?email=a@b.example"} {
		if named[v] {
			t.Errorf("downloads report names %q", v)
		}
	}
}

// TestPropertiesNameOnlyPublicValues: the properties report of the 28-day
// block names "key=value" for the site's allowlisted keys, a value only
// when sent on at least k days, never "(none)", "(other)", a value the
// scrubber would change, nor a key holding "=".
func TestPropertiesNameOnlyPublicValues(t *testing.T) {
	named := termLikeNamed(t, "property")
	t.Logf("named: %v", named)
	if !named[genTopicKey+"=garbage"] {
		t.Errorf("properties named %v, want the most frequent value", named)
	}
	for v := range named {
		if key, value, _ := strings.Cut(v, "="); key != genTopicKey || value == "(none)" || value == "(other)" || strings.Contains(value, "12345678901") {
			t.Errorf("properties report names %q", v)
		}
	}
}
