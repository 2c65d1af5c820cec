package dashboard

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// rulesCounter serves the counts of real compiled rules, the way the
// collector does for the sites it has seen.
type rulesCounter map[string]*urlscrub.Rules

func (r rulesCounter) ScrubCounts(domain string) (uint64, []urlscrub.RuleCount, bool) {
	rules, ok := r[domain]
	if !ok {
		return 0, nil, false
	}
	paths, counts := rules.Counts()
	return paths, counts, true
}

// TestScrubRulesSettings: the rules are validated, saved in their normal
// form, applied to the live site, kept across a restart, and the settings
// page shows how many paths each detector and rule changed.
func TestScrubRulesSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), admin.FileName)
	rules, err := urlscrub.ParseRules([]string{"keep /soshiki/*/0*.html"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"https://a.example/soshiki/3/0312345678.html", "https://a.example/tel/09012345678", "https://a.example/u/alice@example.jp"} {
		if _, err := urlscrub.Scrub(u, &urlscrub.Options{Rules: rules}); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, harnessOpts{adminPath: path, scrub: rulesCounter{"a.example": rules}})
	owner := h.setupOwner("owner")
	h.addSite(owner, "a.example")

	bad := owner.post("/sites/a.example/settings", settingsValues(map[string]string{"scrub_rules": "keep /docs/*\ndrop /x"}))
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "drop /x") {
		t.Errorf("invalid rules: %d %.300s", bad.status, bad.body)
	}
	if s, _ := h.sites.Lookup("a.example"); len(s.ScrubRules) != 0 {
		t.Errorf("refused rules applied: %v", s.ScrubRules)
	}
	res := owner.post("/sites/a.example/settings", settingsValues(map[string]string{"scrub_rules": " KEEP /soshiki/*/0*.html \r\n\r\nscrub /staff/*"}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("settings: %d %.300s", res.status, res.body)
	}
	want := []string{"keep /soshiki/*/0*.html", "scrub /staff/*"}
	if s, _ := h.sites.Lookup("a.example"); !slices.Equal(s.ScrubRules, want) {
		t.Errorf("rules = %q, want %q", s.ScrubRules, want)
	}
	page := owner.get("/sites/a.example/settings")
	for _, frag := range []string{
		`data-scrub="total">3<`, `data-scrub="scrub.kind.phone">1<`, `data-scrub="scrub.kind.email">1<`,
		`data-scrub="keep /soshiki/*/0*.html">1<`, "scrub /staff/*",
	} {
		if !strings.Contains(page.body, frag) {
			t.Errorf("settings page lacks %q", frag)
		}
	}

	// Stored: a restarted server has them.
	_ = h.srv.Stop(t.Context())
	h2 := newHarness(t, harnessOpts{adminPath: path, flagSites: []*site.Site{{Domain: "flag.example", Location: time.UTC}}})
	if s, ok := h2.sites.Lookup("a.example"); !ok || !slices.Equal(s.ScrubRules, want) {
		t.Errorf("after restart: %+v", s)
	}
	// Without a collector the page says where the counts are.
	if body := h2.login("owner").get("/sites/a.example/settings").body; !strings.Contains(body, `id="scrub-counts"`) || strings.Contains(body, `data-scrub=`) {
		t.Error("without a collector, the scrub section should say where the counts are and show none")
	}
}
