package useragent

import (
	"reflect"
	"regexp/syntax"
	"strings"

	"github.com/x-way/crawlerdetect"
)

// crawlerFilter answers crawlerdetect's question much faster for the
// common case. crawlerdetect matches one alternation of ~1,400 patterns
// with Go's NFA, which costs about 250 µs per User-Agent; paid on every
// cache miss, that would cap the collector's throughput.
//
// Every pattern requires at least one literal of three or more bytes
// (found by walking its syntax tree), and a browser's User-Agent contains
// none of them. The filter looks for those literals with a trigram table
// in well under a microsecond and calls crawlerdetect only when one is
// present, so the answer is crawlerdetect's own. (crawlerdetect first
// deletes browser tokens such as "Safari/537.36" and matches what remains;
// a match that only exists across such a deleted gap is not found. That
// is an artefact of the deletion, not a crawler.)
type crawlerFilter struct {
	detect *crawlerdetect.CrawlerDetect
	// bloom has one bit per hashed trigram that starts a literal.
	bloom [1 << 10]uint64
	// literals maps each starting trigram to the literals starting with it.
	literals map[uint32][]string
	// exact disables the filter when the patterns could not be read or
	// analysed: crawlerdetect then runs on every miss.
	exact bool
}

func newCrawlerFilter() *crawlerFilter {
	f := &crawlerFilter{detect: crawlerdetect.New(), literals: map[uint32][]string{}}
	patterns, ok := crawlerPatterns(f.detect)
	if !ok {
		f.exact = true
		return f
	}
	for _, p := range patterns {
		lits, ok := requiredLiterals(p)
		if !ok {
			f.exact = true
			return f
		}
		for _, l := range lits {
			t := trigram(l[0], l[1], l[2])
			f.bloom[bloomBit(t)/64] |= 1 << (bloomBit(t) % 64)
			f.literals[t] = append(f.literals[t], l)
		}
	}
	return f
}

// crawlerPatterns reads crawlerdetect's pattern list, which it does not
// export. Reading (never writing) an unexported field through reflection
// is allowed; a test fails if a new version renames it.
func crawlerPatterns(cd *crawlerdetect.CrawlerDetect) ([]string, bool) {
	v := reflect.ValueOf(cd).Elem().FieldByName("crawlers")
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem().Kind() != reflect.String || v.Len() == 0 {
		return nil, false
	}
	out := make([]string, v.Len())
	for i := range out {
		out[i] = v.Index(i).String()
	}
	return out, true
}

// isCrawler reports whether crawlerdetect takes ua for a crawler. ua is at
// most MaxLen bytes.
func (f *crawlerFilter) isCrawler(ua string) bool {
	if f.exact || f.mayMatch(ua) {
		return f.detect.IsCrawler(ua)
	}
	return false
}

func (f *crawlerFilter) mayMatch(ua string) bool {
	var buf [MaxLen]byte
	n := copy(buf[:], ua)
	low := buf[:n]
	for i, c := range low {
		if 'A' <= c && c <= 'Z' {
			low[i] = c + 'a' - 'A'
		}
	}
	for i := 0; i+3 <= len(low); i++ {
		t := trigram(low[i], low[i+1], low[i+2])
		if b := bloomBit(t); f.bloom[b/64]&(1<<(b%64)) == 0 {
			continue
		}
		for _, l := range f.literals[t] {
			if len(low)-i >= len(l) && string(low[i:i+len(l)]) == l {
				return true
			}
		}
	}
	return false
}

func trigram(a, b, c byte) uint32 { return uint32(a)<<16 | uint32(b)<<8 | uint32(c) }

func bloomBit(t uint32) uint32 { return (t * 0x9E3779B1) >> 16 }

// requiredLiterals returns lowercase ASCII literals of which every match of
// the case-insensitive pattern contains at least one. It fails for
// patterns without such literals of at least three bytes, or with
// non-ASCII literals (whose case folding ASCII lowering would miss).
func requiredLiterals(pattern string) ([]string, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl|syntax.FoldCase)
	if err != nil {
		return nil, false
	}
	lits := required(re.Simplify())
	if shortest(lits) < 3 {
		return nil, false
	}
	for i, l := range lits {
		for j := 0; j < len(l); j++ {
			if l[j] >= 0x80 {
				return nil, false
			}
		}
		lits[i] = strings.ToLower(l)
	}
	return lits, true
}

// required walks a syntax tree: a literal requires itself; a sequence, its
// most selective part; an alternation, one of each branch's literals.
func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, s := range re.Sub {
			if r := required(s); shortest(r) > shortest(best) {
				best = r
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			r := required(s)
			if r == nil {
				return nil
			}
			all = append(all, r...)
		}
		return all
	}
	return nil
}

// shortest returns the length of the shortest literal, or -1 for none.
func shortest(lits []string) int {
	if len(lits) == 0 {
		return -1
	}
	n := len(lits[0])
	for _, l := range lits[1:] {
		n = min(n, len(l))
	}
	return n
}
