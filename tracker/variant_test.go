package tracker

import (
	"strings"
	"testing"
)

func TestFileNameRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for f := Features(0); f <= allFeatures; f++ {
		name := f.FileName()
		if seen[name] {
			t.Errorf("two builds named %s", name)
		}
		seen[name] = true
		got, ok := ParseFileName(name)
		if !ok || got != f {
			t.Errorf("%s: parsed as %v, %v; want %v", name, got, ok, f)
		}
	}
	if Features(0).FileName() != "script.js" {
		t.Errorf("default build named %s", Features(0).FileName())
	}
}

func FuzzParseFileName(f *testing.F) {
	for _, seed := range []string{"script.js", "plausible.hash.js", "script.outbound-links.file-downloads.js",
		"script..js", "script.hash.hash.js", "script.js.js", "", ".", "script.local.hash.js\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		feat, ok := ParseFileName(name)
		if !ok {
			if feat != 0 {
				t.Fatalf("%q refused with features %v", name, feat)
			}
			return
		}
		if len(name) > maxFileName || !strings.HasSuffix(name, ".js") || feat > allFeatures {
			t.Fatalf("%q accepted as %v", name, feat)
		}
		// Every accepted name is a permutation of the canonical one.
		canon := feat.FileName()
		if len(canon) != len(strings.Replace(name, "plausible", "script", 1)) {
			t.Fatalf("%q accepted as %s", name, canon)
		}
		if again, ok := ParseFileName(canon); !ok || again != feat {
			t.Fatalf("%q: canonical %s parses as %v", name, canon, again)
		}
	})
}
