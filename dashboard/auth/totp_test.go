package auth

import (
	"strings"
	"testing"
	"time"
)

// RFC 6238 Appendix B: the SHA-1 test vectors (8 digits, secret
// "12345678901234567890").
func TestHOTPRFC6238Vectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, c := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		if got := HOTP(key, uint64(TOTPStep(time.Unix(c.unix, 0))), 8); got != c.want {
			t.Errorf("t=%d: %s, want %s", c.unix, got, c.want)
		}
	}
}

func TestVerifyTOTPWindowAndReplay(t *testing.T) {
	secret := NewTOTPSecret()
	key, err := DecodeTOTPSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 10, 9, 0, 15, 0, time.UTC)
	step := TOTPStep(now)
	code := HOTP(key, uint64(step), TOTPDigits)
	got, ok := VerifyTOTP(key, code, now, 0)
	if !ok || got != step {
		t.Fatalf("current code refused: %v %d", ok, got)
	}
	// Replay: the step is now used.
	if _, ok := VerifyTOTP(key, code, now, step); ok {
		t.Error("a used code was accepted again")
	}
	// One step of skew either way is accepted; two are not.
	for delta, want := range map[int64]bool{-2: false, -1: true, 1: true, 2: false} {
		c := HOTP(key, uint64(step+delta), TOTPDigits)
		if _, ok := VerifyTOTP(key, c, now, 0); ok != want {
			t.Errorf("skew %d: %v, want %v", delta, ok, want)
		}
	}
	// A later code after an earlier one works; an earlier after a later
	// does not.
	if _, ok := VerifyTOTP(key, HOTP(key, uint64(step-1), TOTPDigits), now, step); ok {
		t.Error("an older code was accepted after a newer one")
	}
	// Typed forms: spaces, full-width digits.
	spaced := code[:3] + " " + code[3:]
	if _, ok := VerifyTOTP(key, spaced, now, 0); !ok {
		t.Error("code with a space refused")
	}
	wide := strings.Map(func(r rune) rune { return r - '0' + '０' }, code)
	if _, ok := VerifyTOTP(key, wide, now, 0); !ok {
		t.Error("full-width code refused")
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef", strings.Repeat("1", 100)} {
		if _, ok := VerifyTOTP(key, bad, now, 0); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestTOTPURI(t *testing.T) {
	uri := TOTPURI("JBSWY3DPEHPK3PXP", "Shukei", "tanaka@example.jp")
	want := "otpauth://totp/Shukei:tanaka@example.jp?algorithm=SHA1&digits=6&issuer=Shukei&period=30&secret=JBSWY3DPEHPK3PXP"
	if uri != want {
		t.Errorf("got %s\nwant %s", uri, want)
	}
}

func TestDecodeTOTPSecret(t *testing.T) {
	if _, err := DecodeTOTPSecret("jbsw y3dp ehpk 3pxp"); err != nil {
		t.Errorf("spaced lower case: %v", err)
	}
	for _, bad := range []string{"", "!!!!", "AAAA", strings.Repeat("A", 200)} {
		if _, err := DecodeTOTPSecret(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzNormalizeCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "１２３４５６", "12-34-56", "abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeCode(s, 6)
		if !ok {
			return
		}
		if len(got) != 6 || strings.Trim(got, "0123456789") != "" {
			t.Fatalf("NormalizeCode(%q) = %q", s, got)
		}
	})
}
