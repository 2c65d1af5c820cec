package dashboard

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/dashboard/i18n"
)

// TestTemplatesKeepTheCSP: no inline script, no inline style, no event
// handler attributes, no external URL in any template — the
// Content-Security-Policy would block them, and their absence is what lets
// it be strict.
func TestTemplatesKeepTheCSP(t *testing.T) {
	bad := map[string]*regexp.Regexp{
		"inline script":   regexp.MustCompile(`<script`),
		"style attribute": regexp.MustCompile(`\sstyle\s*=`),
		"style element":   regexp.MustCompile(`<style`),
		"event handler":   regexp.MustCompile(`\son[a-z]+\s*=`),
		"external URL":    regexp.MustCompile(`(?:src|href)="(?:https?:)?//`),
		"javascript: URL": regexp.MustCompile(`javascript:`),
	}
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFiles.ReadFile(p)
		text := string(b)
		// The dashboard's configuration is a JSON data block, not a script.
		text = strings.ReplaceAll(text, `<script type="application/json" id="board-config">{{$p.Config}}</script>`, "")
		// Scripts load from the embedded assets only.
		text = regexp.MustCompile(`<script type="module" src="\{\{asset "js/[a-z]+\.js"\}\}"></script>`).ReplaceAllString(text, "")
		for name, re := range bad {
			if loc := re.FindStringIndex(text); loc != nil {
				t.Errorf("%s: %s at %q", p, name, text[loc[0]:min(len(text), loc[1]+30)])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestScriptsBuildNoMarkup: the scripts never parse strings as HTML (the
// CSP's Trusted Types would throw, and it is the XSS door).
func TestScriptsBuildNoMarkup(t *testing.T) {
	bad := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function|setAttribute\('on|\.style\.cssText|setAttribute\('style'`)
	err := fs.WalkDir(assetFiles, "assets/js", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := assetFiles.ReadFile(p)
		if m := bad.Find(b); m != nil {
			t.Errorf("%s uses %s", p, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMessagesExist: every message the templates and scripts name is in
// the catalogs (i18n tests that both catalogs have the same keys).
func TestMessagesExist(t *testing.T) {
	cats, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := cats["en"]
	check := func(file, key string) {
		if !en.Has(key) {
			t.Errorf("%s names missing message %q", file, key)
		}
	}
	tpl := regexp.MustCompile(`\{\{t "([^"]+)"`)
	_ = fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := templateFiles.ReadFile(p)
			for _, m := range tpl.FindAllStringSubmatch(string(b), -1) {
				check(p, m[1])
			}
		}
		return err
	})
	js := regexp.MustCompile(`\bt\('([a-z_]+\.[a-z_.:]+)'`)
	_ = fs.WalkDir(assetFiles, "assets/js", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := assetFiles.ReadFile(p)
			for _, m := range js.FindAllStringSubmatch(string(b), -1) {
				check(p, m[1])
			}
		}
		return err
	})
	// Keys the scripts build from names.
	for _, prefix := range []string{"metric.", "dim.", "tab.", "panel.", "period.", "interval.", "op.", "filters.chip.", "change."} {
		found := false
		for _, k := range en.Keys() {
			found = found || strings.HasPrefix(k, prefix)
		}
		if !found {
			t.Errorf("no messages %s*", prefix)
		}
	}
	for _, k := range []string{"metric.visitors", "metric.visits", "metric.pageviews", "metric.views_per_visit", "metric.bounce_rate",
		"metric.visit_duration", "metric.time_on_page", "metric.events", "board.realtime.one", "board.realtime.other",
		"change.up", "change.down", "change.flat", "role.viewer", "role.admin", "role.owner", "role.none"} {
		check("scripts", k)
	}
	for _, d := range []string{"event:page", "visit:entry_page", "visit:exit_page", "visit:source", "visit:referrer", "visit:country",
		"visit:region", "visit:browser", "visit:os", "visit:device", "visit:screen", "visit:language", "event:goal", "event:name", "event:search_term"} {
		check("panels", "dim."+d)
	}
}

// TestAssetSizes reports the embedded assets' size (a figure of the issue)
// and keeps it within a budget: the dashboard must load fast on a slow
// government network.
func TestAssetSizes(t *testing.T) {
	as, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	raw, gz := as.Sizes()
	var tplRaw int
	_ = fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := templateFiles.ReadFile(p)
			tplRaw += len(b)
		}
		return err
	})
	t.Logf("embedded assets: %d files, %d bytes raw, %d bytes gzipped; templates %d bytes", len(as.files), raw, gz, tplRaw)
	// The country map is fetched only when its tab is opened: it has a
	// budget of its own, outside the page's.
	mapGz := len(as.files["map/world.json"].gz)
	t.Logf("of which the country map (loaded on demand): %d bytes raw, %d bytes gzipped", len(as.files["map/world.json"].body), mapGz)
	const budget, mapBudget = 40 << 10, 16 << 10
	if gz-mapGz > budget {
		t.Errorf("assets are %d bytes gzipped without the map, over the %d budget", gz-mapGz, budget)
	}
	if mapGz > mapBudget {
		t.Errorf("the map is %d bytes gzipped, over its %d budget", mapGz, mapBudget)
	}
}

// TestRefusedMetricsMatchTheDocs: the table the dashboard uses for "—"
// comes from the query model and has the documented refusals.
func TestRefusedMetricsMatchTheDocs(t *testing.T) {
	r := refusedMetrics()
	has := func(dim, m string) bool {
		for _, x := range r[dim] {
			if x == m {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		dim, metric string
		want        bool
	}{
		{"event:page", "visits", true}, {"event:page", "visit_duration", true}, {"event:page", "bounce_rate", false},
		{"event:page", "visitors", false}, {"event:name", "bounce_rate", true}, {"event:name", "events", false},
		{"visit:exit_page", "visitors", true}, {"visit:exit_page", "visits", false},
		{"event:search_term", "visitors", true}, {"event:search_term", "pageviews", false},
		{"visit:country", "visit_duration", false}, {"visit:source", "visits", false},
	} {
		if has(c.dim, c.metric) != c.want {
			t.Errorf("%s with %s refused = %v, want %v", c.metric, c.dim, !c.want, c.want)
		}
	}
}
