package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

func settingsValues(overrides map[string]string) url.Values {
	v := url.Values{"timezone": {"Asia/Tokyo"}, "allowed_hostnames": {"a.example\nwww.a.example"}, "respect_gpc": {"on"},
		"public": {"on"}, "min_cell_size": {"5"}, "epsilon": {"0.5"}, "round_to": {"10"}, "retention_months": {"24"}}
	for k, val := range overrides {
		if val == "" {
			v.Del(k)
		} else {
			v.Set(k, val)
		}
	}
	return v
}

func TestSitesAreAddedConfiguredPersistedAndRemoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), admin.FileName)
	flagSite := &site.Site{Domain: "flag.example", Location: time.UTC}
	fixed := &site.Site{Domain: "fixed.example", Location: time.UTC}
	h := newHarness(t, harnessOpts{adminPath: path, flagSites: []*site.Site{flagSite, fixed}, fixedZones: []string{"fixed.example"}})
	owner := h.setupOwner("owner")
	h.addSite(owner, "HTTPS://City.Example.JP/")
	s, ok := h.sites.Lookup("city.example.jp")
	if !ok || s.Location.String() != "Asia/Tokyo" {
		t.Fatalf("added site: %v %+v", ok, s)
	}
	if res := owner.post("/add-site", url.Values{"domain": {"city.example.jp"}, "timezone": {"UTC"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("duplicate site: %d", res.status)
	}
	res := owner.post("/sites/city.example.jp/settings", settingsValues(map[string]string{"timezone": "Europe/Berlin"}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("settings: %d %.300s", res.status, res.body)
	}
	s, _ = h.sites.Lookup("city.example.jp")
	want := site.Publishing{Public: true, MinCellSize: 5, Epsilon: 0.5, RoundTo: 10}
	if s.Location.String() != "Europe/Berlin" || !s.RespectGPC || s.Publish != want || s.RetentionMonths != 24 || len(s.AllowedHostnames) != 2 {
		t.Errorf("settings applied: %+v", s)
	}
	// A flag site given without a zone takes the one set here; one whose
	// flag gave its zone keeps it. Their other settings apply.
	owner.post("/sites/flag.example/settings", settingsValues(map[string]string{"timezone": "Asia/Tokyo", "public": ""}))
	fs, _ := h.sites.Lookup("flag.example")
	if fs.Location.String() != "Asia/Tokyo" || !fs.RespectGPC || fs.Publish.Public {
		t.Errorf("flag site settings: %+v", fs)
	}
	owner.post("/sites/fixed.example/settings", settingsValues(map[string]string{"timezone": "Asia/Tokyo", "public": ""}))
	if fx, _ := h.sites.Lookup("fixed.example"); fx.Location != time.UTC || !fx.RespectGPC {
		t.Errorf("fixed-zone flag site settings: %+v", fx)
	}
	if page := owner.get("/sites/fixed.example/settings"); !strings.Contains(page.body, `value="UTC" readonly`) {
		t.Error("the fixed zone is not read-only on the settings page")
	}
	if page := owner.get("/sites/flag.example/settings"); strings.Contains(page.body, `readonly aria-describedby="tz-help"`) {
		t.Error("the zone of a flag site without one is read-only")
	}
	if res := owner.post("/sites/flag.example/remove", url.Values{"confirm": {"flag.example"}}); res.status != http.StatusConflict {
		t.Errorf("removing a flag site: %d", res.status)
	}
	// The snippet names the site and honours GPC.
	page := owner.get("/sites/city.example.jp/settings?outbound=on")
	if !strings.Contains(page.body, `data-domain=&#34;city.example.jp&#34;`) || !strings.Contains(page.body, "data-respect-gpc") ||
		!strings.Contains(page.body, "http://"+testHost+"/js/script.outbound-links.js") {
		t.Errorf("snippet: %.2000s", page.body[strings.Index(page.body, "snippet-script"):])
	}

	// A restarted server loads the dashboard's sites and the flag site's settings.
	if err := h.srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	flagGoals := []site.Goal{{ID: "flag-1", EventName: "Signup"}}
	h2 := newHarness(t, harnessOpts{adminPath: path, flagSites: []*site.Site{{Domain: "flag.example", Location: time.UTC, Goals: flagGoals}, {Domain: "fixed.example", Location: time.UTC}},
		fixedZones: []string{"fixed.example"}})
	s2, ok := h2.sites.Lookup("city.example.jp")
	if !ok || s2.Location.String() != "Europe/Berlin" || s2.Publish != want {
		t.Errorf("after restart: %v %+v", ok, s2)
	}
	if fs, _ := h2.sites.Lookup("flag.example"); !fs.RespectGPC || fs.Location.String() != "Asia/Tokyo" || len(fs.Goals) != 1 || fs.Goals[0].EventName != "Signup" {
		t.Errorf("flag site settings lost at restart: %+v", fs)
	}
	if fx, _ := h2.sites.Lookup("fixed.example"); fx.Location != time.UTC {
		t.Errorf("a fixed zone changed at restart: %v", fx.Location)
	}
	owner2 := h2.login("owner")
	if res := owner2.post("/sites/city.example.jp/remove", url.Values{"confirm": {"wrong.example"}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("remove without confirmation: %d", res.status)
	}
	if res := owner2.post("/sites/city.example.jp/remove", url.Values{"confirm": {"city.example.jp"}}); res.status != http.StatusSeeOther {
		t.Errorf("remove: %d", res.status)
	}
	if _, ok := h2.sites.Lookup("city.example.jp"); ok {
		t.Error("removed site still counted")
	}
	if recs, _ := h2.srv.Admin().Sites(context.Background()); len(recs) != 2 || recs[0].Domain == "city.example.jp" || recs[1].Domain == "city.example.jp" {
		t.Errorf("records after removal: %d, want the two flag sites'", len(recs))
	}
}

func TestSettingsRefuseBadInput(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	owner := h.setupOwner("owner")
	h.addSite(owner, "a.example")
	before, _ := h.sites.Lookup("a.example")
	for name, o := range map[string]map[string]string{
		"zone":          {"timezone": "Mars/Olympus"},
		"zone file":     {"timezone": "../../etc/passwd"},
		"local zone":    {"timezone": "Local"},
		"hostname":      {"allowed_hostnames": "exa mple.org/<script>"},
		"hostname list": {"allowed_hostnames": strings.Repeat("h.example\n", 60)},
		"k":             {"min_cell_size": "1"},
		"k large":       {"min_cell_size": "100000"},
		"k text":        {"min_cell_size": "ten"},
		"epsilon":       {"epsilon": "-1"},
		"epsilon nan":   {"epsilon": "NaN"},
		"epsilon inf":   {"epsilon": "+Inf"},
		"round":         {"round_to": "3"},
		"retention":     {"retention_months": "1000"},
		"retention neg": {"retention_months": "-2"},
	} {
		res := owner.post("/sites/a.example/settings", settingsValues(o))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `role="alert"`) {
			t.Errorf("%s: %d", name, res.status)
		}
	}
	if after, _ := h.sites.Lookup("a.example"); after != before {
		t.Error("refused settings changed the site")
	}
	for _, bad := range []string{"", "a..b", "-", "exa mple.org", "<script>.example", strings.Repeat("a", 300)} {
		if res := owner.post("/add-site", url.Values{"domain": {bad}, "timezone": {"UTC"}}); res.status != http.StatusUnprocessableEntity {
			t.Errorf("add site %q: %d", bad, res.status)
		}
	}
	// An oversized form is refused before any handler (over a real
	// connection: fiber's in-process test refuses it itself).
	base := h.serve()
	big := url.Values{"_csrf": {owner.csrf}, "domain": {strings.Repeat("a", route.MaxRequestBytes)}}
	req, _ := http.NewRequest(http.MethodPost, base+"/add-site", strings.NewReader(big.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "__Host-shukei_session", Value: owner.cookies["__Host-shukei_session"]})
	if res, err := http.DefaultClient.Do(req); err == nil {
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized form: %d", res.StatusCode)
		}
		res.Body.Close()
	}
	if len(h.sites.All()) != 2 {
		t.Errorf("%d sites after bad input", len(h.sites.All()))
	}
}

func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/sites/a", "//evil.example", "/\\evil", "https://evil.example/", "/login?next=/x", "/%2F%2Fevil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := localPath(s)
		u, err := url.Parse(p)
		if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
			t.Fatalf("localPath(%q) = %q leaves the site", s, p)
		}
	})
}

func FuzzParseHostnames(f *testing.F) {
	for _, s := range []string{"a.example\nb.example", "", "x y,z", "<script>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		hosts, err := parseHostnames(s)
		if err != nil {
			return
		}
		if len(hosts) > maxHostnames {
			t.Fatalf("%d hosts", len(hosts))
		}
		for _, h := range hosts {
			if site.ValidateDomain(h) != nil {
				t.Fatalf("invalid host %q accepted", h)
			}
		}
	})
}

// TestWelcomeAfterSetup: the new owner is sent to the site the server
// already counts (-site), not asked to add a first site.
func TestWelcomeAfterSetup(t *testing.T) {
	for _, tc := range []struct {
		flags []*site.Site
		want  string
	}{
		{[]*site.Site{}, "/add-site?notice=notice.welcome"},
		{[]*site.Site{{Domain: "flag.example", Location: time.UTC}}, "/sites/flag.example?notice=notice.welcome_site"},
		{[]*site.Site{{Domain: "a.example", Location: time.UTC}, {Domain: "b.example", Location: time.UTC}}, "/sites?notice=notice.welcome_sites"},
	} {
		h := newHarness(t, harnessOpts{flagSites: tc.flags})
		c := h.client()
		c.get("/setup")
		res := c.post("/setup", url.Values{"code": {h.srv.SetupCode()}, "username": {"owner"}, "password": {testPassword}, "password2": {testPassword}})
		if res.location != tc.want {
			t.Errorf("%d sites: setup sends to %q, want %q", len(tc.flags), res.location, tc.want)
		}
		page := c.get(tc.want)
		notice, _, _ := strings.Cut(page.body[strings.Index(page.body, `<p class="notice"`)+1:], "</p>")
		if page.status != http.StatusOK || strings.Contains(notice, "Add your first site") != (len(tc.flags) == 0) {
			t.Errorf("%d sites: the welcome page (%d) says %q", len(tc.flags), page.status, notice)
		}
	}
}
