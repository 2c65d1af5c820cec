package public

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
)

// TestPublicPageGolden renders each public site's page in both
// languages and compares it with its golden file.
func TestPublicPageGolden(t *testing.T) {
	h := newHarness(t, t.TempDir())
	for _, s := range []string{exactSite, noisySite} {
		for _, l := range []string{"en", "ja"} {
			res := h.get("/public/" + s + "?lang=" + l)
			if res.status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", s, l, res.status, res.body)
			}
			if res.header["Content-Security-Policy"] != CSP {
				t.Errorf("%s: CSP %q", s, res.header["Content-Security-Policy"])
			}
			checkPage(t, res.body)
			golden(t, s+"."+l+".html", res.body)
		}
	}
}

// checkPage: no script at all, no inline style, and hostile values
// only escaped.
func checkPage(t *testing.T, b []byte) {
	t.Helper()
	page := string(b)
	for _, bad := range []string{"<script", " style=", "<img", unscrubbedPath, "12345678901"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}

// TestDataFilesGolden compares every open-data file of each public site
// with its golden file, and checks that every count in them is allowed:
// zero, or at least k.
func TestDataFilesGolden(t *testing.T) {
	h := newHarness(t, t.TempDir())
	for _, s := range []string{exactSite, noisySite} {
		files := []string{"index.json"}
		for _, n := range opendata.ReportNames() {
			files = append(files, n+".json", n+".csv")
		}
		for _, f := range files {
			res := h.get("/public/" + s + "/data/" + f)
			if res.status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", s, f, res.status, res.body)
			}
			if res.header["Access-Control-Allow-Origin"] != "*" {
				t.Errorf("%s: not readable cross-origin", f)
			}
			if strings.Contains(string(res.body), unscrubbedPath) || strings.Contains(string(res.body), "12345678901") {
				t.Errorf("%s %s names an unscrubbed path", s, f)
			}
			if strings.HasSuffix(f, ".csv") {
				checkCSV(t, s+" "+f, res.body)
			} else if f != "index.json" {
				checkJSON(t, s+" "+f, res.body)
			}
			golden(t, s+"."+f, res.body)
		}
	}
}

// checkCSV: every count is empty (suppressed), 0 or at least 10; no
// field starts a spreadsheet formula.
func checkCSV(t *testing.T, what string, b []byte) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, rec := range recs[1:] {
		for i, f := range rec {
			if f != "" && strings.ContainsRune("=+-@", rune(f[0])) {
				t.Errorf("%s: field %q is a formula", what, f)
			}
			if i == 0 && len(rec) > 1 && recs[0][0] != "active_visitors" {
				continue
			}
			checkCount(t, what, f)
		}
	}
}

func checkCount(t *testing.T, what, f string) {
	t.Helper()
	if f == "" {
		return
	}
	v, err := strconv.ParseInt(f, 10, 64)
	if err != nil {
		t.Errorf("%s: count %q", what, f)
		return
	}
	if v != 0 && v < 10 {
		t.Errorf("%s: published count %d is below k = 10", what, v)
	}
}

// checkJSON: the same for the JSON rendering.
func checkJSON(t *testing.T, what string, b []byte) {
	t.Helper()
	var doc struct {
		Totals map[string]int64             `json:"totals"`
		Data   []map[string]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, v := range doc.Totals {
		checkCount(t, what, strconv.FormatInt(v, 10))
	}
	for _, row := range doc.Data {
		for _, raw := range row {
			var n *int64
			if json.Unmarshal(raw, &n) == nil && n != nil {
				checkCount(t, what, strconv.FormatInt(*n, 10))
			}
		}
	}
}

// TestNotPublicIs404 asks every route for a site that has not opted in,
// one that does not exist, and malformed names: all get the same 404.
func TestNotPublicIs404(t *testing.T) {
	h := newHarness(t, t.TempDir())
	for _, s := range []string{privateSite, "unknown.example", "CITY.EXAMPLE", "..", "a..b", "%2e%2e", "city.example%00",
		strings.Repeat("a", 300), "%3Cscript%3E", "city.example%2F..%2Fx"} {
		for _, p := range []string{"", "/style.css", "/data/index.json", "/data/daily.csv", "/data/pages-7-days.json"} {
			res := h.get("/public/" + s + p)
			if res.status != http.StatusNotFound {
				t.Errorf("/public/%s%s: %d, want 404", s, p, res.status)
			}
			if strings.Contains(string(res.body), "visitors") {
				t.Errorf("/public/%s%s: body %q", s, p, res.body)
			}
		}
	}
}

// TestBadRequests: unknown files, traversal attempts and a bad language.
func TestBadRequests(t *testing.T) {
	h := newHarness(t, t.TempDir())
	for path, want := range map[string]int{
		"/public/city.example/data/":                             http.StatusNotFound,
		"/public/city.example/data/pages.json":                   http.StatusNotFound,
		"/public/city.example/data/daily.xml":                    http.StatusNotFound,
		"/public/city.example/data/..%2F..%2Fetc%2Fpasswd":       http.StatusNotFound,
		"/public/city.example/data/daily.json%00":                http.StatusNotFound,
		"/public/city.example/data/" + strings.Repeat("x", 2000): http.StatusNotFound,
		"/public/city.example?lang=fr":                           http.StatusBadRequest,
		"/public/city.example?lang=%3Cscript%3E":                 http.StatusBadRequest,
		"/public/city.example?lang=ja":                           http.StatusOK,
	} {
		if res := h.get(path); res.status != want {
			t.Errorf("%s: %d, want %d", path, res.status, want)
		}
	}
}

// TestLanguageFromBrowser: Accept-Language chooses between the two.
func TestLanguageFromBrowser(t *testing.T) {
	h := newHarness(t, t.TempDir())
	for al, want := range map[string]string{"ja-JP,ja;q=0.9": `lang="ja"`, "en-US": `lang="en"`, "fr": `lang="en"`, "": `lang="en"`} {
		res := h.get("/public/city.example", "Accept-Language", al)
		if !strings.Contains(string(res.body), want) {
			t.Errorf("Accept-Language %q: want %s", al, want)
		}
		if !strings.Contains(res.header["Vary"], "Accept-Language") {
			t.Errorf("no Vary: Accept-Language")
		}
	}
}

// TestRepeatedRequestsAndRestart: a noisy report is the same on every
// request, and after a restart over the same archive, even with a
// sampler that would draw other noise.
func TestRepeatedRequestsAndRestart(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, dir)
	first := h.get("/public/" + noisySite + "/data/countries-28-days.json").body
	for range 5 {
		if again := h.get("/public/" + noisySite + "/data/countries-28-days.json").body; !bytes.Equal(first, again) {
			t.Fatalf("a second request changed the report:\n%s\n%s", first, again)
		}
	}
	restarted := newHarnessSeed(t, dir, 1)
	if other := newHarnessSeed(t, t.TempDir(), 1).get("/public/" + noisySite + "/data/countries-28-days.json").body; bytes.Equal(first, other) {
		t.Fatal("the other seed draws the same noise: the restart check below would prove nothing")
	}
	if again := restarted.get("/public/" + noisySite + "/data/countries-28-days.json").body; !bytes.Equal(first, again) {
		t.Fatalf("a restart changed the report:\n%s\n%s", first, again)
	}
}

// TestRealtime: the count now, or withheld below k.
func TestRealtime(t *testing.T) {
	h := newHarness(t, t.TempDir())
	// Twelve active visitors are published as ten: rounded down to a
	// multiple of k, so that successive readings differ by 0 or k or more.
	if b := string(h.get("/public/city.example/data/realtime.csv").body); b != "active_visitors\n10\n" {
		t.Errorf("realtime: %q", b)
	}
	h.rt.n = 29
	if b := string(h.get("/public/city.example/data/realtime.csv").body); b != "active_visitors\n20\n" {
		t.Errorf("realtime: %q", b)
	}
	h.rt.n = 3
	if b := string(h.get("/public/city.example/data/realtime.csv").body); b != "active_visitors\n" {
		t.Errorf("realtime below k: %q", b)
	}
}

// FuzzPublicRoutes: whatever the site, file and language asked for, the
// answer is a page or file of a public site, or a 4xx — never an error of
// the server, and never a private site's data.
func FuzzPublicRoutes(f *testing.F) {
	for _, s := range []string{"city.example|daily.csv|en", "private.example|index.json|ja", "..|..|..", "city.example|%2e%2e%2fx|", "CITY.example|pages-7-days.json|ja-JP"} {
		f.Add(s)
	}
	h := newHarness(f, f.TempDir())
	f.Fuzz(func(t *testing.T, in string) {
		parts := strings.SplitN(in, "|", 3)
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		site, file := url.PathEscape(parts[0]), url.PathEscape(parts[1])
		for _, p := range []string{"/public/" + site + "?lang=" + url.QueryEscape(parts[2]), "/public/" + site + "/data/" + file} {
			if len(p) > 1000 {
				continue
			}
			req := httptest.NewRequest("GET", "http://x"+p, nil)
			res, err := h.app.Test(req, -1)
			if err != nil {
				continue
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK && (res.StatusCode < 400 || res.StatusCode >= 500) {
				t.Errorf("%s: status %d", p, res.StatusCode)
			}
			if res.StatusCode == http.StatusOK && strings.Contains(p, privateSite) {
				t.Errorf("%s: a private site answered", p)
			}
		}
	})
}

// TestNewSiteWaits: a site that began counting recently says when its
// first figures will come; then it shows only the weeks since it began
// (not weeks of zeros from before), and says when the first lists and
// months will come.
func TestNewSiteWaits(t *testing.T) {
	h := newHarness(t, t.TempDir())
	page := string(h.get("/public/" + newSite + "?lang=ja").body)
	if !strings.Contains(page, "最初の集計は、最初の1週間（月曜日から日曜日）が終わった後の2026年3月23日 01:00に公開します。") ||
		strings.Contains(page, "<svg") || strings.Contains(page, "class=\"card\"") {
		t.Errorf("the page of a site before its first complete week:\n%s", page)
	}
	checkPage(t, []byte(page))

	h.now = (firstDay + 50).Start(tokyo).Add(3 * time.Hour)
	page = string(h.get("/public/" + newSite + "?lang=en").body)
	for _, want := range []string{
		"Figures up to 22 March 2026",
		"The first lists will appear on 13 April 2026 01:00",
		"The first monthly figures will appear on 6 April 2026 01:00",
		"<p class=\"caption\">16 – 22 March 2026</p>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page of a site counting for five days lacks %q", want)
		}
	}
	// One week drawn, in three sizes: five columns (Monday and Tuesday
	// are zeros), and none of the weeks before.
	if n := strings.Count(page, "<rect"); n != 3*5 {
		t.Errorf("%d columns drawn, want 5 in each of three drawings", n)
	}
	if strings.Contains(page, ">9 Mar<") || strings.Contains(page, "data-report=\"pages-28-days\"") {
		t.Error("the page shows a week before counting began, or lists of a period before it")
	}
	checkPage(t, []byte(page))
}
