package dashboard

import (
	"html"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/i18n"
)

// TestPublishingExplainedAndLinked: the settings explain every publishing
// rule in one sentence with a recommended value, in both languages; once
// the site publishes, its settings link the public page in both languages
// and the open-data files, and its dashboard links the page for every
// viewer; before, the settings say where the page will be.
func TestPublishingExplainedAndLinked(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	owner := h.setupOwner("owner")
	h.addUser("viewer", map[string]admin.Role{"flag.example": admin.RoleViewer})
	viewer := h.login("viewer")
	cats, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	recommended := map[string]string{"en": "Recommended", "ja": "推奨"}
	for _, lang := range []string{"en", "ja"} {
		owner.cookies["lang"] = lang
		page := owner.get("/sites/flag.example/settings")
		if page.status != http.StatusOK {
			t.Fatalf("%s settings: %d", lang, page.status)
		}
		body := html.UnescapeString(page.body)
		for _, key := range []string{"settings.public_help", "settings.min_cell_help", "settings.epsilon_help", "settings.round_help"} {
			msg := cats[lang].T(key, "domain", "flag.example")
			if !strings.Contains(msg, recommended[lang]) {
				t.Errorf("%s %s gives no recommended value: %q", lang, key, msg)
			}
			if !strings.Contains(body, msg) {
				t.Errorf("%s settings lack %s", lang, key)
			}
		}
		if !strings.Contains(body, "/public/flag.example") || strings.Contains(body, `href="/public/flag.example`) {
			t.Errorf("%s: before publishing, the settings should name the future address without linking it", lang)
		}
	}
	owner.cookies["lang"] = "en"
	if board := viewer.get("/sites/flag.example"); strings.Contains(board.body, `id="public-link"`) {
		t.Error("the dashboard links a public page the site does not publish")
	}

	if res := owner.post("/sites/flag.example/settings", settingsValues(map[string]string{"public": "on"})); res.status != http.StatusSeeOther {
		t.Fatalf("settings: %d %.300s", res.status, res.body)
	}
	page := owner.get("/sites/flag.example/settings")
	for _, href := range []string{"/public/flag.example?lang=en", "/public/flag.example?lang=ja",
		"/public/flag.example/data/index.json", "/public/flag.example/data/daily.csv", "/public/flag.example/data/monthly.csv"} {
		if !strings.Contains(page.body, `href="`+href+`"`) {
			t.Errorf("the settings do not link %s", href)
		}
	}
	// The linked files are reports of the catalogue.
	for _, r := range []string{opendata.DailyReport, opendata.MonthlyReport} {
		if !slices.Contains(opendata.ReportNames(), r) {
			t.Errorf("the settings link %s, which is not a report", r)
		}
	}
	if board := viewer.get("/sites/flag.example"); !strings.Contains(board.body, `href="/public/flag.example" id="public-link"`) {
		t.Error("the dashboard does not link the public page")
	}
}
