package visitor

import (
	"unsafe"

	"github.com/shukei-analytics/shukei/event"
)

// Memory bound (Config.MaxBytes). Counting visitors alone does not bound
// memory: a state holds the current and previous pages and, through the
// visit's dimensions, the entry page and campaign values, so a flood of
// visitors with long unique paths and UTM values would cost about 6 KB
// each (and twice that in heap between collections). The tracker accounts each state's bytes and forgets the
// longest-idle visitors of a shard while the shard is over its share.

// DefaultMaxBytes is the default bound: 128 MiB of accounted state, which
// the Go heap may take about twice of between collections — sized for a
// server with 1 GiB of memory. At typical hits (about 450 accounted bytes
// a visitor) it holds about 300,000 visitors a day; under a flood of the
// largest hits the collector accepts (about 6 KB each), about 20,000.
const DefaultMaxBytes = 128 << 20

// minMaxBytes is the smallest bound accepted: 64 KiB per shard.
const minMaxBytes = numShards * 64 << 10

// internShare: each intern table may hold 1/internShare of MaxBytes.
const internShare = 16

// stateOverhead is a state's fixed cost: the struct and its map entry.
var stateOverhead = int64(unsafe.Sizeof(state{})) + 48

// bytes accounts what st holds: its fixed cost, the seen hashes, the
// current and previous pages' strings, and the strings of the visitor's
// and the visit's dimension sets. Those sets are interned and usually
// shared, but each state counts their strings in full — the part that
// grows with what a client sends — so the bound holds whatever is shared;
// the sets' fixed parts (a few hundred bytes) are counted by the intern
// tables while shared, and not when a flood makes each one unique (a few
// per cent of such a state).
func (st *state) bytes() int64 {
	n := stateOverhead + 8*int64(cap(st.seen)) + st.prev.size() + st.before.size()
	if st.sess != nil {
		n += st.sess.strings()
	}
	if st.dims != nil {
		n += st.dims.strings()
	}
	return n
}

func (p pageDims) size() int64 { return int64(len(p.hostname) + len(p.path) + len(p.searchTerm)) }

func (d visitorDims) strings() int64 {
	return int64(len(d.country) + len(d.region) + len(d.city) + len(d.browser) +
		len(d.browserVersion) + len(d.os) + len(d.osVersion) + len(d.device) + len(d.screen) + len(d.language))
}

func (d sessionDims) strings() int64 {
	return int64(len(d.entryPath) + len(d.source) + len(d.refHost) + len(d.utmSource) +
		len(d.utmMedium) + len(d.utmCampaign) + len(d.utmContent) + len(d.utmTerm) + len(d.channel))
}

// size is an intern table entry's cost: the set twice (key and value),
// its strings once, and the map entry.
func (d visitorDims) size() int64 { return 2*int64(unsafe.Sizeof(d)) + d.strings() + 16 }
func (d sessionDims) size() int64 { return 2*int64(unsafe.Sizeof(d)) + d.strings() + 16 }

// applyAccounted applies h to st (held in sh under key, locked) and brings
// the shard's accounting up to date, forgetting other visitors of the
// shard while it is over its share of MaxBytes.
func (t *Tracker) applyAccounted(sh *shard, key uint64, st *state, h *Hit, out []event.Row) ([]event.Row, error) {
	out, err := t.apply(st, h, out)
	size := st.bytes()
	t.charge(sh, size-st.size)
	st.size = size
	for sh.bytes > t.cfg.MaxBytes/numShards && len(sh.m) > 1 {
		t.evictOne(sh, key, h.Time)
	}
	return out, err
}

// remove deletes key's state from sh (locked) with its accounting.
func (t *Tracker) remove(sh *shard, key uint64, st *state) {
	delete(sh.m, key)
	t.charge(sh, -st.size)
	t.live.Add(-1)
}

func (t *Tracker) charge(sh *shard, delta int64) {
	sh.bytes += delta
	t.bytes.Add(delta)
}

// Bytes is the accounted memory of the live state.
func (t *Tracker) Bytes() int64 { return t.bytes.Load() }

// compact copies the strings into one new allocation and points them at
// it. A value cut from a request string (a path out of the URL, a campaign
// value out of its query, a host out of the referrer) would otherwise pin
// the whole request string for as long as the state lives, which the
// accounting cannot see.
func compact(strs ...*string) {
	n := 0
	for _, s := range strs {
		n += len(*s)
	}
	if n == 0 {
		return
	}
	buf := make([]byte, 0, n)
	for _, s := range strs {
		buf = append(buf, *s...)
	}
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	for _, s := range strs {
		l := len(*s)
		*s, all = all[:l], all[l:]
	}
}

func (d *visitorDims) compact() {
	compact(&d.country, &d.region, &d.city, &d.browser, &d.browserVersion, &d.os, &d.osVersion, &d.device, &d.screen, &d.language)
}

func (d *sessionDims) compact() {
	compact(&d.entryPath, &d.source, &d.refHost, &d.utmSource, &d.utmMedium, &d.utmCampaign, &d.utmContent, &d.utmTerm, &d.channel)
}

// compactPage is the page of row as the state keeps it. Each string is
// shared with one the state already holds when equal — the site's domain,
// the entry page, the current or the previous page: all of them own their
// memory already, and a visitor reloading or going back is the common case
// — and only the rest is copied, in one allocation. It works on values,
// not pointers, so that nothing but that copy reaches the heap.
func compactPage(st *state, row *event.Row) pageDims {
	entry := ""
	if st.sess != nil {
		entry = st.sess.entryPath
	}
	host, hostOwned := owned(row.Hostname, st.site, st.prev.hostname, st.before.hostname)
	path, pathOwned := owned(row.Path, entry, st.prev.path, st.before.path)
	term, termOwned := owned(row.SearchTerm, st.prev.searchTerm, st.before.searchTerm, "")
	n := 0
	if !hostOwned {
		n += len(host)
	}
	if !pathOwned {
		n += len(path)
	}
	if !termOwned {
		n += len(term)
	}
	if n == 0 {
		return pageDims{hostname: host, path: path, searchTerm: term}
	}
	buf := make([]byte, 0, n)
	if !hostOwned {
		buf = append(buf, host...)
	}
	if !pathOwned {
		buf = append(buf, path...)
	}
	if !termOwned {
		buf = append(buf, term...)
	}
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	if !hostOwned {
		host, all = all[:len(host)], all[len(host):]
	}
	if !pathOwned {
		path, all = all[:len(path)], all[len(path):]
	}
	if !termOwned {
		term = all[:len(term)]
	}
	return pageDims{hostname: host, path: path, searchTerm: term}
}

// owned returns s, or the first of held equal to it (held strings own
// their memory), and whether the result needs no copy: empty strings pin
// nothing.
func owned(s string, held ...string) (string, bool) {
	if s == "" {
		return "", true
	}
	for _, h := range held {
		if h == s {
			return h, true
		}
	}
	return s, false
}
