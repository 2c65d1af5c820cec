package site

import (
	"strings"
	"testing"
)

func TestParseGoalFlag(t *testing.T) {
	for in, want := range map[string]struct{ domain, name, event, path string }{
		"example.org=event:Signup":        {"example.org", "Signup", "Signup", ""},
		"Example.org.=visit:/docs/*":      {"example.org", "Visit /docs/*", "", "/docs/*"},
		"example.org=page:checkout/done":  {"example.org", "Visit /checkout/done", "", "/checkout/done"},
		"example.org=event:File Download": {"example.org", "File Download", "File Download", ""},
	} {
		d, g, err := ParseGoalFlag(in)
		if err != nil || d != want.domain || g.Name() != want.name || g.EventName != want.event || g.PagePath != want.path {
			t.Errorf("ParseGoalFlag(%q) = %q %+v %v", in, d, g, err)
		}
	}
	for _, in := range []string{"example.org", "example.org=Signup", "example.org=event:", "=event:x",
		"example.org=event:pageview", "example.org=click:x", "example.org=event:" + strings.Repeat("x", 121), "example.org=event:a\nb"} {
		if _, _, err := ParseGoalFlag(in); err == nil {
			t.Errorf("ParseGoalFlag(%q) accepted", in)
		}
	}
}

func TestValidateGoals(t *testing.T) {
	ok := []Goal{{EventName: "Signup"}, {PagePath: "/docs/*"}, {PagePath: "/a", DisplayName: "A"}}
	if err := ValidateGoals(ok); err != nil {
		t.Error(err)
	}
	for _, bad := range [][]Goal{
		{{EventName: "Signup"}, {EventName: "Signup", DisplayName: "Other"}},
		{{EventName: "Signup"}, {PagePath: "/x", DisplayName: "Signup"}},
		{{EventName: "a", PagePath: "/b"}},
		{{}},
	} {
		if err := ValidateGoals(bad); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}
