package query

import (
	"encoding/json"
	"fmt"
	"time"
)

// DateRange is a preset ("day", "7d", "30d", "month", "6mo", "12mo", "year",
// "all") or a custom [from, to] pair of dates ("2024-01-01") or date-times
// ("2024-01-01T09:00:00+09:00"). Dates are inclusive and read in the site's
// time zone.
type DateRange struct {
	Preset   string
	From, To string
}

// The date range presets.
const (
	RangeDay   = "day"
	Range24h   = "24h"
	Range7d    = "7d"
	Range30d   = "30d"
	RangeMonth = "month"
	Range6mo   = "6mo"
	Range12mo  = "12mo"
	RangeYear  = "year"
	RangeAll   = "all"
)

// UnmarshalJSON accepts a preset string or a two-element array.
func (r *DateRange) UnmarshalJSON(data []byte) error {
	var preset string
	if err := json.Unmarshal(data, &preset); err == nil {
		*r = DateRange{Preset: preset}
		return nil
	}
	var pair []string
	if err := json.Unmarshal(data, &pair); err != nil || len(pair) != 2 {
		return fieldErr("date_range", "a preset like \"7d\" or [\"2024-01-01\", \"2024-01-31\"]")
	}
	*r = DateRange{From: pair[0], To: pair[1]}
	return nil
}

// MarshalJSON encodes the preset or the pair.
func (r DateRange) MarshalJSON() ([]byte, error) {
	if r.Preset != "" {
		return json.Marshal(r.Preset)
	}
	return json.Marshal([2]string{r.From, r.To})
}

const (
	dateLayout = "2006-01-02"
	// Dates before minYear or after maxYear are rejected: no data can be
	// there, and bounded ranges keep time labels and SQL bounded.
	minYear = 2000
	maxYear = 2200
)

func (r *DateRange) validate() error {
	if r.Preset != "" {
		switch r.Preset {
		case RangeDay, Range24h, Range7d, Range30d, RangeMonth, Range6mo, Range12mo, RangeYear, RangeAll:
			return nil
		}
		return fieldErr("date_range", "unknown preset %q (use day, 24h, 7d, 30d, month, 6mo, 12mo, year, all or [from, to])", r.Preset)
	}
	if r.From == "" && r.To == "" {
		return fieldErr("date_range", "required")
	}
	from, fromDate, err := parseBound(r.From, time.UTC)
	if err != nil {
		return fieldErr("date_range[0]", "%v", err)
	}
	to, toDate, err := parseBound(r.To, time.UTC)
	if err != nil {
		return fieldErr("date_range[1]", "%v", err)
	}
	if fromDate != toDate {
		return fieldErr("date_range", "give both bounds as dates or both as date-times")
	}
	if to.Before(from) {
		return fieldErr("date_range", "the end %s is before the start %s", r.To, r.From)
	}
	return nil
}

// parseBound reads a date or an RFC 3339 date-time; isDate tells which.
func parseBound(s string, loc *time.Location) (t time.Time, isDate bool, err error) {
	if t, err := time.ParseInLocation(dateLayout, s, loc); err == nil {
		return t, true, checkYear(t)
	}
	t, err = time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%q is neither a date (2006-01-02) nor a date-time (2006-01-02T15:04:05+09:00)", s)
	}
	return t, false, checkYear(t)
}

func checkYear(t time.Time) error {
	if t.Year() < minYear || t.Year() > maxYear {
		return fmt.Errorf("year %d is outside %d..%d", t.Year(), minYear, maxYear)
	}
	return nil
}

// Resolve turns the range into a half-open interval [from, to) of instants,
// reading dates in loc. now is the current time; earliest is the day of the
// site's first data (for "all"; zero when there is none).
func (r DateRange) Resolve(now time.Time, loc *time.Location, earliest time.Time) (from, to time.Time) {
	now = now.In(loc)
	today := startOfDay(now)
	tomorrow := today.AddDate(0, 0, 1)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	switch r.Preset {
	case RangeDay:
		return today, tomorrow
	case Range24h:
		end := now.Truncate(time.Minute).Add(time.Minute)
		return end.Add(-24 * time.Hour), end
	case Range7d:
		return today.AddDate(0, 0, -6), tomorrow
	case Range30d:
		return today.AddDate(0, 0, -29), tomorrow
	case RangeMonth:
		return month, month.AddDate(0, 1, 0)
	case Range6mo:
		return month.AddDate(0, -5, 0), month.AddDate(0, 1, 0)
	case Range12mo:
		return month.AddDate(0, -11, 0), month.AddDate(0, 1, 0)
	case RangeYear:
		year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, loc)
		return year, year.AddDate(1, 0, 0)
	case RangeAll:
		if earliest.IsZero() || earliest.After(now) {
			return today, tomorrow
		}
		return startOfDay(earliest.In(loc)), tomorrow
	}
	f, isDate, _ := parseBound(r.From, loc)
	t, _, _ := parseBound(r.To, loc)
	if isDate {
		return f, t.AddDate(0, 0, 1)
	}
	// Date-times are inclusive; rows are stamped to the minute.
	return f.In(loc), t.In(loc).Add(time.Second)
}

func startOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}
