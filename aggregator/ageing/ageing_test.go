package ageing

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/site"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestTarget(t *testing.T) {
	kolkata := zone(t, "Asia/Kolkata")
	st := &site.Site{Domain: "a.example", Location: kolkata}
	now := time.Date(2024, 4, 6, 12, 7, 0, 0, time.UTC) // 17:37 in Kolkata
	got := Target(st, State{}, now)
	want := State{
		Location:        kolkata,
		HourBefore:      time.Date(2024, 4, 4, 11, 30, 0, 0, time.UTC), // 17:00 local, 48 h back
		DayBefore:       time.Date(2024, 3, 1, 18, 30, 0, 0, time.UTC), // local midnight, 35 days back
		GeneralBefore:   time.Date(2024, 3, 1, 18, 30, 0, 0, time.UTC),
		RollupDayBefore: time.Date(2024, 4, 5, 18, 30, 0, 0, time.UTC),
	}
	if !got.Equal(want) {
		t.Errorf("target\n got %+v\nwant %+v", got, want)
	}
	// Never behind the current promise, and in its zone.
	later := State{Location: time.UTC, HourBefore: want.HourBefore.Add(5 * time.Hour)}
	got = Target(st, later, now)
	if got.Location != time.UTC || !got.HourBefore.Equal(later.HourBefore) || !got.DayBefore.Equal(StartOfDay(now.Add(-site.DefaultHourFor), time.UTC)) {
		t.Errorf("target after a later promise: %+v", got)
	}
	// Keeping detail promises no generalisation.
	st.Ageing.KeepDetail = true
	if got := Target(st, State{}, now); !got.GeneralBefore.IsZero() {
		t.Errorf("generalised while keeping detail: %v", got.GeneralBefore)
	}
}

func TestPolicyValidate(t *testing.T) {
	for _, tc := range []struct {
		a  site.Ageing
		ok bool
	}{
		{site.Ageing{}, true},
		{site.Ageing{MinuteFor: 24 * time.Hour, HourFor: 24 * time.Hour}, true},
		{site.Ageing{MinuteFor: 23 * time.Hour}, false},
		{site.Ageing{MinuteFor: 72 * time.Hour, HourFor: 48 * time.Hour}, false},
		{site.Ageing{MinuteFor: 90 * time.Minute}, false},
	} {
		if err := tc.a.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.a, err)
		}
	}
}

// agedState: days before 2024-03-10, hours before 2024-03-20 12:00 (UTC).
func agedState() State {
	return State{
		Location:        time.UTC,
		DayBefore:       time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC),
		GeneralBefore:   time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC),
		HourBefore:      time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC),
		RollupDayBefore: time.Date(2024, 3, 22, 0, 0, 0, 0, time.UTC),
	}
}

func plan(t *testing.T, loc *time.Location, from, to string, dims ...query.Dimension) *query.Plan {
	t.Helper()
	q := query.Query{SiteID: "a.example", Metrics: []query.Metric{query.Pageviews}, DateRange: query.DateRange{From: from, To: to}, Dimensions: dims}
	p, err := query.Build(&q, time.Date(2024, 3, 22, 9, 0, 0, 0, time.UTC), loc, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheck(t *testing.T) {
	utc, berlin := time.UTC, zone(t, "Europe/Berlin")
	s := agedState()
	for _, tc := range []struct {
		name     string
		p        *query.Plan
		field    string // "" when answered
		contains string
	}{
		{"days over days", plan(t, utc, "2024-03-01", "2024-03-21", query.TimeDay), "", ""},
		{"weeks and months", plan(t, utc, "2024-03-01", "2024-03-21", query.TimeWeek, query.Country), "", ""},
		{"hours over hours", plan(t, utc, "2024-03-10", "2024-03-21", query.TimeHour), "", ""},
		{"hours over days", plan(t, utc, "2024-03-01", "2024-03-21", query.TimeHour), "dimensions[0]", "kept per day"},
		{"whole hours in the hour period", plan(t, utc, "2024-03-12T10:00:00Z", "2024-03-21T08:59:00Z"), "", ""},
		{"odd minute in the hour period", plan(t, utc, "2024-03-12T10:17:00Z", "2024-03-21T08:59:00Z"), "date_range", "whole hour"},
		{"odd minute in the minute period", plan(t, utc, "2024-03-21T10:17:00Z", "2024-03-21T18:59:00Z"), "", ""},
		{"mid-day start in the day period", plan(t, utc, "2024-03-05T10:00:00Z", "2024-03-21T08:59:00Z"), "date_range", "whole day"},
		{"days of another zone over days", plan(t, berlin, "2024-03-01", "2024-03-21", query.TimeDay), "date_range", "zone UTC"},
		{"days of another zone over hours", plan(t, berlin, "2024-03-12", "2024-03-21", query.TimeDay), "", ""},
		{"generalised dimension", plan(t, utc, "2024-03-01", "2024-03-21", query.BrowserVersion), "dimensions[0]", "not kept"},
		{"generalised dimension after", plan(t, utc, "2024-03-10", "2024-03-21", query.City), "", ""},
	} {
		err := Check(tc.p, s)
		var qe *query.Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.field == "":
		case !errors.As(err, &qe):
			t.Errorf("%s: not refused (%v)", tc.name, err)
		case qe.Field != tc.field || !strings.Contains(qe.Message, tc.contains):
			t.Errorf("%s: %s: %s, want %s … %q", tc.name, qe.Field, qe.Message, tc.field, tc.contains)
		}
	}
	// A generalised filter is refused too.
	p := plan(t, utc, "2024-03-01", "2024-03-21")
	p.Filter = &query.Filter{Op: query.OpNot, Clauses: []query.Filter{{Op: query.OpIs, Dimension: query.OSVersion, Values: []string{"10"}}}}
	if err := Check(p, s); err == nil {
		t.Error("a filter on a generalised dimension was not refused")
	}
	if err := Check(p, State{}); err != nil {
		t.Errorf("the zero state refused: %v", err)
	}
}

func TestRollupFits(t *testing.T) {
	utc, kolkata := time.UTC, zone(t, "Asia/Kolkata")
	s := agedState()
	for _, tc := range []struct {
		name string
		p    *query.Plan
		want bool
	}{
		{"days", plan(t, utc, "2024-03-01", "2024-03-25", query.TimeDay), true},
		{"hours over rollup days", plan(t, utc, "2024-03-20", "2024-03-25", query.TimeHour), false},
		{"hours over quarters", plan(t, utc, "2024-03-22", "2024-03-25", query.TimeHour), true},
		{"hours of a half-hour zone over quarters", plan(t, kolkata, "2024-03-23", "2024-03-25", query.TimeHour), true},
		{"days of a half-hour zone over days", plan(t, kolkata, "2024-03-01", "2024-03-25", query.TimeDay), false},
		{"odd minute", plan(t, utc, "2024-03-23T10:17:00Z", "2024-03-24T00:00:00Z"), false},
		{"quarter past", plan(t, utc, "2024-03-23T10:15:00Z", "2024-03-23T23:59:00Z"), true},
	} {
		if got := RollupFits(tc.p, s); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestChunks(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	s := State{
		Location:        berlin,
		DayBefore:       time.Date(2024, 3, 29, 23, 0, 0, 0, time.UTC), // 2024-03-30 00:00 CET
		GeneralBefore:   time.Date(2024, 3, 28, 23, 0, 0, 0, time.UTC),
		HourBefore:      time.Date(2024, 4, 2, 10, 0, 0, 0, time.UTC),
		RollupDayBefore: time.Date(2024, 4, 2, 22, 0, 0, 0, time.UTC),
	}
	hours := []time.Time{
		time.Date(2024, 3, 28, 23, 0, 0, 0, time.UTC), // the first hour of March 29: a day
		time.Date(2024, 3, 29, 5, 0, 0, 0, time.UTC),  // the same day again
		time.Date(2024, 3, 31, 3, 0, 0, 0, time.UTC),  // the DST change's day: hours in two offsets
	}
	got := Chunks(s, hours, []time.Time{time.Date(2024, 3, 20, 3, 0, 0, 0, time.UTC)})
	want := []Chunk{
		{Rollup: true, From: time.Date(2024, 3, 19, 23, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 20, 23, 0, 0, 0, time.UTC), Grain: DayGeneral},
		{From: time.Date(2024, 3, 28, 23, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 29, 23, 0, 0, 0, time.UTC), Grain: Day},
		{From: time.Date(2024, 3, 30, 23, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), Grain: Hour, Offset: 3600},
		{From: time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), To: time.Date(2024, 3, 31, 22, 0, 0, 0, time.UTC), Grain: Hour, Offset: 7200},
	}
	if len(got) != len(want) {
		t.Fatalf("chunks\n got %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("chunk %d\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestGeneralisedColumns(t *testing.T) {
	for _, d := range Generalised {
		if !IsGeneralised(d) {
			t.Errorf("%s is listed but does not read a generalised column", d)
		}
	}
	for _, d := range query.AllDimensions {
		if IsGeneralised(d) {
			t.Logf("generalised: %s", d)
		}
	}
	if !IsGeneralised(query.CityName) || IsGeneralised(query.Country) {
		t.Error("the city's name must be generalised with the city, the country must not")
	}
}
