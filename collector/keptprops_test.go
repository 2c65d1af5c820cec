package collector

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// TestKeptProps: only the url of File Download and Outbound Link: Click
// and a site's allowlisted keys are kept, scrubbed, as property rows;
// every other property is discarded.
func TestKeptProps(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	p := newTestPipeline(t, func() time.Time { return now })
	p.Sites.Put(&site.Site{Domain: "example.org", Location: time.UTC, PropKeys: []string{"author", "plan"}})
	p.PropValues = NewPropValues(100)
	tests := []struct {
		name  string
		event string
		props []Prop
		want  map[string]string // key → kept value
	}{
		{"file download", "File Download", []Prop{{"url", "https://example.org/files/report.pdf?token=abc#x"}, {"secret", "s3cr3t"}},
			map[string]string{"url": "https://example.org/files/report.pdf", "author": PropNone, "plan": PropNone}},
		{"outbound link", "Outbound Link: Click", []Prop{{"url", "HTTPS://Other.example/users/jane.doe@mail.example/profile"}},
			map[string]string{"url": "https://other.example/users/:email/profile", "author": PropNone, "plan": PropNone}},
		{"relative download", "File Download", []Prop{{"url", "/files/a.pdf?x=1"}},
			map[string]string{"url": "/files/a.pdf", "author": PropNone, "plan": PropNone}},
		{"download without url", "File Download", nil,
			map[string]string{"url": PropNone, "author": PropNone, "plan": PropNone}},
		{"allowlisted on a page view", "pageview", []Prop{{"author", "Jane"}, {"plan", "pro"}, {"logged_in", "true"}},
			map[string]string{"author": "Jane", "plan": "pro"}},
		{"url of another event is an ordinary property", "Signup", []Prop{{"url", "https://example.org/x"}},
			map[string]string{"author": PropNone, "plan": PropNone}},
		{"values are scrubbed", "Signup", []Prop{{"author", "mail jane.doe@mail.example"}, {"plan", "x" + string(make([]byte, 300))}},
			map[string]string{"author": "mail :email", "plan": ""}},
		{"engagement keeps nothing", "engagement", []Prop{{"author", "Jane"}}, nil},
	}
	for i, tt := range tests {
		r := &Request{Payload: &Payload{Name: tt.event, URL: "https://example.org/", Domain: "example.org", Props: tt.props, EngagementMS: 1000},
			Remote: netip.MustParseAddr(fmt.Sprintf("198.51.%d.1", i+1)), UserAgent: firefox}
		if tt.event == "engagement" {
			view := *r
			view.Payload = &Payload{Name: "pageview", URL: "https://example.org/", Domain: "example.org"}
			if _, _, err := p.Process(&view, nil); err != nil {
				t.Fatal(err)
			}
		}
		rows, drop, err := p.Process(r, nil)
		if err != nil || drop != DropNone {
			t.Fatalf("%s: drop %q err %v", tt.name, drop, err)
		}
		got := map[string]string{}
		for _, row := range rows {
			if row.PropKey == "" {
				continue
			}
			if row.Kind != event.KindEvent || row.PropEvents != 1 || row.Pageviews != 0 || row.Events != 0 || row.Visitors != 0 {
				t.Errorf("%s: property row %+v", tt.name, row)
			}
			got[row.PropKey] = row.PropValue
		}
		if tt.name == "values are scrubbed" {
			if len(got["plan"]) > maxValuePropLen || got["author"] != tt.want["author"] {
				t.Errorf("%s: kept %q", tt.name, got)
			}
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("%s: kept %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestPropValuesCap: past the cap of distinct values a site-day keeps for
// a key, new values fold into "(other)"; values already seen stay, and
// the next day starts afresh.
func TestPropValuesCap(t *testing.T) {
	c := NewPropValues(2)
	s := &site.Site{Domain: "example.org", Location: time.FixedZone("JST", 9*3600)}
	day := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC) // 12:00 in Tokyo
	for i, tt := range []struct {
		key, v, want string
		at           time.Time
	}{
		{"url", "/a.pdf", "/a.pdf", day},
		{"url", "/b.pdf", "/b.pdf", day},
		{"url", "/c.pdf", PropOther, day},
		{"url", "/a.pdf", "/a.pdf", day},
		{"url", PropNone, PropNone, day},
		{"plan", "pro", "pro", day},                          // another key has a cap of its own
		{"url", "/c.pdf", "/c.pdf", day.Add(14 * time.Hour)}, // 02:00 the next day in Tokyo
		{"url", "/d.pdf", "/d.pdf", day.Add(14 * time.Hour)},
		{"url", "/e.pdf", PropOther, day.Add(14 * time.Hour)},
	} {
		if got := c.admit(s, tt.key, tt.v, tt.at); got != tt.want {
			t.Errorf("%d: admit(%q, %q) = %q, want %q", i, tt.key, tt.v, got, tt.want)
		}
	}
	var nilCap *PropValues
	if nilCap.admit(s, "url", "/x", day) != "/x" {
		t.Error("a nil PropValues capped a value")
	}
}

func TestScrubPropValue(t *testing.T) {
	for in, want := range map[string]string{
		"pro":                   "pro",
		"order 9731000000":      "order :id",
		"2024 plan, ¥12000":     "2024 plan, ¥12000",
		"member123456":          "member:id",
		"jane.doe@mail.example": ":email",
		"Ｅｎｔｅｒｐｒｉｓｅ":            "Enterprise",
		"v1.2.3":                "v1.2.3",
	} {
		if got := scrubPropValue(in); got != want {
			t.Errorf("scrubPropValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestScrubURLProp(t *testing.T) {
	opts := urlscrub.DefaultOptions()
	for in, want := range map[string]string{
		"https://example.org/files/Report 2024.pdf":                         "https://example.org/files/Report 2024.pdf",
		"http://www.example.org/a/550e8400-e29b-41d4-a716-446655440000.pdf": "http://www.example.org/a/:uuid.pdf",
		"mailto:jane.doe@mail.example":                                      "mailto::email",
		"file:///C:/Users/jane/doc.pdf":                                     "file:///C:/Users/jane/doc.pdf",
		"//cdn.example.org/x.pdf":                                           "//cdn.example.org/x.pdf",
		"https:/\x0e/example.org/a.pdf?token=abc#p":                         "https://example.org/a.pdf",
	} {
		if got := scrubURLProp(in, opts); got != want {
			t.Errorf("scrubURLProp(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzScrubProps: whatever a visitor sends as a kept property, the stored
// value is valid UTF-8 within its length cap, an allowlisted value holds
// no run of minPropIDDigits digits, and a url keeps no query or fragment.
func FuzzScrubProps(f *testing.F) {
	for _, s := range []string{"pro", "order 9731000000", "jane.doe@mail.example", "Ｅｎｔｅｒｐｒｉｓｅ",
		"https://example.org/files/a.pdf?token=abc#x", "/files/a.pdf?x=1", "mailto:a@b.example", "\xff\xfe", "１２３４５６７"} {
		f.Add(s)
	}
	opts := urlscrub.DefaultOptions()
	f.Fuzz(func(t *testing.T, v string) {
		got := scrubPropValue(v)
		if len(got) > maxValuePropLen || !utf8.ValidString(got) {
			t.Errorf("scrubPropValue(%q) = %q: over the cap or invalid UTF-8", v, got)
		}
		run := 0
		for i := range len(got) {
			if run = 0; '0' <= got[i] && got[i] <= '9' {
				for j := i; j < len(got) && '0' <= got[j] && got[j] <= '9'; j++ {
					run++
				}
			}
			if run >= minPropIDDigits {
				t.Fatalf("scrubPropValue(%q) = %q keeps a number of %d digits", v, got, run)
			}
		}
		u := scrubURLProp(v, opts)
		if len(u) > maxURLPropLen || !utf8.ValidString(u) {
			t.Errorf("scrubURLProp(%q) = %q: over the cap or invalid UTF-8", v, u)
		}
		if strings.ContainsAny(u, "?#") {
			t.Errorf("scrubURLProp(%q) = %q keeps a query or fragment", v, u)
		}
	})
}
