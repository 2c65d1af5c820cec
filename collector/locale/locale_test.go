package locale

import (
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

func TestLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"ja", "ja"},
		{"ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", "ja"},
		{"en-US,en;q=0.9", "en"},
		{"EN-gb", "en"},
		{"fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"},
		{"de;q=0.5, ja;q=0.8", "ja"},
		{"de;q=0.8, ja;q=0.8", "de"},
		{"en;q=0.5, fil", "fil"},
		{"zh-TW,zh;q=0.9", "zh-hant"},
		{"zh-Hant-HK", "zh-hant"},
		{"zh_HK", "zh-hant"},
		{"zh-CN,zh;q=0.9", "zh-hans"},
		{"zh-Hans", "zh-hans"},
		{"zh", "zh"},
		{"zh-Latn-pinyin", "zh"},
		{"*", ""},
		{"*, en;q=0.1", "en"},
		{"en;q=0", ""},
		{"en;q=0.000, de", "de"},
		{"ja;q=0, en;q=0.1", "en"},
		{"en;q=2, de;q=0.3", "de"},
		{"en;q=1.5, de;q=0.3", "de"},
		{"en;q=abc, de;q=0.3", "de"},
		{"en;q=0.1234, de;q=0.3", "de"},
		{"en;q=1.000", "en"},
		{"en; Q=0.2, de;q=0.1", "en"},
		{"en;level=1", "en"},
		{"i-klingon, x-private, en", "en"},
		{"e, en", "en"},
		{"engl, en", "en"},
		{"e1, 12, en", "en"},
		{"  ,, ;q=1, pt-BR", "pt"},
		{"日本語, ja", "ja"},
		{"\x00\xff", ""},
	}
	for _, tt := range tests {
		if got := Language(tt.in); got != tt.want {
			t.Errorf("Language(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLanguageCap(t *testing.T) {
	long := strings.Repeat("xx-invalid-tag;q=abc,", 300) + "en"
	if got := Language(long); got != "" {
		t.Errorf("entry beyond the cap was read: %q", got)
	}
	if got := Language("ja," + long); got != "ja" {
		t.Errorf("Language = %q", got)
	}
}

// The result must never point into the header: the header may be a view
// into a reused request buffer.
func TestLanguageDoesNotAlias(t *testing.T) {
	for _, h := range []string{"ja-JP", "fil-PH", "zh-TW"} {
		got := Language(h)
		if aliases(got, h) {
			t.Errorf("Language(%q) shares memory with its input", h)
		}
	}
}

func aliases(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	pa, pb := uintptr(unsafe.Pointer(unsafe.StringData(a))), uintptr(unsafe.Pointer(unsafe.StringData(b)))
	return pa >= pb && pa < pb+uintptr(len(b))
}

func TestLanguageAllocs(t *testing.T) {
	h := "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"
	if n := testing.AllocsPerRun(100, func() { _ = Language(h) }); n != 0 {
		t.Errorf("Language allocates %v times for a common header", n)
	}
}

func TestScreenClass(t *testing.T) {
	tests := []struct {
		w    int
		want string
	}{
		{-1, ""}, {0, ""}, {1, "Mobile"}, {375, "Mobile"}, {575, "Mobile"},
		{576, "Tablet"}, {768, "Tablet"}, {991, "Tablet"}, {992, "Laptop"},
		{1366, "Laptop"}, {1439, "Laptop"}, {1440, "Desktop"}, {2560, "Desktop"},
		{100000, "Desktop"}, {100001, ""}, {1 << 40, ""},
	}
	for _, tt := range tests {
		if got := ScreenClass(tt.w); got != tt.want {
			t.Errorf("ScreenClass(%d) = %q, want %q", tt.w, got, tt.want)
		}
	}
}

func FuzzLanguage(f *testing.F) {
	for _, s := range []string{"ja-JP,ja;q=0.9", "zh-TW", "*;q=0.5", "en;q=1.0001", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := Language(h)
		if got == "" {
			return
		}
		if got != "zh-hant" && got != "zh-hans" {
			if len(got) < 2 || len(got) > 3 || strings.Trim(got, "abcdefghijklmnopqrstuvwxyz") != "" {
				t.Fatalf("Language(%q) = %q: not [a-z]{2,3}", h, got)
			}
		}
		if !utf8.ValidString(got) || aliases(got, h) {
			t.Fatalf("Language(%q) = %q: invalid or aliased", h, got)
		}
	})
}

func BenchmarkLanguage(b *testing.B) {
	h := "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7"
	b.ReportAllocs()
	for b.Loop() {
		_ = Language(h)
	}
}

func BenchmarkLanguageQOrdered(b *testing.B) {
	h := "en;q=0.3, de;q=0.5, fr-CH;q=0.7, zh-TW;q=0.8, *;q=0.1"
	b.ReportAllocs()
	for b.Loop() {
		_ = Language(h)
	}
}
