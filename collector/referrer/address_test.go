package referrer

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/urlscrub"
)

// TestAddressHosts: a referrer host that carries an address keeps only its
// registrable domain, or nothing (testdata/address-hosts.txt).
func TestAddressHosts(t *testing.T) {
	f, err := os.Open("testdata/address-hosts.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ref, want, _ := strings.Cut(line, "\t")
		got := Classify(ref, "example.org", "", "")
		n++
		if want == "-" {
			if got.Host != "" || got.Name != IPAddress {
				t.Errorf("%s: %+v, want only the name %q", ref, got, IPAddress)
			}
			continue
		}
		if got.Host != want {
			t.Errorf("%s: host %q, want %q", ref, got.Host, want)
		}
		if strings.ContainsAny(got.Name, "0123456789") && !strings.Contains(want, got.Name) {
			t.Errorf("%s: name %q", ref, got.Name)
		}
	}
	if n < 25 {
		t.Fatalf("%d hosts read", n)
	}
}

// FuzzScrubHost: no kept host is an IP address or holds anything the
// value scrubber would replace.
func FuzzScrubHost(f *testing.F) {
	for _, h := range []string{"203-0-113-77.dyn.isp.example", "0xcb00714d", "softbank126123045067.bbtec.net", "news.yahoo.co.jp", "[2001:db8::1]", "abc.09012345678x"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		src := Classify("https://"+h+"/", "example.org", "", "")
		if src.Host == "" {
			return
		}
		if isIP(src.Host) || numericLastLabel(src.Host) || urlscrub.ScrubValue(src.Host) != src.Host {
			t.Fatalf("%q kept as %q", h, src.Host)
		}
	})
}
