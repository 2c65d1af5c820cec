package main

import (
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/site"
)

// TestAsOfRefusesPeriodsNotEnded: -as-of publishes as of noon UTC of the
// date but never after now, and refuses a date that has not begun in a
// site's time zone — the case where the week ending at that date's
// midnight there would be frozen hours before it ended.
func TestAsOfRefusesPeriodsNotEnded(t *testing.T) {
	zone := func(name string) *time.Location {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	east := &site.Site{Domain: "east.example", Location: zone("Pacific/Kiritimati")} // UTC+14
	west := &site.Site{Domain: "west.example", Location: zone("Pacific/Pago_Pago")}  // UTC−11
	now := time.Date(2026, 3, 9, 17, 30, 0, 0, time.UTC)                             // Monday 07:30 on the 10th in Kiritimati, 06:30 on the 9th in Pago Pago

	if got, err := asOfInstant("2026-03-10", now, []*site.Site{east}); err != nil || !got.Equal(now) {
		t.Errorf("as of today in Kiritimati: %v, %v; want now (noon UTC has not come)", got, err)
	}
	if _, err := asOfInstant("2026-03-10", now, []*site.Site{east, west}); err == nil || !strings.Contains(err.Error(), "west.example") {
		t.Errorf("as of tomorrow in Pago Pago: %v, want a refusal naming the site", err)
	}
	if got, err := asOfInstant("2026-03-02", now, []*site.Site{east, west}); err != nil || !got.Equal(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("as of a past date: %v, %v", got, err)
	}
	if got, err := asOfInstant("", now, nil); err != nil || !got.Equal(now) {
		t.Errorf("no -as-of: %v, %v", got, err)
	}
	for _, bad := range []string{"2026-3-1", "tomorrow", "2026-02-30"} {
		if _, err := asOfInstant(bad, now, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
