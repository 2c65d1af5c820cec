package auth

import (
	"strings"
	"testing"
)

func TestSecretsAreRandomAndHashed(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if a == b || len(a) < 43 {
		t.Errorf("secrets %q %q", a, b)
	}
	tok := NewAPIToken()
	if !strings.HasPrefix(tok, TokenPrefix) {
		t.Errorf("token %q", tok)
	}
	h := HashSecret(tok)
	if len(h) != 64 || strings.Contains(h, tok) || HashSecret(tok) != h {
		t.Errorf("hash %q", h)
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := NewRecoveryCodes(10)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 14 || c[4] != '-' || c[9] != '-' || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
		if n, ok := NormalizeRecoveryCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))); !ok || n != c {
			t.Errorf("normalize(%q) = %q %v", c, n, ok)
		}
	}
	if n, ok := NormalizeRecoveryCode("ｋ７ｑｍ－２ｘｈ９－ｐｔ４ｃ"); !ok || n != "K7QM-2XH9-PT4C" {
		t.Errorf("full-width: %q %v", n, ok)
	}
	for _, bad := range []string{"", "K7QM-2XH9", "K7QM-2XH9-PT4C-AAAA", "O0I1-2XH9-PT4C", "<script>alert(1)"} {
		if _, ok := NormalizeRecoveryCode(bad); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

func FuzzNormalizeRecoveryCode(f *testing.F) {
	for _, s := range []string{"K7QM-2XH9-PT4C", "k7qm 2xh9 pt4c", "ｋ７ｑｍ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := NormalizeRecoveryCode(s)
		if !ok {
			return
		}
		again, ok2 := NormalizeRecoveryCode(got)
		if !ok2 || again != got || len(got) != 14 {
			t.Fatalf("NormalizeRecoveryCode(%q) = %q, not stable (%q)", s, got, again)
		}
	})
}
