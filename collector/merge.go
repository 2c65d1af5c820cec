package collector

import (
	"hash/maphash"
	"time"

	"github.com/shukei-analytics/shukei/event"
)

// Rows that agree on every dimension and on the minute are one row: their
// counters add up. The applier merges the rows of the log records it
// stores in one batch, so a busy site writes one row per page, source and
// client class per minute instead of one per hit. It also means fewer rows at rest that describe a
// single person's actions (DESIGN §1.1).
//
// Page views and corrections merge (a correction is only a signed delta on
// its page view's dimensions); custom events merge only with the same event.

// mergeSeed keys the row hash; it is process-local and never stored.
var mergeSeed = maphash.MakeSeed()

// rowKey hashes everything but the counters.
func rowKey(r *event.Row) uint64 {
	var h maphash.Hash
	h.SetSeed(mergeSeed)
	var buf [9]byte
	ts := r.TS.Unix()
	for i := range 8 {
		buf[i] = byte(ts >> (8 * i))
	}
	buf[8] = byte(mergeClass(r.Kind))
	_, _ = h.Write(buf[:])
	for _, s := range r.Strings() {
		_, _ = h.WriteString(*s)
		_ = h.WriteByte(0)
	}
	return h.Sum64()
}

func mergeClass(k event.Kind) event.Kind {
	if k == event.KindCorrection {
		return event.KindPageview
	}
	return k
}

// sameKey reports whether a and b agree on everything but the counters.
func sameKey(a, b *event.Row) bool {
	if mergeClass(a.Kind) != mergeClass(b.Kind) || !a.TS.Equal(b.TS) {
		return false
	}
	x, y := *a, *b
	x.Counters, y.Counters = event.Counters{}, event.Counters{}
	x.Kind, y.Kind = 0, 0
	x.TS, y.TS = time.Time{}, time.Time{}
	return x == y
}

// mergeInto adds r's counters to dst; a page view absorbing a correction
// stays a page view.
func mergeInto(dst, r *event.Row) {
	if r.Kind == event.KindPageview {
		dst.Kind = event.KindPageview
	}
	dst.Counters.Add(&r.Counters)
}
