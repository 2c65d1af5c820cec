package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/duckstore"
)

// canary is one value that must never be stored, logged or exposed, in
// every form it could take.
type canary struct {
	what  string
	forms [][]byte
}

func text(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, v := range s {
		out[i] = []byte(v)
	}
	return out
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// ipCanary lists an address's forms: dotted or colon text, hex, packed
// bytes, and the same for its truncated prefix (DESIGN §1.1: no IP, full
// or truncated, at rest).
func ipCanary(ip netip.Addr) canary {
	c := canary{what: "ip " + ip.String()}
	raw := ip.AsSlice()
	c.forms = append(c.forms, []byte(ip.String()), []byte(ip.StringExpanded()), []byte(hex.EncodeToString(raw)), raw)
	if ip.Is4() {
		p := netip.PrefixFrom(ip, 24).Masked().Addr()
		prefix := strings.TrimSuffix(p.String(), "0")
		c.forms = append(c.forms, []byte(prefix), []byte(p.String()), []byte(hex.EncodeToString(raw[:3])))
	} else {
		p := netip.PrefixFrom(ip, 48).Masked().Addr()
		full := p.StringExpanded() // 2001:0db8:xxxx:0000:...
		c.forms = append(c.forms, []byte(p.String()), []byte(full[:15]), []byte(hex.EncodeToString(raw[:6])), raw[:6])
	}
	return c
}

// canaryPropArgs make the canary site keep two custom properties, so that
// their values are searched too.
var canaryPropArgs = []string{"-prop-key", "canary.example=email,plan"}

// TestCanary sends hits carrying unique addresses, User-Agents, query
// values, e-mail addresses, tokens and ids, then searches every byte the
// server wrote (database files, logs, stdout, /metrics) and every decoded
// column of every table for any of them (DESIGN §1.1).
func TestCanary(t *testing.T) {
	srv := startTestServer(t, testOptions{args: append([]string{"-site", "canary.example", "-geoip", writeSimGeo(t)}, canaryPropArgs...)})
	canaries := sendCanaries(t, srv)
	sources := stopAndCollect(t, srv)
	sources["decoded columns"] = dumpStore(t, srv.cfg.store.data)
	scanCanaries(t, sources, canaries)
}

// canaryValues are one canary visitor's unique values: addresses, a
// User-Agent, personal data in a page URL and a referrer.
type canaryValues struct {
	v4, v6                                     netip.Addr
	ua, email, order, token, queryVal, refPath string
	searchEmail, utmEmail, tag                 string
}

// newCanaryValues draws the i-th visitor's values and the canaries that
// must never be found.
func newCanaryValues(i int) (canaryValues, []canary) {
	tag := randHex(6)
	c := canaryValues{
		v4:  netip.AddrFrom4([4]byte{11, byte(150 + i), byte(200 + i), byte(100 + i)}),
		v6:  netip.MustParseAddr(fmt.Sprintf("2001:db8:%x:%x::%x", 0xc000+i, 0xa000+i, 0xbeef+i)),
		ua:  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 CanaryUA" + tag,
		tag: tag, email: "canary.person." + tag + "@mail.example", order: fmt.Sprintf("97%08d", 31000000+i),
		token: randHex(16), queryVal: "canaryq" + tag, refPath: "canaryref" + tag,
		searchEmail: "canary.search." + tag + "@mail.example", utmEmail: "canary.utm." + tag + "@mail.example",
	}
	return c, []canary{ipCanary(c.v4), ipCanary(c.v6),
		{"user agent", text("CanaryUA" + tag)},
		{"e-mail in path", text(c.email, "canary.person."+tag)},
		{"order number", text(c.order)},
		{"token", text(c.token)},
		{"query value", text(c.queryVal)},
		{"referrer path", text(c.refPath)},
		{"search e-mail", text(c.searchEmail, "canary.search."+tag)},
		{"utm e-mail", text(c.utmEmail, "canary.utm."+tag)},
	}
}

// sendCanaries sends the canary hits and checks that they were counted.
func sendCanaries(t *testing.T, srv *testServer) []canary {
	t.Helper()
	var canaries []canary
	const n = 10
	sc := newScrubCanary()
	canaries = append(canaries, sc.canaries...)
	scrubViews := 0
	for i := range n {
		cv, cs := newCanaryValues(i)
		v4, v6, ua, email, order, token, queryVal, refPath, searchEmail, utmEmail, tag :=
			cv.v4, cv.v6, cv.ua, cv.email, cv.order, cv.token, cv.queryVal, cv.refPath, cv.searchEmail, cv.utmEmail, cv.tag
		propVal := "canaryprop" + tag
		canaries = append(canaries, cs...)
		canaries = append(canaries, canary{"prop value", text(propVal)}, canary{"fragment", text("canaryfrag" + tag)})
		page := fmt.Sprintf("https://canary.example/users/%s/orders/%s/reset/%s?session=%s&q=%s&utm_source=news&utm_content=%s#canaryfrag%s",
			email, order, token, queryVal, searchEmail, utmEmail, tag)
		for _, ip := range []netip.Addr{v4, v6} {
			for _, p := range []map[string]any{
				{"n": "pageview", "u": page, "d": "canary.example", "r": "https://ref.example/" + refPath + "?x=" + queryVal, "p": map[string]string{"user": propVal}},
				{"n": "Signup", "u": page, "d": "canary.example", "p": map[string]string{"email": email, "plan": "pro " + order}},
				// Kept properties are scrubbed: the url of a download or an
				// outbound link like a page URL, allowlisted values like URL
				// values (e-mail above, the order number in the plan).
				{"n": "File Download", "u": page, "d": "canary.example", "p": map[string]string{"url": "https://canary.example/files/" + email + "/orders/" + order + "/" + token + ".pdf?session=" + queryVal + "#canaryfrag" + tag}},
				{"n": "Outbound Link: Click", "u": page, "d": "canary.example", "p": map[string]string{"url": "https://ref.example/users/" + email + "/" + token + "?q=" + queryVal + "#canaryfrag" + tag}},
				{"n": "engagement", "u": page, "d": "canary.example", "e": 5000},
			} {
				if status, body := srv.hit(ip.String(), ua, p, map[string]string{"Accept-Language": "ja"}); status != 202 {
					t.Fatalf("hit: %d %s", status, body)
				}
			}
			scrubViews += sc.send(t, srv, ip.String(), ua)
		}
	}
	srv.flush()
	if got := srv.query(`{"site_id":"canary.example","metrics":["pageviews","events"],"date_range":"all"}`).Results[0].Metrics; *got[0] != float64(2*n+scrubViews) || *got[1] != float64(8*n+scrubViews) {
		t.Fatalf("pageviews %v events %v: the canary hits were not all counted", *got[0], *got[1])
	}
	// Positive control: the kept properties are stored (scrubbed).
	for key, want := range map[string]float64{"email": 2 * n, "url": 4 * n} {
		res := srv.query(`{"site_id":"canary.example","metrics":["events"],"date_range":"all","filters":[["is_not","event:props:` + key + `",["(none)"]]]}`)
		if got := *res.Results[0].Metrics[0]; got != want {
			t.Fatalf("property %s kept on %v events, want %v", key, got, want)
		}
	}
	return canaries
}

// stopAndCollect reads /metrics, stops the server (storing every hit) and
// collects what it wrote: logs, stdout, /metrics and every file in -data.
func stopAndCollect(t *testing.T, srv *testServer) map[string][]byte {
	t.Helper()
	metrics := srv.metrics()
	srv.stop()
	sources := map[string][]byte{"logs": []byte(srv.logs.String()), "stdout": []byte(srv.stdout.String()), "/metrics": []byte(metrics)}
	readFiles(t, sources, "file ", srv.cfg.store.data)
	return sources
}

// readFiles adds every file under dir to sources; a file that vanishes
// during the walk (a server's temporary part) is skipped.
func readFiles(t *testing.T, sources map[string][]byte, prefix, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		sources[prefix+path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// scanCanaries fails the test for every canary form found in a source.
// The decoded columns must hold the scrubbed path, or the scan would not
// see stored paths at all.
func scanCanaries(t *testing.T, sources map[string][]byte, canaries []canary) {
	t.Helper()
	for _, want := range append([]string{"/users/:email/orders/:id/reset/:token", "isp.example"}, scrubbedPaths...) {
		found := false
		for name, b := range sources {
			found = found || (strings.HasPrefix(name, "decoded columns") && bytes.Contains(b, []byte(want)))
		}
		if !found {
			t.Errorf("the scrubbed form %q is not in the dump; the scan would not see stored values", want)
		}
	}
	for name, b := range sources {
		for _, c := range canaries {
			for _, form := range c.forms {
				if i := bytes.Index(b, form); i >= 0 {
					t.Errorf("%s leaks %s as %q at byte %d: …%q…", name, c.what, form, i, around(b, i, len(form)))
				}
			}
		}
	}
}

func around(b []byte, i, n int) []byte {
	return b[max(0, i-40):min(len(b), i+n+40)]
}

// dumpStore reopens the stopped server's database and decodes every column.
func dumpStore(t *testing.T, dataDir string) []byte {
	t.Helper()
	st, err := duckstore.Open(context.Background(), duckstore.Config{Path: filepath.Join(dataDir, duckDBFile)}, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var buf bytes.Buffer
	if err := st.DumpText(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCanaryScanFindsLeaks is the scan's own check: planted values in each
// form are found.
func TestCanaryScanFindsLeaks(t *testing.T) {
	c := ipCanary(netip.MustParseAddr("11.150.200.100"))
	for _, form := range c.forms {
		hay := append([]byte("xx"), append(form, 'y')...)
		if !bytes.Contains(hay, form) {
			t.Errorf("form %q not found", form)
		}
	}
	if len(c.forms) < 7 {
		t.Errorf("IPv4 canary has %d forms, want text, expanded, hex, packed and three prefix forms", len(c.forms))
	}
}
