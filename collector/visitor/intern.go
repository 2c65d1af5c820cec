package visitor

import "sync"

// interner shares one copy of equal dimension sets among visitors: many
// visitors have the same country, browser and screen, or arrive from the
// same source, so live state holds a pointer instead of a copy of each
// set's strings. It is bounded in entries and in bytes: when full it starts
// afresh (pointers already handed out stay valid, and the states holding
// them account their bytes). A new set's strings are compacted into one
// allocation of their own (compact), so the set never pins the larger
// request strings they were cut from.
type interner[T comparable] struct {
	mu       sync.Mutex
	m        map[T]*T
	max      int
	maxBytes int64
	bytes    int64
	size     func(T) int64
	compact  func(*T)
}

func newInterner[T comparable](max int, maxBytes int64, size func(T) int64, compact func(*T)) *interner[T] {
	return &interner[T]{m: make(map[T]*T), max: max, maxBytes: maxBytes, size: size, compact: compact}
}

func (in *interner[T]) get(v T) *T {
	in.mu.Lock()
	defer in.mu.Unlock()
	if p, ok := in.m[v]; ok {
		return p
	}
	in.compact(&v)
	n := in.size(v)
	if len(in.m) >= in.max || in.bytes+n > in.maxBytes {
		clear(in.m)
		in.bytes = 0
	}
	p := &v
	in.m[v] = p
	in.bytes += n
	return p
}
