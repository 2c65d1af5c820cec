package public

import (
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/site"
)

// checkAgeing: the windows stated are the site's policy, the job merges
// to hours and to days when they end, and the detail the claim says is
// removed is removed exactly when it says so.
func checkAgeing(t *testing.T, c NoticeConfig, lang, text string) {
	pol := c.Site.AgeingPolicy()
	hours, days := span(pol.MinuteFor, lang, false), span(pol.HourFor, lang, true)
	mustContain(t, text, words(lang, "minute of the visit for "+hours, "閲覧から "+hours+"は"),
		words(lang, "after "+days+" into one per day", days+"を経過した後は1日ごと"))
	removed := words(lang, "versions", "バージョン")
	if pol.Generalise() {
		mustContain(t, text, removed, words(lang, "screen size class are removed", "画面の大きさの区分を削除"))
	} else {
		mustNotContain(t, text, removed)
	}
	loc := c.Site.Location
	if loc == nil {
		loc = time.UTC
	}
	mustContain(t, text, loc.String())
	// What the job promises for this site at a moment: rows merged to
	// hours once the minute window is over (within the hour), to days once
	// the hour window is (within the day), and generalised as stated.
	st := &site.Site{Domain: c.Site.Domain, Location: loc, Ageing: c.Site.Ageing}
	now := time.Date(2026, 7, 20, 15, 30, 0, 0, loc)
	s := ageing.Target(st, ageing.State{}, now)
	if got := now.Sub(s.HourBefore); got < pol.MinuteFor || got >= pol.MinuteFor+time.Hour {
		t.Errorf("rows are merged to hours %v after the visit, the notice says %s", got, hours)
	}
	if got := now.Sub(s.DayBefore); got < pol.HourFor || got >= pol.HourFor+24*time.Hour {
		t.Errorf("rows are merged to days %v after the visit, the notice says %s", got, days)
	}
	if generalised := !s.GeneralBefore.IsZero(); generalised != pol.Generalise() {
		t.Errorf("the job generalises: %v, the notice says %v", generalised, pol.Generalise())
	}
	if s.Location.String() != loc.String() {
		t.Errorf("hours and days of %s, the notice says %s", s.Location, loc)
	}
}
