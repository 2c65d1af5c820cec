package opendata

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
)

// Vocabularies of the generated visitors, most frequent first, so that
// the tail of every breakdown holds many small cells.
var (
	genCountries = []string{"JP", "US", "KR", "TW", "CN", "DE", "FR", "GB", "VN", "TH", "", "BR", "IN", "ID", "PH"}
	genBrowsers  = []string{"Chrome", "Safari", "Edge", "Firefox", "Samsung Internet", "Opera", "", "Vivaldi"}
	genOS        = []string{"Windows", "iOS", "Android", "Mac", "Linux", "ChromeOS"}
	genDevices   = []string{"Desktop", "Mobile", "Tablet", "Laptop"}
	genLanguages = []string{"ja", "en", "ko", "zh", "de", "fr", "es", "vi", "", "th"}
	genSources   = []string{"Direct / None", "Google", "Yahoo! JAPAN", "Bing", "X", "Facebook", "newsletter", "=cmd|' /C calc'!A0"}
	genTerms     = []string{"access", "opening hours", "tax form", "parking", "Mixed Case", "=HYPERLINK(\"x\")", "garbage day", "library"}
	// genFiles are downloaded files and followed links (the url
	// property); the last two are not scrubbed (an old collector) and
	// must never be named.
	genFiles = []string{"/files/tax-form.pdf", "https://city.example/map.pdf", "/files/timetable.xlsx", "http://other.example/", "(none)", "/files/user/12345678901.pdf", "https://x.example/?email=a@b.example"}
	// genTopics are values of the allowlisted key genTopicKey; the last
	// three must never be named ((none), (other) and a value an old
	// collector did not scrub).
	genTopics = []string{"garbage", "bus", "tax", "library", "(none)", "(other)", "member 12345678901"}
)

// Allowlisted custom property keys of the generated sites: values of
// genKeyWithEquals are never published (a "key=value" name would be
// ambiguous).
const (
	genTopicKey      = "topic"
	genKeyWithEquals = "a=b"
)

// genPaths are a site's pages; two are not scrubbed (as an old collector
// might have stored them) and must never be named.
func genPaths() []string {
	paths := []string{"/", "/news", "/access", "/search", "/contact", "/user/12345678901/profile", "/a?b=c"}
	for i := range 33 {
		paths = append(paths, "/page/"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	return paths
}

// zipfPick draws an index in [0, n) favouring small ones.
func zipfPick(r *rand.Rand, n int) int {
	for {
		i := int(float64(n) * r.Float64() * r.Float64() * r.Float64())
		if i < n {
			return i
		}
	}
}

// genDay appends the rows of one day's visitors of a site.
func genDay(r *rand.Rand, domain string, loc *time.Location, day disclosure.Day, visitors int, rows []event.Row) []event.Row {
	paths := genPaths()
	// Properties draw from their own source, so that the other counts
	// stay as they were before properties were published.
	pr := rand.New(rand.NewPCG(uint64(day), 7))
	for range visitors {
		start := day.Start(loc).Add(time.Duration(r.IntN(24*60)) * time.Minute)
		base := event.Row{
			Site: domain, Kind: event.KindPageview, Name: event.PageviewName, Hostname: domain,
			ReferrerSource: genSources[zipfPick(r, len(genSources))],
			Country:        genCountries[zipfPick(r, len(genCountries))], Browser: genBrowsers[zipfPick(r, len(genBrowsers))],
			OS: genOS[zipfPick(r, len(genOS))], Device: genDevices[zipfPick(r, len(genDevices))],
			Language: genLanguages[zipfPick(r, len(genLanguages))],
		}
		views := 1 + zipfPick(r, 5)
		seen := map[string]bool{}
		for v := range views {
			row := base
			row.TS = start.Add(time.Duration(v) * time.Minute).UTC().Truncate(time.Minute)
			row.Path = paths[zipfPick(r, len(paths))]
			row.Pageviews = 1
			if !seen[row.Path] {
				row.PageVisitors, row.PublicPageVisitors = 1, 1
				seen[row.Path] = true
			}
			if v == 0 {
				row.Visitors, row.Visits, row.SourceVisitors, row.EntryVisitors = 1, 1, 1, 1
				row.PublicSourceVisitors = 1
				row.EntryPath = row.Path
			}
			if row.Path == "/search" {
				row.SearchTerm = genTerms[zipfPick(r, len(genTerms))]
			}
			rows = append(rows, row)
			if row.Path == "/access" || row.Path == "/news" {
				// A download from the page: a property row, counted
				// only in the property counters.
				prop := base
				prop.TS, prop.Kind, prop.Name = row.TS, event.KindEvent, "File Download"
				prop.Path, prop.PropKey, prop.PropValue = row.Path, site.URLProp, genFiles[zipfPick(r, len(genFiles))]
				prop.PropEvents = 1
				if !seen["\x00"+prop.PropValue] {
					prop.PropVisitors = 1
					seen["\x00"+prop.PropValue] = true
				}
				rows = append(rows, prop)
			}
			if row.Path == "/contact" || row.Path == "/" {
				rows = append(rows, genProp(pr, base, row, seen))
			}
		}
	}
	return rows
}

// genProp is a property row of an allowlisted key sent with a page view.
func genProp(r *rand.Rand, base, view event.Row, seen map[string]bool) event.Row {
	prop := base
	prop.TS, prop.Path = view.TS, view.Path
	prop.PropKey, prop.PropValue = genTopicKey, genTopics[zipfPick(r, len(genTopics))]
	if r.IntN(8) == 0 {
		prop.PropKey = genKeyWithEquals
	}
	prop.PropEvents = 1
	if id := "\x01" + prop.PropKey + "\x00" + prop.PropValue; !seen[id] {
		prop.PropVisitors = 1
		seen[id] = true
	}
	return prop
}

// genSite is one generated site: visitors per day drawn around mean,
// with quiet weekends.
type genSite struct {
	domain string
	mean   int
}

// genStore fills a memstore with days of generated visits of each site.
func genStore(t testing.TB, seed uint64, loc *time.Location, first disclosure.Day, days int, sites ...genSite) *memstore.Store {
	t.Helper()
	store, _ := genRows(t, seed, loc, first, days, sites...)
	return store
}

// genRows is genStore that also returns the rows.
func genRows(t testing.TB, seed uint64, loc *time.Location, first disclosure.Day, days int, sites ...genSite) (*memstore.Store, []event.Row) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 6))
	store := memstore.New()
	var all []event.Row
	for _, s := range sites {
		var rows []event.Row
		for d := first; d < first+disclosure.Day(days); d++ {
			n := s.mean/2 + r.IntN(s.mean+1)
			if y, m, dd := d.Date(); time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Weekday() == time.Sunday {
				n /= 4
			}
			rows = genDay(r, s.domain, loc, d, n, rows)
		}
		if err := store.Append(context.Background(), rows); err != nil {
			t.Fatal(err)
		}
		all = append(all, rows...)
	}
	return store, all
}

// publicSite is a site that publishes under the given rules.
func publicSite(domain string, loc *time.Location, p site.Publishing) *site.Site {
	p.Public = true
	return &site.Site{Domain: domain, Location: loc, Publish: p, PropKeys: []string{genTopicKey, genKeyWithEquals}}
}
