package main

import (
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/site"
)

func TestGoalFlags(t *testing.T) {
	reg := func() *site.Registry {
		return site.NewRegistry(&site.Site{Domain: "example.org", Location: time.UTC}, &site.Site{Domain: "b.example", Location: time.UTC})
	}
	var f goalFlag
	for _, v := range []string{"example.org=event:Signup", "example.org=visit:/docs/*", "b.example=page:/thanks"} {
		if err := f.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	r := reg()
	if err := applyGoals(f, r); err != nil {
		t.Fatal(err)
	}
	s, _ := r.Lookup("example.org")
	if len(s.Goals) != 2 || s.Goals[0].Name() != "Signup" || s.Goals[1].Name() != "Visit /docs/*" || !strings.HasPrefix(s.Goals[0].ID, "flag-") {
		t.Errorf("example.org goals %+v", s.Goals)
	}
	if b, _ := r.Lookup("b.example"); len(b.Goals) != 1 || b.Goals[0].PagePath != "/thanks" {
		t.Errorf("b.example goals %+v", b.Goals)
	}
	for _, bad := range [][]string{{"other.org=event:X"}, {"example.org=event:X", "example.org=event:X"}} {
		if err := applyGoals(bad, reg()); err == nil {
			t.Errorf("accepted %v", bad)
		}
	}
	if err := f.Set("example.org=Signup"); err == nil {
		t.Error("a goal without a kind was accepted")
	}
}
