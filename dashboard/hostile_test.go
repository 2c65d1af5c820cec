package dashboard

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/route"
)

// hostileValues are form values no handler may fail on: invalid UTF-8,
// control characters, markup, path tricks, huge numbers, long strings.
var hostileValues = []string{
	"\xff\xfe\xfd", "a\x00b", "<script>alert(1)</script>", "../../etc/passwd", "//evil.example/",
	"-1", "99999999999999999999999", "NaN", "1e308", " ", strings.Repeat("x", 2000), "Ａｓｉａ／Ｔｏｋｙｏ",
}

// formFields are every field name the dashboard's forms use.
var formFields = []string{
	"allowed_hostnames", "code", "confirm", "current", "domain", "epsilon", "min_cell_size", "name", "next",
	"owner", "password", "password2", "public", "respect_gpc", "retention_months", "role", "round_to",
	"scope", "secret", "site", "timezone", "username",
}

// TestFormsRefuseHostileInput posts hostile values in every field to every
// state-changing route, as the instance owner (whom every route admits):
// each answer is a page or a refusal, never a server error, and the site
// and the account survive.
func TestFormsRefuseHostileInput(t *testing.T) {
	f := newAccessFixture(t)
	for _, v := range hostileValues {
		form := url.Values{}
		for _, k := range formFields {
			form.Set(k, v)
		}
		anon := f.h.client()
		anon.get("/login") // the signed-out forms' token
		for _, r := range f.h.srv.Routes() {
			if r.Access == route.Anonymous && r.Method == fiber.MethodPost {
				if res := anon.post(r.Path, cloneValues(form)); res.status >= 500 {
					t.Errorf("anonymous POST %s with %q: %d %.200s", r.Path, v[:min(len(v), 20)], res.status, res.body)
				}
			}
			if r.Method != fiber.MethodPost || strings.HasSuffix(r.Path, "/remove") ||
				strings.HasSuffix(r.Path, "/delete") || r.Path == "/logout" || r.Path == "/account/sessions" {
				continue // these act on their path, not on their fields
			}
			res := f.owner.post(f.path(r), cloneValues(form))
			if res.status >= 500 {
				t.Errorf("POST %s with %q: %d %.200s", r.Path, v[:min(len(v), 20)], res.status, res.body)
			}
		}
	}
	if _, ok := f.h.sites.Lookup(fixtureSite); !ok {
		t.Error("the site is gone after hostile posts")
	}
	if res := f.owner.get("/sites/" + fixtureSite); res.status != http.StatusOK {
		t.Errorf("the owner lost access after hostile posts: %d", res.status)
	}
	users, err := f.h.srv.Admin().Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if strings.ContainsAny(u.Username, "<>\x00") || !isValidUTF8(u.Username) {
			t.Errorf("a hostile user name was stored: %q", u.Username)
		}
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
