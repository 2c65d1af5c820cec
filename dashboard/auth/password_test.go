package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// testParams keep unit tests fast; DefaultParams are checked separately.
var testParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestDefaultParamsMeetOWASP(t *testing.T) {
	p := DefaultParams
	// OWASP's argon2id minimum: 19 MiB × 2 passes (or the equivalent
	// 46 MiB × 1); never below either in memory or in total work.
	if p.Memory < 19*1024 || uint64(p.Memory)*uint64(p.Time) < 19*1024*2 || p.Threads < 1 {
		t.Errorf("DefaultParams %+v are below OWASP's recommendation", p)
	}
	if p.SaltLen < 16 || p.KeyLen < 32 {
		t.Errorf("salt %d / key %d bytes too short", p.SaltLen, p.KeyLen)
	}
}

func TestHashVerify(t *testing.T) {
	h := NewHasher(testParams, 2, 8, 0)
	enc, err := h.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("encoded %q", enc)
	}
	enc2, _ := h.Hash("correct horse battery staple")
	if enc == enc2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery stapl", false},
		{"Correct horse battery staple", false},
		{"", false},
	} {
		ok, rehash, err := h.Verify(enc, c.pw)
		if err != nil || ok != c.want || rehash {
			t.Errorf("Verify(%q) = %v, %v, %v; want %v", c.pw, ok, rehash, err, c.want)
		}
	}
	// A stronger hasher asks for a rehash of the weaker hash.
	strong := NewHasher(Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, 1, 8, 0)
	if ok, rehash, _ := strong.Verify(enc, "correct horse battery staple"); !ok || !rehash {
		t.Errorf("stronger hasher: ok %v rehash %v", ok, rehash)
	}
}

func TestHashNormalizesWidth(t *testing.T) {
	h := NewHasher(testParams, 1, 8, 0)
	enc, _ := h.Hash("ｐａｓｓ　ｗｏｒｄ１２３４")
	if ok, _, _ := h.Verify(enc, "pass word1234"); !ok {
		t.Error("full-width and ASCII forms of one password differ")
	}
}

func TestParseHashRefusesHostileParameters(t *testing.T) {
	good := "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U"
	if _, _, _, err := ParseHash(good); err != nil {
		t.Fatalf("good hash: %v", err)
	}
	for _, bad := range []string{
		"", "$argon2i$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5",
		strings.Replace(good, "m=65536", "m=99999999", 1), // 95 GiB
		strings.Replace(good, "t=2", "t=100000", 1),
		strings.Replace(good, "p=1", "p=0", 1),
		strings.Replace(good, "v=19", "v=16", 1),
		strings.Replace(good, "m=65536,", "", 1),
		strings.Replace(good, "m=65536", "m=-1", 1),
		strings.Replace(good, "c2FsdHNhbHRzYWx0c2FsdA", "!!!", 1),
		strings.Replace(good, "c2FsdHNhbHRzYWx0c2FsdA", "", 1),
		good + "$",
		"plain text password",
	} {
		if _, _, _, err := ParseHash(bad); !errors.Is(err, ErrBadHash) {
			t.Errorf("ParseHash(%q) = %v, want ErrBadHash", bad, err)
		}
	}
	h := NewHasher(testParams, 1, 8, 0)
	if ok, _, err := h.Verify("garbage", "x"); ok || err == nil {
		t.Error("Verify of a malformed hash succeeded")
	}
}

func TestCheckPassword(t *testing.T) {
	for _, c := range []struct {
		pw, user, key string
	}{
		{"short", "ann", "password.too_short"},
		{strings.Repeat("x", 257), "ann", "password.too_long"},
		{"aaaaaaaaaaaaaaaa", "ann", "password.repetitive"},
		{"abababababababab", "ann", "password.repetitive"},
		{"1234567890123", "ann", "password.sequence"},
		{"qwertyuiopqw", "ann", "password.sequence"},
		{"zyxwvutsrqpon", "ann", "password.sequence"},
		{"abcdeabcdeabcde", "ann", "password.sequence"},
		{"Password2024!", "ann", "password.common"},
		{"passwordpassword", "ann", "password.sequence"},
		{"Passw0rd-2024", "ann", "password.common"},
		{"2024adminadmin", "ann", "password.common"},
		{"!!Welcome1234", "ann", "password.common"},
		{"my-name-is-tanaka-ok", "tanaka", "password.contains_username"},
		{"\xff\xfe broken utf8 pw", "ann", "password.invalid"},
		{"correct horse battery staple", "ann", ""},
		{"集計ダッシュボード最高です", "ann", ""},
		{"Tr0ub4dor&3-extended", "ann", ""},
	} {
		err := CheckPassword(c.pw, c.user)
		var pe *PolicyError
		switch {
		case c.key == "" && err != nil:
			t.Errorf("CheckPassword(%q) = %v, want ok", c.pw, err)
		case c.key != "" && (!errors.As(err, &pe) || pe.Key != c.key):
			t.Errorf("CheckPassword(%q) = %v, want %s", c.pw, err, c.key)
		}
	}
}

func FuzzParseHash(f *testing.F) {
	f.Add("$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := ParseHash(s)
		if err != nil {
			return
		}
		if p.Memory > maxMemory || p.Time > maxTime || p.Threads > maxThreads || p.Memory < 8*uint32(p.Threads) {
			t.Fatalf("accepted out-of-bounds params %+v", p)
		}
		if len(salt) < 8 || len(key) < 16 {
			t.Fatalf("accepted short salt/key")
		}
	})
}

func FuzzCheckPassword(f *testing.F) {
	f.Add("correct horse battery staple", "ann")
	f.Add("ｐａｓｓｗｏｒｄ", "")
	f.Fuzz(func(t *testing.T, pw, user string) {
		err := CheckPassword(pw, user)
		var pe *PolicyError
		if err != nil && (!errors.As(err, &pe) || pe.Key == "") {
			t.Fatalf("untyped error %v", err)
		}
	})
}

// Item 4 of the hostile-client findings: the hash queue is bounded. When
// every place in it is taken, a hash is refused at once with ErrBusy; when
// a place is free but no slot frees up within the wait, it is refused
// after the wait — never an unbounded line.
func TestHashQueueIsBounded(t *testing.T) {
	h := NewHasher(testParams, 1, 2, 50*time.Millisecond)
	hash, err := h.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	// Take the one running slot: hashes now wait, up to 50 ms.
	h.queue <- struct{}{}
	h.slots <- struct{}{}
	start := time.Now()
	if _, _, err := h.Verify(hash, "x"); !errors.Is(err, ErrBusy) {
		t.Fatalf("no slot within the wait: %v", err)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Errorf("refused after %v, before the wait", waited)
	}
	// Fill the waiting places too: refused without waiting.
	h.queue <- struct{}{}
	h.queue <- struct{}{}
	if err := h.VerifyDummy("x"); !errors.Is(err, ErrBusy) {
		t.Fatalf("full queue: %v", err)
	}
	if _, err := h.Hash("another password entirely"); !errors.Is(err, ErrBusy) {
		t.Fatalf("full queue, Hash: %v", err)
	}
	// Free everything: hashing works again.
	<-h.queue
	<-h.queue
	<-h.queue
	<-h.slots
	if ok, _, err := h.Verify(hash, "correct horse battery staple"); !ok || err != nil {
		t.Fatalf("after the burst: %v %v", ok, err)
	}
}
