package urlscrub

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScrubValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"newsletter", "newsletter"},
		{"  Spring   Sale\u3000 2024 ", "Spring Sale 2024"},
		{"spring\tsale\nlaunch", "spring sale launch"},
		{"contact john@example.com now", "contact :email now"},
		{"john.doe+tag@mail.example.co.jp", ":email"},
		{"order 1234567", "order :id"},
		{"call +1 (555) 123-4567 today", "call :phone today"},
		{"tel 090 1234 5678", "tel :phone"},
		{"id=550e8400-e29b-41d4-a716-446655440000", "id=:uuid"},
		{"key 5f4dcc3b5aa765d61d8327deb882cf99", "key :token"},
		{"sale 2024-05-01", "sale 2024-05-01"},
		{"black friday 50% off", "black friday 50% off"},
		{"iPhone ケース", "iPhone ケース"},
		{"電話 ０９０－１２３４－５６７８", "電話 :phone"},
		{"ｉＰｈｏｎｅ ｹｰｽ", "iPhone ケース"},
		{"mail jöhn.dœ@example.com", "mail :email"},
		{"\u202eevil\x00", "evil"},
		{"a\u200bb\ufeffc", "abc"},
		{"zero\u200dwidth joiner kept", "zero\u200dwidth joiner kept"},
		{"bad \xff byte", "bad \uFFFD byte"},
		{"\x00\x01\x7f", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := ScrubValue(tt.in); got != tt.want {
			t.Errorf("ScrubValue(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScrubValueCap(t *testing.T) {
	got := ScrubValue(strings.Repeat("日本", 100)) // 600 bytes
	if len(got) > MaxValueLen || !utf8.ValidString(got) {
		t.Errorf("len = %d, valid = %v", len(got), utf8.ValidString(got))
	}
	got = ScrubValue(strings.Repeat("a", 199) + " b")
	if got != strings.Repeat("a", 199) {
		t.Errorf("cap left a trailing space: %q", got[190:])
	}
}

// An identifier straddling the input bound must not survive in part.
func TestScrubValueInputBound(t *testing.T) {
	s := strings.Repeat("x ", maxValueInput/2-8) + "john.doe@example.com"
	if got := ScrubValue(s); strings.Contains(got, "john") {
		t.Errorf("partial e-mail kept: …%q", got[len(got)-20:])
	}
}

func TestScrubSearchTerm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"iPhone  Case", "iphone case"},
		{"ÄRGER Übel", "ärger übel"},
		{"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
		{"Mail JOHN@EXAMPLE.COM", "mail :email"},
		{"東京 ホテル", "東京 ホテル"},
	}
	for _, tt := range tests {
		if got := ScrubSearchTerm(tt.in); got != tt.want {
			t.Errorf("ScrubSearchTerm(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// U+023A lowercases to a longer sequence: the cap still holds.
	if got := ScrubSearchTerm(strings.Repeat("\u023a", 100)); len(got) > MaxValueLen || !utf8.ValidString(got) {
		t.Errorf("len = %d", len(got))
	}
}

func TestScrubValueAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = ScrubValue("spring_sale_2024") }); n > 0 {
		t.Errorf("ScrubValue of a clean value allocates %v times", n)
	}
}
