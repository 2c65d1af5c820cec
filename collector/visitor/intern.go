package visitor

import "sync"

// interner shares one copy of equal dimension sets among visitors: many
// visitors have the same country, browser and screen, or arrive from the
// same source, so live state holds a pointer instead of a copy of each
// set's strings. It is bounded: when full it starts afresh (pointers
// already handed out stay valid).
type interner[T comparable] struct {
	mu  sync.Mutex
	m   map[T]*T
	max int
}

func newInterner[T comparable](max int) *interner[T] {
	return &interner[T]{m: make(map[T]*T), max: max}
}

func (in *interner[T]) get(v T) *T {
	in.mu.Lock()
	defer in.mu.Unlock()
	if p, ok := in.m[v]; ok {
		return p
	}
	if len(in.m) >= in.max {
		clear(in.m)
	}
	p := &v
	in.m[v] = p
	return p
}
