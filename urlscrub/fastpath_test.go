package urlscrub

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// modes are every combination of what the surroundings tell the detectors.
var modes = []mode{{}, {scope: true}, {lenient: true}, {scope: true, lenient: true}}

// checkFastPath fails when the fast path would skip s although a detector,
// run in full, changes it: mayHoldIdentifier must be false only where
// every detector leaves s alone, in every mode.
func checkFastPath(t *testing.T, s string) {
	t.Helper()
	if mayHoldIdentifier([]byte(s)) {
		return
	}
	for _, m := range modes {
		out, found, ok := redactAll([]byte(s), nil, m)
		if !ok || found != 0 || string(out) != s {
			t.Fatalf("fast path skips %q, but the detectors (mode %+v) give %q (%v, ok %v)", s, m, out, found, ok)
		}
	}
}

// scrubBoth scrubs u with and without the fast path.
func scrubBoth(u string, opts *Options) (fast, full Page, fastErr, fullErr error) {
	fast, fastErr = Scrub(u, opts)
	slowOnly = true
	defer func() { slowOnly = false }()
	full, fullErr = Scrub(u, opts)
	return
}

func checkScrubSame(t *testing.T, u string) {
	t.Helper()
	for _, hash := range []bool{false, true} {
		opts := &Options{SearchParams: []string{"q", "s"}, HashRouting: hash}
		fast, full, fe, se := scrubBoth(u, opts)
		if fast != full || (fe == nil) != (se == nil) {
			t.Fatalf("%q (hash routing %v): fast path %+v (%v), full %+v (%v)", u, hash, fast, fe, full, se)
		}
	}
	if fast, full := ScrubValue(u), func() string {
		slowOnly = true
		defer func() { slowOnly = false }()
		return ScrubValue(u)
	}(); fast != full {
		t.Fatalf("value %q: fast path %q, full %q", u, fast, full)
	}
}

// randomText draws strings near the detectors' edges: digits, hex and
// other letters, the "0x" and "eyJ" openings, and the separators the
// detectors join on.
func randomText(r *rand.Rand) string {
	pieces := []string{"0", "1", "2", "5", "9", "a", "f", "x", "X", "z", "Q", "e", "y", "J", "eyJ", "0x",
		"-", "_", ".", "+", "(", ")", " ", "=", "#", "%", "@", ":", "user", "order", "会員", "ー", "ａ", "１",
		"0xcb00714d", "0xabcdefab", "abcdefab-abcd-abcd-abcd-abcdefabcdef", "aBcDeFgHiJ"}
	var b strings.Builder
	for n := r.IntN(40); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

// TestFastPathRandom: for random text, the fast path never skips what the
// detectors would change, and Scrub and ScrubValue give the same result
// with and without it.
func TestFastPathRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	skipped := 0
	for range 200_000 {
		s := randomText(r)
		checkFastPath(t, s)
		if !mayHoldIdentifier([]byte(s)) {
			skipped++
		}
	}
	if skipped < 10_000 {
		t.Fatalf("only %d of 200000 random strings take the fast path: the test explores too little", skipped)
	}
	for range 5_000 {
		s := randomText(r)
		checkScrubSame(t, "https://example.jp/"+s+"/"+randomText(r)+"?utm_campaign="+s+"&q="+randomText(r)+"#/"+s)
	}
}

// TestFastPathCorpus: the same for the corpus of personal data (in every
// form and place) and of real pages.
func TestFastPathCorpus(t *testing.T) {
	for _, l := range corpusLines(t, "personal.txt") {
		for _, form := range forms(l[1]) {
			checkFastPath(t, form)
			for _, u := range places(l[0], form) {
				checkScrubSame(t, u)
			}
		}
	}
	for _, l := range corpusLines(t, "pages.txt") {
		checkScrubSame(t, l[0])
		for seg := range strings.SplitSeq(l[0], "/") {
			checkFastPath(t, seg)
		}
	}
}

// TestFastPathTakesCleanText: the fast path is taken where it should be
// (clean segments and values), and not for text that only just holds an
// identifier's trigger.
func TestFastPathTakesCleanText(t *testing.T) {
	for _, s := range []string{"docs", "page-12", "v2", "spring_sale", "index.html", "お知らせ", "a-b-c-d-e-f"} {
		if mayHoldIdentifier([]byte(s)) {
			t.Errorf("%q: fast path not taken", s)
		}
	}
	for _, s := range []string{"a@b", "::1", "page-123", "0xcb00714d", "abcdefabc1", "eyJhbGciOiJub25lIn0",
		"abcdefab-abcd-abcd-abcd-abcdefabcdef"} {
		if !mayHoldIdentifier([]byte(s)) {
			t.Errorf("%q: fast path taken", s)
		}
	}
}

// FuzzFastPath: for any text, the fast path skips only what the detectors
// leave alone, and a URL made of it scrubs the same with and without it.
func FuzzFastPath(f *testing.F) {
	for _, s := range []string{"docs", "page-12", "0xcb00714d", "eyJa.b.c", "user-12", "12:34", "a1b2c3d4e5",
		"abcdefab-abcd-abcd-abcd-abcdefabcdef", "+8", "(1)2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 256 {
			return
		}
		checkFastPath(t, s)
		checkScrubSame(t, "https://example.jp/u/"+s+"?utm_content="+s)
	})
}
