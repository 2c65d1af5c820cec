package opendata

import (
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/urlscrub"
)

// FuzzFileReport: only catalogue names with .json or .csv are accepted.
func FuzzFileReport(f *testing.F) {
	for _, s := range []string{"daily.csv", "pages-7-days.json", "index.json", "../daily.csv", "daily.csv.json", "daily", ".csv", "search-terms-7-days.csv"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		name, format, ok := FileReport(file)
		if !ok {
			return
		}
		if file != name+"."+format || strings.ContainsAny(file, "/\\\x00") {
			t.Errorf("FileReport(%q) = %q %q", file, name, format)
		}
	})
}

// FuzzPublicValues: whatever is accepted for publication is plain text
// that the scrubbers leave unchanged.
func FuzzPublicValues(f *testing.F) {
	for _, s := range []string{"/", "/news", "/user/12345678901", "/a?b=c", "Google", "a@b.example", "=cmd", "(other)", "\u202e", "tax form", "https://city.example/map.pdf", "http://x.example/?email=a@b.example", "https://X.example/a", "(none)", "topic=garbage", "topic=(none)", "a=b=c", "=x", "topic=member 12345678901"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if publicPath(v) {
			page, err := urlscrub.Scrub("https://shukei.invalid"+v, nil)
			if err != nil || page.Path != v || !plainText(v, 1024) {
				t.Errorf("path %q published", v)
			}
		}
		if publicValue(v) && (v == OtherLabel || urlscrub.ScrubValue(v) != v || !plainText(v, urlscrub.MaxValueLen)) {
			t.Errorf("value %q published", v)
		}
		if publicTerm(v) && (v == "" || urlscrub.ScrubSearchTerm(v) != v) {
			t.Errorf("term %q published", v)
		}
		if publicURL(v) {
			page, err := urlscrub.Scrub(v, nil)
			if !strings.HasPrefix(v, "/") && (err != nil || page.Hostname+page.Path != v[strings.Index(v, "//")+2:]) {
				t.Errorf("url %q published", v)
			}
			if strings.HasPrefix(v, "/") && !publicPath(v) {
				t.Errorf("url path %q published", v)
			}
		}
		if publicProperty(v) {
			key, value, _ := strings.Cut(v, "=")
			if key == "" || value == "(none)" || urlscrub.ScrubSearchTerm(value) != value || !plainText(v, 1024) {
				t.Errorf("property %q published", v)
			}
		}
	})
}
