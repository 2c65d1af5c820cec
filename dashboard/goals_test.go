package dashboard

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
)

// goalsReq calls the goals API with a bearer token.
func (h *harness) goalsReq(method, path, token, contentType, body string) response {
	h.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return h.client().do(req)
}

func goalNames(t *testing.T, s *site.Site) []string {
	t.Helper()
	var out []string
	for _, g := range s.Goals {
		out = append(out, g.ID+"="+g.Name())
	}
	return out
}

// TestGoals: goals from -goal flags, the settings form and the API make up
// a site's goals; flag goals cannot be deleted; the API finds or creates;
// changes need the admin role; stored goals come back after a restart.
func TestGoals(t *testing.T) {
	path := filepath.Join(t.TempDir(), admin.FileName)
	flagSite := &site.Site{Domain: "flag.example", Location: time.UTC,
		Goals: []site.Goal{{ID: "flag-event:Signup", EventName: "Signup"}}}
	h := newHarness(t, harnessOpts{adminPath: path, flagSites: []*site.Site{flagSite}})
	owner := h.setupOwner("owner")

	// The settings form.
	res := owner.post("/sites/flag.example/goals", url.Values{"goal_type": {"page"}, "page_path": {"docs/*"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add page goal: %d %.300s", res.status, res.body)
	}
	res = owner.post("/sites/flag.example/goals", url.Values{"goal_type": {"event"}, "event_name": {"pageview"}})
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("a goal on page views by event name: %d", res.status)
	}
	page := owner.get("/sites/flag.example/settings")
	for _, want := range []string{"Visit /docs/*", "Signup", "Set by -goal"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("settings page lacks %q", want)
		}
	}

	// The API: list, find-or-create (form and JSON bodies), delete.
	list := h.goalsReq(http.MethodGet, "/api/v1/sites/goals?site_id=flag.example", startupToken, "", "")
	var got struct {
		Goals []struct {
			ID          string  `json:"id"`
			GoalType    string  `json:"goal_type"`
			DisplayName string  `json:"display_name"`
			EventName   *string `json:"event_name"`
			PagePath    *string `json:"page_path"`
		} `json:"goals"`
	}
	if err := json.Unmarshal([]byte(list.body), &got); list.status != http.StatusOK || err != nil || len(got.Goals) != 2 ||
		got.Goals[0].DisplayName != "Signup" || got.Goals[1].PagePath == nil || *got.Goals[1].PagePath != "/docs/*" {
		t.Fatalf("list: %d %s", list.status, list.body)
	}
	put := h.goalsReq(http.MethodPut, "/api/v1/sites/goals", startupToken, "application/x-www-form-urlencoded",
		"site_id=flag.example&goal_type=event&event_name=Purchase&display_name=Bought")
	if put.status != http.StatusOK || !strings.Contains(put.body, `"display_name":"Bought"`) {
		t.Fatalf("put: %d %s", put.status, put.body)
	}
	again := h.goalsReq(http.MethodPut, "/api/v1/sites/goals", startupToken, "application/json",
		`{"site_id":"flag.example","goal_type":"event","event_name":"Purchase"}`)
	if again.status != http.StatusOK || again.body != put.body {
		t.Errorf("find-or-create returned %d %s, first %s", again.status, again.body, put.body)
	}
	var created struct{ ID string }
	_ = json.Unmarshal([]byte(put.body), &created)
	for _, c := range []struct {
		method, path, token, ctype, body string
		status                           int
	}{
		{http.MethodGet, "/api/v1/sites/goals?site_id=flag.example", "", "", "", http.StatusUnauthorized},
		{http.MethodGet, "/api/v1/sites/goals?site_id=other.example", startupToken, "", "", http.StatusUnauthorized},
		{http.MethodGet, "/api/v1/sites/goals", startupToken, "", "", http.StatusBadRequest},
		{http.MethodPut, "/api/v1/sites/goals", startupToken, "application/json", `{"site_id":"flag.example","goal_type":"click"}`, http.StatusBadRequest},
		{http.MethodPut, "/api/v1/sites/goals", startupToken, "application/json", `{"site_id":"flag.example","goal_type":"page","page_path":"/x","display_name":"Signup"}`, http.StatusBadRequest},
		{http.MethodPut, "/api/v1/sites/goals", startupToken, "application/json", `[1]`, http.StatusBadRequest},
		{http.MethodDelete, "/api/v1/sites/goals/flag-event:Signup", startupToken, "application/json", `{"site_id":"flag.example"}`, http.StatusConflict},
		{http.MethodDelete, "/api/v1/sites/goals/999", startupToken, "application/json", `{"site_id":"flag.example"}`, http.StatusNotFound},
		{http.MethodDelete, "/api/v1/sites/goals/" + created.ID, startupToken, "application/x-www-form-urlencoded", "site_id=flag.example", http.StatusOK},
	} {
		if r := h.goalsReq(c.method, c.path, c.token, c.ctype, c.body); r.status != c.status {
			t.Errorf("%s %s %s: %d %s, want %d", c.method, c.path, c.body, r.status, r.body, c.status)
		}
	}
	s, _ := h.sites.Lookup("flag.example")
	if names := strings.Join(goalNames(t, s), ","); !strings.HasPrefix(names, "flag-event:Signup=Signup,") || !strings.HasSuffix(names, "=Visit /docs/*") {
		t.Errorf("goals after the changes: %s", names)
	}

	// A viewer may read the goals but not change them.
	h.addUser("viewer", map[string]admin.Role{"flag.example": admin.RoleViewer})
	viewer := h.login("viewer")
	if r := viewer.post("/sites/flag.example/goals", url.Values{"goal_type": {"event"}, "event_name": {"X"}}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
		t.Errorf("a viewer added a goal: %d", r.status)
	}

	// Stored goals come back, after the flag's.
	if err := h.srv.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	h2 := newHarness(t, harnessOpts{adminPath: path, flagSites: []*site.Site{flagSite}})
	s, _ = h2.sites.Lookup("flag.example")
	if names := strings.Join(goalNames(t, s), ","); !strings.HasPrefix(names, "flag-event:Signup=Signup,") || !strings.HasSuffix(names, "=Visit /docs/*") || len(s.Goals) != 2 {
		t.Errorf("goals after a restart: %s", names)
	}
}
