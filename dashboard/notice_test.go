package dashboard

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/dashboard/admin"
)

// TestNoticePage shows a site's privacy notice to its viewers in both
// languages, written from the configuration in force, and to no one else.
func TestNoticePage(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	owner := h.setupOwner("owner")
	h.addUser("viewer", map[string]admin.Role{"flag.example": admin.RoleViewer})
	h.addUser("stranger", nil)
	viewer, stranger := h.login("viewer"), h.login("stranger")

	en := viewer.get("/sites/flag.example/privacy-notice?lang=en")
	if en.status != http.StatusOK {
		t.Fatalf("viewer, en: %d %.300s", en.status, en.body)
	}
	for _, want := range []string{"flag.example", "first 24 of its 32 bits", "first 48 of its 128 bits", `id="notice-markdown"`,
		// The HTML to paste, shown escaped in a copy box.
		`id="notice-html"`, `&lt;section class=&#34;shukei-privacy-notice&#34; lang=&#34;en&#34;&gt;`, `&lt;h2&gt;Website analytics&lt;/h2&gt;`} {
		if !strings.Contains(en.body, want) {
			t.Errorf("English notice lacks %q", want)
		}
	}
	ja := owner.get("/sites/flag.example/privacy-notice?lang=ja")
	if ja.status != http.StatusOK || !strings.Contains(ja.body, "先頭の 24 ビット") {
		t.Errorf("owner, ja: %d %.300s", ja.status, ja.body)
	}
	// Publishing switched on in the settings shows in the notice at once.
	if res := owner.post("/sites/flag.example/settings", settingsValues(map[string]string{"public": "on", "min_cell_size": "20"})); res.status != http.StatusSeeOther {
		t.Fatalf("settings: %d %.300s", res.status, res.body)
	}
	if strings.Contains(en.body, "counts below") {
		t.Error("the notice speaks of publishing before the site publishes")
	}
	if res := viewer.get("/sites/flag.example/privacy-notice?lang=en"); !strings.Contains(res.body, "counts below 20 are not shown") {
		t.Errorf("the notice did not follow the settings:\n%.2000s", res.body)
	}

	if res := viewer.get("/sites/flag.example/privacy-notice?lang=fr"); res.status != http.StatusBadRequest {
		t.Errorf("lang=fr: %d, want 400", res.status)
	}
	if res := viewer.get("/sites/flag.example/privacy-notice?lang=%3Cscript%3E"); res.status != http.StatusBadRequest || strings.Contains(res.body, "<script>") {
		t.Errorf("hostile lang: %d", res.status)
	}
	if res := stranger.get("/sites/flag.example/privacy-notice"); res.status != http.StatusForbidden && res.status != http.StatusNotFound {
		t.Errorf("a user without a role on the site: %d", res.status)
	}
	if res := h.client().get("/sites/flag.example/privacy-notice"); res.status == http.StatusOK {
		t.Errorf("anonymous: %d", res.status)
	}
	if res := owner.get("/sites/unknown.example/privacy-notice"); res.status != http.StatusNotFound && res.status != http.StatusForbidden {
		t.Errorf("unknown site: %d", res.status)
	}
}
