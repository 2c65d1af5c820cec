package chstore

import (
	"strings"
	"testing"
	"time"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Config
	}{
		{"clickhouse://db.internal", Config{Addr: "db.internal:9000", Database: "shukei"}},
		{"clickhouse://127.0.0.1:19000/stats", Config{Addr: "127.0.0.1:19000", Database: "stats"}},
		{"clickhouse://[::1]:9001/", Config{Addr: "[::1]:9001", Database: "shukei"}},
		{"clickhouse://writer:p%40ss@ch:9000/shukei", Config{Addr: "ch:9000", Database: "shukei", Username: "writer", Password: "p@ss"}},
		{"clickhouse://ch/shukei?secure=true&dial_timeout=2s&query_timeout=90s&mutation_timeout=1h&max_open_conns=16",
			Config{Addr: "ch:9440", Database: "shukei", Secure: true, DialTimeout: 2 * time.Second, QueryTimeout: 90 * time.Second, MutationTimeout: time.Hour, MaxOpenConns: 16}},
	} {
		got, err := ParseURL(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.in, got, tc.want)
		}
	}
}

// TestParseURLRefuses checks malformed, hostile and oversized store URLs:
// each is an error that says what is wrong and never shows the password.
func TestParseURLRefuses(t *testing.T) {
	for in, want := range map[string]string{
		"":                                               "want clickhouse://",
		"duckdb":                                         "want clickhouse://",
		"http://ch:8123/shukei":                          "want clickhouse://",
		"clickhouse:ch:9000":                             "want clickhouse://",
		"clickhouse:///shukei":                           "want clickhouse://",
		"clickhouse://ch:9000/shukei#frag":               "want clickhouse://",
		"clickhouse://ch:0/shukei":                       "bad port",
		"clickhouse://ch:99999/shukei":                   "bad port",
		"clickhouse://ch:port/shukei":                    "malformed",
		"clickhouse://ch/a/b":                            `database "a/b"`,
		"clickhouse://ch/sh%60ukei":                      "database",
		"clickhouse://ch/x;DROP%20TABLE%20t":             "database",
		"clickhouse://ch/1db":                            "database",
		"clickhouse://ch/" + strings.Repeat("d", 64):     "database",
		"clickhouse://ch/x?secure=maybe":                 "want true or false",
		"clickhouse://ch/x?dial_timeout=-1s":             "want a duration",
		"clickhouse://ch/x?query_timeout=forever":        "want a duration",
		"clickhouse://ch/x?max_open_conns=0":             "want 1 to 1000",
		"clickhouse://ch/x?secure=1&secure=0":            "given 2 times",
		"clickhouse://ch/x?password=s3cret":              `unknown parameter "password"`,
		"clickhouse://u:s3cret@ch:bad/x":                 "malformed",
		"clickhouse://u:s3cret@ch/x y":                   "database",
		"clickhouse://ch/x?" + strings.Repeat("a", 3000): "longer than",
		"clickhouse://c\x00h/x":                          "malformed",
	} {
		_, err := ParseURL(in)
		if err == nil {
			t.Errorf("%q: accepted", in)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %q, want it to contain %q", in, err, want)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: the error shows the password: %v", in, err)
		}
	}
}

func TestValidate(t *testing.T) {
	good := Config{Addr: "ch:9000", Database: "shukei"}
	for name, mut := range map[string]func(*Config){
		"no port":         func(c *Config) { c.Addr = "ch" },
		"empty host":      func(c *Config) { c.Addr = ":9000" },
		"cluster quote":   func(c *Config) { c.Cluster = "c'; DROP" },
		"cluster dash":    func(c *Config) { c.Cluster = "two-shards" },
		"negative":        func(c *Config) { c.QueryTimeout = -time.Second },
		"database dot":    func(c *Config) { c.Database = "a.b" },
		"database empty":  func(c *Config) { c.Database = "" },
		"negative conns":  func(c *Config) { c.MaxOpenConns = -1 },
		"host with slash": func(c *Config) { c.Addr = "a/b:9000" },
	} {
		c := good
		mut(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: valid", name)
		}
	}
	if err := good.Validate(); err != nil {
		t.Errorf("good config: %v", err)
	}
}

// FuzzParseURL checks that any input either fails or yields a valid
// configuration whose names are safe to write into DDL.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"clickhouse://127.0.0.1:9000/shukei",
		"clickhouse://u:p@[::1]:9440/db?secure=true",
		"clickhouse://ch/x?dial_timeout=1s&max_open_conns=3",
		"clickhouse://ch/x%27%3B",
		"clickhouse://%00/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseURL(in)
		if err != nil {
			if c != (Config{}) {
				t.Errorf("%q: error %v with a config %+v", in, err, c)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%q: parsed config invalid: %v", in, err)
		}
		if !nameRE.MatchString(c.Database) {
			t.Errorf("%q: database %q unsafe", in, c.Database)
		}
		if c.Cluster != "" {
			t.Errorf("%q: a URL set the cluster", in)
		}
	})
}
