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
)

// TestPropKeySettings: the kept custom property keys are validated, saved
// in their normal form, applied to the live site and kept across a
// restart.
func TestPropKeySettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), admin.FileName)
	h := newHarness(t, harnessOpts{adminPath: path})
	owner := h.setupOwner("owner")
	h.addSite(owner, "a.example")

	bad := owner.post("/sites/a.example/settings", settingsValues(map[string]string{"prop_keys": strings.Repeat("k", 70)}))
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "64") {
		t.Errorf("invalid key: %d %.300s", bad.status, bad.body)
	}
	if s, _ := h.sites.Lookup("a.example"); len(s.PropKeys) != 0 {
		t.Errorf("refused keys applied: %v", s.PropKeys)
	}
	res := owner.post("/sites/a.example/settings", settingsValues(map[string]string{"prop_keys": " author \r\n\r\nplan, author"}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("settings: %d %.300s", res.status, res.body)
	}
	want := []string{"author", "plan"}
	if s, _ := h.sites.Lookup("a.example"); !slices.Equal(s.PropKeys, want) {
		t.Errorf("keys = %q, want %q", s.PropKeys, want)
	}
	if page := owner.get("/sites/a.example/settings"); !strings.Contains(page.body, "author\nplan</textarea>") {
		t.Errorf("settings page does not show the keys")
	}
	_ = h.srv.Stop(t.Context())
	h2 := newHarness(t, harnessOpts{adminPath: path, flagSites: []*site.Site{{Domain: "flag.example", Location: time.UTC}}})
	if s, ok := h2.sites.Lookup("a.example"); !ok || !slices.Equal(s.PropKeys, want) {
		t.Errorf("after restart: %+v", s)
	}
}
