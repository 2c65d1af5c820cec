package site

import (
	"slices"
	"strings"
	"testing"
)

func TestParsePropKeys(t *testing.T) {
	got, err := ParsePropKeys([]string{" author ", "", "plan", "author", "カテゴリ"})
	if err != nil || !slices.Equal(got, []string{"author", "plan", "カテゴリ"}) {
		t.Errorf("ParsePropKeys = %q, %v", got, err)
	}
	for _, bad := range [][]string{
		{strings.Repeat("k", MaxPropKeyLen+1)},
		{"a\tb"},
		{"a,b"},
		{"\xff"},
		{"1", "2", "3", "4", "5", "6", "7", "8", "9"},
	} {
		if _, err := ParsePropKeys(bad); err == nil {
			t.Errorf("ParsePropKeys(%q) accepted", bad)
		}
	}
}
