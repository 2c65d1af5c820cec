package query

import "time"

// OffsetSegment says that instants before Until (UTC) are shown in the site's
// time zone at Offset seconds east of UTC. The last segment has a zero Until.
// Stores bucket rows by time with these segments instead of a database time
// zone function, so both dialects compute identical local buckets.
type OffsetSegment struct {
	Until  time.Time
	Offset int
}

// OffsetSegments lists the UTC offsets of loc over [from, to).
func OffsetSegments(loc *time.Location, from, to time.Time) []OffsetSegment {
	var segs []OffsetSegment
	_, cur := from.In(loc).Zone()
	t := from
	for {
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			break
		}
		_, next := end.In(loc).Zone()
		if next != cur {
			segs = append(segs, OffsetSegment{Until: end.UTC(), Offset: cur})
			cur = next
		}
		t = end
	}
	return append(segs, OffsetSegment{Offset: cur})
}

// Bucket formats: hours and days as Plausible shows them.
const (
	hourLayout = "2006-01-02 15:04:05"
	dayLayout  = "2006-01-02"
)

// FormatBucket formats the start of a time bucket, given as the local wall
// time read as UTC (the form stores return after shifting by the offset).
func FormatBucket(d Dimension, wall time.Time) string {
	if d == TimeHour {
		return wall.Format(hourLayout)
	}
	return wall.Format(dayLayout)
}

// TruncateWall returns the start of the bucket holding the wall time w.
func TruncateWall(d Dimension, w time.Time) time.Time {
	w = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), 0, 0, 0, time.UTC)
	switch d {
	case TimeHour:
		return w
	case TimeDay:
		return startOfDay(w)
	case TimeWeek:
		day := startOfDay(w)
		// Weeks start on Monday (ISO 8601).
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	case TimeMonth:
		return time.Date(w.Year(), w.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return w
}

// TimeLabels lists every bucket of d in the plan's range, in order.
func (p *Plan) TimeLabels(d Dimension) []string {
	from := wallUTC(p.From.In(p.Location))
	to := wallUTC(p.To.In(p.Location))
	var labels []string
	for b := TruncateWall(d, from); b.Before(to); b = nextBucket(d, b) {
		labels = append(labels, p.Label(d, FormatBucket(d, b)))
		if len(labels) > maxTimeLabels {
			break
		}
	}
	return labels
}

// Label returns a bucket's label as the API shows it: a week that starts
// before the range (a range starting mid-week) is labelled with the
// range's first day, as Plausible labels it; other buckets keep theirs.
func (p *Plan) Label(d Dimension, bucket string) string {
	if d != TimeWeek {
		return bucket
	}
	if first := wallUTC(p.From.In(p.Location)).Format(dayLayout); bucket < first {
		return first
	}
	return bucket
}

// maxTimeLabels bounds a response (e.g. hours over many years).
const maxTimeLabels = 100000

func nextBucket(d Dimension, b time.Time) time.Time {
	switch d {
	case TimeHour:
		return b.Add(time.Hour)
	case TimeWeek:
		return b.AddDate(0, 0, 7)
	case TimeMonth:
		return b.AddDate(0, 1, 0)
	}
	return b.AddDate(0, 0, 1)
}

// wallUTC reads t's local wall clock as a UTC time.
func wallUTC(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}
