package public

import (
	"bytes"
	"context"
	"flag"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/memstore"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var tokyo = func() *time.Location {
	l, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		panic(err)
	}
	return l
}()

// The test sites: one publishing exact counts, one with noise and
// rounding, one that has not opted in.
const (
	exactSite   = "city.example"
	noisySite   = "town.example"
	privateSite = "private.example"
	// newSite begins counting two days after the clock (a Wednesday).
	newSite = "new.example"
)

// newSiteFirst is the first day newSite counts.
var newSiteFirst = firstDay + 44

// firstDay is the first generated day: six weeks of data, the last
// four a whole block, and the clock the day after.
var firstDay = disclosure.DayFromDate(2026, 2, 2)

// Values that must never reach a public output as they are: a path the
// scrubber would change, and markup that must only ever appear escaped.
const (
	unscrubbedPath = "/user/12345678901/profile"
	markupSource   = `<img src=x onerror=alert(1)>`
	formulaTerm    = `=HYPERLINK("http://x")`
)

// genRows makes a deterministic month of visits: busy pages and
// countries, and a long tail of small ones.
func genRows(domain string, seed uint64, from, to disclosure.Day) []event.Row {
	r := rand.New(rand.NewPCG(seed, 1))
	// Downloads draw from their own source, so that the other reports
	// stay as they were before downloads were published.
	dl := rand.New(rand.NewPCG(seed, 2))
	// So do the values of the allowlisted property.
	pr := rand.New(rand.NewPCG(seed, 3))
	paths := []string{"/", "/news", "/access", "/search", "/contact", unscrubbedPath, "/rare/a", "/rare/b",
		"/kurashi/gomi/shushu-karendaa/2026nendo-no-gomi-shushubi-ichiran-to-dashikata-no-rūru.html",
		"/お知らせ/2026年度の住民税の申告について", "/soshiki/kikaku/1000123.html", "/event/spring-festival",
		"/kosodate/hoikuen/nyuen-moushikomi", "/bousai/hinanjo-map", "/library", "/recruit/2026",
		"/kankou/spots/castle", "/faq", "/sitemap", "/english/index.html"}
	sources := []string{"Direct / None", "Google", markupSource, "Yahoo! JAPAN", "Bing"}
	countries := []string{"JP", "US", "KR", "FR", "BR"}
	var rows []event.Row
	for d := from; d < to; d++ {
		// Enough that the hostile source is seen by k people on a day
		// and so named, to test its escaping.
		n := 60 + r.IntN(20)
		for v := range n {
			pick := func(k int) int { return min(r.IntN(k), r.IntN(k)) }
			ts := d.Start(tokyo).Add(time.Duration(v*20) * time.Minute).UTC()
			base := event.Row{Site: domain, TS: ts, Kind: event.KindPageview, Name: event.PageviewName, Hostname: domain,
				ReferrerSource: sources[pick(len(sources))], Country: countries[pick(len(countries))],
				Browser: []string{"Chrome", "Safari", "Firefox"}[pick(3)], OS: []string{"Windows", "iOS", "Android"}[pick(3)],
				Device: []string{"Desktop", "Mobile"}[pick(2)], Language: []string{"ja", "en"}[pick(2)]}
			for i := range 1 + pick(3) {
				row := base
				row.TS = ts.Add(time.Duration(i) * time.Minute)
				row.Path = paths[pick(len(paths))]
				row.Pageviews, row.PageVisitors, row.PublicPageVisitors = 1, 1, 1
				if i == 0 {
					row.Visitors, row.Visits, row.SourceVisitors, row.EntryVisitors = 1, 1, 1, 1
					row.PublicSourceVisitors = 1
					row.EntryPath = row.Path
				}
				if row.Path == "/search" {
					row.SearchTerm = []string{"access", "tax form", formulaTerm}[pick(3)]
					row.PublicSearchVisitors = 1
				}
				rows = append(rows, row)
				if row.Path == "/access" {
					// A download: a property row of the url property.
					prop := base
					prop.TS, prop.Kind, prop.Name, prop.Path = row.TS, event.KindEvent, "File Download", row.Path
					prop.PropKey = site.URLProp
					prop.PropValue = []string{"/files/map.pdf", "https://city.example/timetable.pdf", unscrubbedPath + ".pdf"}[min(dl.IntN(3), dl.IntN(3))]
					prop.PropEvents, prop.PropVisitors = 1, 1
					rows = append(rows, prop)
				}
				if row.Path == "/contact" || row.Path == "/" {
					// A property of an allowlisted key sent with the page view.
					prop := base
					prop.TS, prop.Path, prop.PropKey = row.TS, row.Path, "topic"
					prop.PropValue = []string{"garbage", "bus", "(none)", "member 12345678901"}[min(pr.IntN(4), pr.IntN(4))]
					prop.PropEvents, prop.PropVisitors = 1, 1
					rows = append(rows, prop)
				}
			}
		}
	}
	return rows
}

// seededKey is a fixed noise key, so that the noisy golden files are the
// same on every run.
func seededKey(seed byte) []byte {
	k := make([]byte, disclosure.NoiseKeyBytes)
	copy(k, []byte{'s', 'h', 'u', 'k', 'e', 'i', seed})
	return k
}

// harness is the handler over a publisher over a memstore.
type harness struct {
	t   testing.TB
	app *fiber.App
	pub *opendata.Publisher
	now time.Time
	rt  *fakeRealtime
}

type fakeRealtime struct{ n int }

func (f *fakeRealtime) CurrentVisitors(string) int { return f.n }

func newHarness(t testing.TB, dir string) *harness { return newHarnessSeed(t, dir, 0) }

// newHarnessSeed draws the noise from the stream of the given seed.
func newHarnessSeed(t testing.TB, dir string, seed byte) *harness {
	t.Helper()
	store := memstore.New()
	for i, d := range []string{exactSite, noisySite, privateSite, newSite} {
		rows := genRows(d, uint64(i+1), firstDay, firstDay+42)
		if d == newSite {
			rows = genRows(d, uint64(i+1), newSiteFirst, newSiteFirst+8)
		}
		if err := store.Append(context.Background(), rows); err != nil {
			t.Fatal(err)
		}
	}
	sites := site.NewRegistry(
		&site.Site{Domain: exactSite, Location: tokyo, Publish: site.Publishing{Public: true}, PropKeys: []string{"topic"}},
		&site.Site{Domain: newSite, Location: tokyo, Publish: site.Publishing{Public: true}},
		&site.Site{Domain: noisySite, Location: tokyo, Publish: site.Publishing{Public: true, Epsilon: 1, RoundTo: 5}, PropKeys: []string{"topic"}},
		&site.Site{Domain: privateSite, Location: tokyo},
	)
	h := &harness{t: t, now: (firstDay + 42).Start(tokyo).Add(3 * time.Hour), rt: &fakeRealtime{n: 12}}
	clock := func() time.Time { return h.now }
	pub, err := opendata.New(opendata.Config{Dir: dir, Now: clock},
		opendata.Deps{Store: store, Sites: sites, NoiseKey: seededKey(seed)})
	if err != nil {
		t.Fatal(err)
	}
	hd, err := New(Config{Now: clock}, Deps{Reports: pub, Realtime: h.rt})
	if err != nil {
		t.Fatal(err)
	}
	h.app, h.pub = fiber.New(fiber.Config{DisableStartupMessage: true}), pub
	if err := route.Mount(h.app, hd.Routes()); err != nil {
		t.Fatal(err)
	}
	return h
}

type response struct {
	status int
	header map[string]string
	body   []byte
}

func (h *harness) get(path string, headers ...string) response {
	h.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.app.Test(req, -1)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	hdr := map[string]string{}
	for k := range res.Header {
		hdr[k] = res.Header.Get(k)
	}
	return response{status: res.StatusCode, header: hdr, body: b}
}

// golden compares b with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, b []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(b, want) {
		return
	}
	got, exp := strings.Split(string(b), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(got), len(exp)) {
		if i >= len(got) || i >= len(exp) || got[i] != exp[i] {
			t.Errorf("%s differs from the golden file at line %d (go test -update rewrites it):\n got: %.200s\nwant: %.200s",
				name, i+1, at(got, i), at(exp, i))
			return
		}
	}
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}
