package ageing

import (
	"slices"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/query"
)

// Chunk is one unit of merging: the rows of one site in [From, To), all in
// one day of the state's zone, merged to Grain. A store merges a chunk
// atomically and idempotently: merging it again changes nothing, and a
// crash leaves it either merged or as it was.
type Chunk struct {
	// Rollup selects the rollup rows instead of the event rows.
	Rollup   bool
	From, To time.Time
	// Grain is Hour, Day or DayGeneral for event rows, Day or DayGeneral
	// (the generalised dimensions' rollup rows are then deleted) for
	// rollup rows.
	Grain Grain
	// Offset is the zone's UTC offset in seconds over an Hour chunk, which
	// never spans a change of offset: hour buckets start at
	// ts − ((ts + Offset) mod 3600).
	Offset int
}

// Chunks lists the chunks that cover the given UTC hours, which hold rows
// finer than s promises (event rows in eventHours, rollup rows in
// rollupHours), in time order. Each chunk covers the whole part of its day
// that one step of s promises, so the rows of a merged bucket are always
// merged together.
func Chunks(s State, eventHours, rollupHours []time.Time) []Chunk {
	if s.Location == nil {
		return nil
	}
	seen := map[Chunk]bool{}
	var out []Chunk
	add := func(c Chunk) {
		if !c.From.Before(c.To) || seen[c] {
			return
		}
		seen[c] = true
		out = append(out, c)
	}
	for _, h := range eventHours {
		for _, day := range daysOverlapping(h, s.Location) {
			if day[0].Before(s.DayBefore) && day[0].Before(h.Add(time.Hour)) && h.Before(minTime(day[1], s.DayBefore)) {
				add(Chunk{From: day[0], To: day[1], Grain: dayGrain(s, day[1])})
			}
			from, to := latest(day[0], s.DayBefore), minTime(day[1], s.HourBefore)
			if from.Before(to) && from.Before(h.Add(time.Hour)) && h.Before(to) {
				for _, c := range hourChunks(from, to, s.Location) {
					add(c)
				}
			}
		}
	}
	for _, h := range rollupHours {
		for _, day := range daysOverlapping(h, s.Location) {
			if !day[1].After(s.RollupDayBefore) {
				add(Chunk{Rollup: true, From: day[0], To: day[1], Grain: dayGrain(s, day[1])})
			}
		}
	}
	slices.SortFunc(out, func(a, b Chunk) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		if a.Rollup != b.Rollup {
			if a.Rollup {
				return 1
			}
			return -1
		}
		return 0
	})
	return out
}

// dayGrain is the grain a day ending at end is merged to.
func dayGrain(s State, end time.Time) Grain {
	if !end.After(s.GeneralBefore) {
		return DayGeneral
	}
	return Day
}

// daysOverlapping lists the days of loc, as [start, end) pairs, that
// overlap the UTC hour starting at h (two where a day starts inside it).
func daysOverlapping(h time.Time, loc *time.Location) [][2]time.Time {
	var out [][2]time.Time
	for d := StartOfDay(h, loc); d.Before(h.Add(time.Hour)); {
		next := StartOfDay(d.Add(36*time.Hour), loc)
		out = append(out, [2]time.Time{d, next})
		d = next
	}
	return out
}

// hourChunks splits [from, to) where loc's UTC offset changes.
func hourChunks(from, to time.Time, loc *time.Location) []Chunk {
	var out []Chunk
	for _, seg := range query.OffsetSegments(loc, from, to) {
		end := to
		if !seg.Until.IsZero() && seg.Until.Before(to) {
			end = seg.Until
		}
		out = append(out, Chunk{From: from, To: end, Grain: Hour, Offset: seg.Offset})
		from = end
	}
	return out
}
