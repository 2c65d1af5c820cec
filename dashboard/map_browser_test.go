package dashboard

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/dashboard/dashtest"
)

// TestCountryMap: the Locations panel's Map tab colours each country by
// its visitors, with the numbers the Countries tab shows, from the
// server's own map file (no tile or script from elsewhere), and a click on
// a country filters the dashboard by it.
func TestCountryMap(t *testing.T) {
	_, base := layoutHarness(t)
	b := dashtest.New(t, base, "en-US", "")
	b.SignIn("owner", testPassword)
	b.Navigate("/sites/" + layoutSite + "?period=30d")
	b.WaitLoaded(1)
	idle := `document.querySelectorAll('.panel-body[aria-busy="true"], .map[aria-busy="true"]').length === 0`
	b.WaitFor(idle)
	table := dashtest.Eval[[]string](b, `[...document.querySelectorAll('[data-panel="locations"] tbody tr')].map(r => r.querySelector('a[data-filter]').dataset.filter + '=' + r.querySelector('[data-metric="visitors"]').dataset.value)`)
	if len(table) < 3 {
		t.Fatalf("the countries tab lists %q", table)
	}
	b.Do(chromedp.Click(chromedp.CSS(`[data-panel="locations"] [data-tab="map"]`)))
	b.WaitFor(`document.querySelector('.map svg path') !== null && ` + idle)
	drawn := dashtest.Eval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll('.map path[data-visitors]:not([data-visitors="0"])')].map(p => [p.dataset.country, p.dataset.visitors + ' ' + p.getAttribute('class')]))`)
	top := 0
	for _, row := range table {
		code, n, _ := strings.Cut(row, "=")
		got, _, _ := strings.Cut(drawn[code], " ")
		if got != n {
			t.Errorf("%s: the map says %q visitors, the table %s", code, got, n)
		}
		v, _ := strconv.Atoi(n)
		top = max(top, v)
	}
	for code, v := range drawn {
		if n, class, _ := strings.Cut(v, " "); n == strconv.Itoa(top) && class != "m5" {
			t.Errorf("%s, the country with the most visitors, is drawn %s", code, class)
		}
	}
	if n := dashtest.Eval[int](b, `document.querySelectorAll('.map path').length`); n < 150 {
		t.Errorf("the map draws %d countries", n)
	}
	for _, p := range b.CheckLayout(dashtest.LayoutRules{}) {
		t.Errorf("layout with the map: %s", p)
	}
	b.ScreenshotOf(`[data-panel="locations"]`, "map-en-desktop")

	// Japan, reached with the keyboard (its islands leave the middle of
	// its box at sea for a pointer), filters every panel by it.
	b.Do(chromedp.Focus(chromedp.CSS(`.map path[data-country="JP"]`)), chromedp.KeyEvent("\r"))
	b.WaitLoaded(2)
	if q := dashtest.Eval[string](b, `location.search`); !strings.Contains(q, "f=is%7Cvisit%3Acountry%7CJP") {
		t.Errorf("clicking Japan on the map: %s", q)
	}
	b.CheckClean()
}
