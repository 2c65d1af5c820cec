package dashboard

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shukei-analytics/shukei/dashboard/dashtest"
)

// TestSharedLink: a site admin creates a password-protected shared link;
// a colleague without an account opens it in another browser, is held at
// the password (wrong ones limited), then reads the dashboard and nothing
// else — no settings, no other site, no goal changes —; revoking the link
// closes it at once.
func TestSharedLink(t *testing.T) {
	h, base := layoutHarness(t)
	owner := dashtest.New(t, base, "en-US", "")
	owner.SignIn("owner", testPassword)
	owner.Navigate("/sites/" + layoutSite + "/settings")
	owner.SubmitForm(map[string]string{"#share-name": "Public relations", "#share-password": "kouhou-ka 2026 share"}, `#shared-links button[type=submit].primary`)
	owner.WaitFor(`document.getElementById('share-url') !== null`)
	link := strings.TrimSpace(dashtest.Eval[string](owner, `document.getElementById('share-url').textContent`))
	if !strings.HasPrefix(link, base+"/share/"+layoutSite+"?auth=") {
		t.Fatalf("the new link: %q", link)
	}
	owner.ScreenshotOf("#shared-links", "share-created")
	secret := link[strings.Index(link, "auth=")+len("auth="):]
	if rows := dashtest.Eval[string](owner, `document.querySelector('#shared-links tbody').textContent`); !strings.Contains(rows, "Public relations") || strings.Contains(rows, secret) {
		t.Errorf("the links table: %q", rows)
	}

	guest := dashtest.New(t, base, "en-US", "")
	guest.Do(chromedp.Navigate(link))
	guest.WaitFor(`document.getElementById('password') !== null`)
	// submit sends the password and waits for the next page.
	submit := func(password string) {
		guest.Do(chromedp.Evaluate[chromedp.Void](`document.body.dataset.sent = '1'`))
		guest.SubmitForm(map[string]string{"#password": password}, `button[type=submit].primary`)
		guest.WaitFor(`document.readyState === 'complete' && document.body && document.body.dataset.sent !== '1'`)
	}
	for i := range shareTries {
		submit("wrong password " + itoa(int64(i)))
		if e := dashtest.Eval[string](guest, `(document.getElementById('form-error') || {}).textContent || ''`); !strings.Contains(e, "The password is wrong") {
			t.Fatalf("wrong password %d: %q", i, e)
		}
	}
	// One more than allowed: limited, even the right password.
	submit("kouhou-ka 2026 share")
	if e := dashtest.Eval[string](guest, `(document.getElementById('form-error') || {}).textContent || ''`); !strings.Contains(e, "minute") {
		t.Errorf("after %d wrong passwords: %q", shareTries, e)
	}
	h.clock.Add(limitWindow + time.Minute)
	guest.Do(chromedp.Navigate(link))
	guest.WaitFor(`document.getElementById('password') !== null`)
	submit("kouhou-ka 2026 share")
	guest.WaitLoaded(1)
	visitors := dashtest.Eval[string](guest, `document.querySelector('#cards .card[data-metric="visitors"] .value').textContent`)
	if visitors == "" || visitors == "0" {
		t.Errorf("the shared dashboard shows %q visitors", visitors)
	}
	if n := dashtest.Eval[int](guest, `document.querySelectorAll('a[href$="/settings"], #verify-form').length`); n != 0 {
		t.Errorf("the shared view links the settings or the installation check (%d)", n)
	}
	guest.Screenshot("share-guest")
	// A filter keeps the secret in the address: the filtered view reloads.
	guest.Do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-panel="locations"] a[data-filter="JP"]').click()`))
	guest.WaitLoaded(2)
	guest.Do(chromedp.Reload())
	guest.WaitLoaded(1)
	if q := dashtest.Eval[string](guest, `location.search`); !strings.Contains(q, "auth="+secret) || !strings.Contains(q, "f=is%7Cvisit%3Acountry%7CJP") {
		t.Errorf("a filtered shared view: %s", q)
	}
	guest.CheckClean()

	// The secret reads this site's statistics and nothing else.
	api := func(method, path, body string) int {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set(shareHeader, secret)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// Without the password's cookie, even its own site is closed.
	if s := api(http.MethodPost, "/api/v2/query", `{"site_id":"`+layoutSite+`","metrics":["visitors"],"date_range":"7d"}`); s != http.StatusUnauthorized {
		t.Errorf("the secret alone, without the password: %d", s)
	}
	if s := api(http.MethodPut, "/api/v1/sites/goals", `{"site_id":"`+layoutSite+`","goal_type":"event","event_name":"X"}`); s != http.StatusUnauthorized {
		t.Errorf("a goal created with the secret: %d", s)
	}
	if s := dashtest.Eval[int](guest, `(() => { const x = new XMLHttpRequest(); x.open('POST', '/api/v2/query', false); x.setRequestHeader('Content-Type', 'application/json'); x.setRequestHeader('X-Shukei-Share', `+dashtest.JSString(secret)+`); x.send('{"site_id":"flag.example","metrics":["visitors"],"date_range":"7d"}'); return x.status })()`); s != http.StatusForbidden && s != http.StatusNotFound && s != http.StatusUnauthorized {
		t.Errorf("another site's statistics with the secret: %d", s)
	}
	guest.Navigate("/sites/" + layoutSite + "/settings")
	if p := dashtest.Eval[string](guest, `location.pathname`); p != "/login" {
		t.Errorf("the settings from the shared view: %s", p)
	}

	// Revoked: the link opens nothing any more.
	owner.Navigate("/sites/" + layoutSite + "/settings")
	owner.SubmitForm(nil, `form[action$="/revoke"] button`)
	owner.WaitFor(`location.search.includes('notice.share_revoked')`)
	guest.Do(chromedp.Navigate(link))
	if body := dashtest.Eval[string](guest, `document.body.textContent`); !strings.Contains(body, "was revoked") {
		t.Errorf("a revoked link shows: %.200s", body)
	}
}
