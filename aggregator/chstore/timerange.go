package chstore

import (
	"fmt"
	"time"
)

// ClickHouse's DateTime holds whole seconds since 1970 in 32 bits, and
// older servers parse times up to the end of 2105 only; a value outside
// wraps around silently.
var (
	minTS = time.Unix(0, 0).UTC()
	maxTS = time.Date(2105, 12, 31, 23, 59, 59, 0, time.UTC)
)

// checkTS refuses a row time DateTime cannot hold, rather than let it
// wrap into another date. The last second is refused too, so that a bound
// clamped to it still selects every stored row.
func checkTS(ts time.Time) error {
	if ts.Before(minTS) || !ts.Before(maxTS) {
		return fmt.Errorf("ts %s is outside ClickHouse's DateTime range (1970 to 2106)", ts.UTC().Format(time.RFC3339))
	}
	return nil
}

// clampTimes limits the instants bound to a statement to DateTime's range.
// The rows' ts all lie inside it, so a bound beyond it (the suite asks
// for everything up to the year 2200) selects the same rows once clamped.
func clampTimes(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			switch {
			case t.Before(minTS):
				a = minTS
			case t.After(maxTS):
				a = maxTS
			}
		}
		out[i] = a
	}
	return out
}
