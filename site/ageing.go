package site

import (
	"fmt"
	"time"
)

// Ageing is a site's policy of coarser rows with age (DESIGN §1.6): rows
// keep minute resolution for MinuteFor, are then merged to hours, and after
// HourFor to days, when their most identifying detail is also dropped
// unless KeepDetail is set. The zero value is the default policy.
type Ageing struct {
	// MinuteFor is how long rows keep minute resolution; 0 means
	// DefaultMinuteFor.
	MinuteFor time.Duration
	// HourFor is how long rows keep hour resolution before they are merged
	// to days; 0 means DefaultHourFor.
	HourFor time.Duration
	// KeepDetail keeps browser and OS versions, city and screen class on
	// rows merged to days; false (the default) drops them there.
	KeepDetail bool
}

// The default ageing policy and its limits.
const (
	DefaultMinuteFor = 48 * time.Hour
	DefaultHourFor   = 35 * 24 * time.Hour
	// MinMinuteFor keeps the "24h" range and the realtime view answerable
	// at minute resolution.
	MinMinuteFor = 24 * time.Hour
	MaxMinuteFor = 90 * 24 * time.Hour
	MaxHourFor   = 3650 * 24 * time.Hour
)

// Resolved returns the policy with its defaults filled in.
func (a Ageing) Resolved() Ageing {
	if a.MinuteFor == 0 {
		a.MinuteFor = DefaultMinuteFor
	}
	if a.HourFor == 0 {
		a.HourFor = DefaultHourFor
	}
	return a
}

// Validate checks the policy after defaults: at least a day of minutes, no
// fewer hours than minutes, whole hours.
func (a Ageing) Validate() error {
	r := a.Resolved()
	switch {
	case r.MinuteFor < MinMinuteFor || r.MinuteFor > MaxMinuteFor:
		return fmt.Errorf("ageing: minute resolution for %v: must be between %v and %v", r.MinuteFor, MinMinuteFor, MaxMinuteFor)
	case r.HourFor < r.MinuteFor || r.HourFor > MaxHourFor:
		return fmt.Errorf("ageing: hour resolution for %v: must be between the minute resolution's %v and %v", r.HourFor, r.MinuteFor, MaxHourFor)
	case r.MinuteFor%time.Hour != 0 || r.HourFor%time.Hour != 0:
		return fmt.Errorf("ageing: %v and %v: give whole hours", r.MinuteFor, r.HourFor)
	}
	return nil
}

// Generalise reports whether rows merged to days lose their detail.
func (a Ageing) Generalise() bool { return !a.KeepDetail }

// AgeingPolicy returns the site's ageing policy with defaults filled in.
func (s *Site) AgeingPolicy() Ageing { return s.Ageing.Resolved() }
