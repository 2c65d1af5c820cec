package accesslog

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Every parser must read any line without panicking, in bounded time, and
// must never put the line into its error (a log line carries an address
// and a User-Agent). Seeds are under testdata/fuzz.

func fuzzParser(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		p := format.NewParser(time.UTC)
		var e Entry
		for _, l := range strings.Split(line, "\n") {
			err := p.Parse(l, &e)
			checkParsed(t, l, &e, err)
		}
	})
}

func checkParsed(t *testing.T, line string, e *Entry, err error) {
	t.Helper()
	var le *LineError
	switch {
	case err == nil:
		if e.Time.IsZero() {
			t.Fatalf("%q: entry without a time", line)
		}
	case errors.Is(err, ErrSkip):
	case errors.As(err, &le):
		if len(line) >= 8 && strings.Contains(le.Error(), line) {
			t.Fatalf("the error quotes the line: %v", err)
		}
	default:
		t.Fatalf("%q: error of type %T: %v", line, err, err)
	}
}

func FuzzCombined(f *testing.F) {
	fuzzParser(f, combined,
		`203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET /blog/a?q=tokyo HTTP/1.1" 200 5120 "https://www.google.com/" "Mozilla/5.0"`,
		`10.0.0.2 - frank [09/Mar/2024:13:55:36 -0000] "GET / HTTP/2.0" 304 0 "-" "Odd \"UA\"\x20here" "198.51.100.4, 10.0.0.1"`,
		`::1 - - [09/Mar/2024:13:55:36.123 +05:30] "\x16\x03\x01" 400 0 "-" "-"`)
}

func FuzzCommon(f *testing.F) {
	fuzzParser(f, common,
		`203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 1`,
		`203.0.113.9 - - [09/Mar/2024:13:55:36] "GET" - -`)
}

func FuzzCaddy(f *testing.F) {
	fuzzParser(f, caddyFormat{},
		`{"ts":1709960136.5,"request":{"remote_ip":"203.0.113.9","client_ip":"203.0.113.9","method":"GET","host":"a","uri":"/","headers":{"User-Agent":["x"]},"tls":{}},"status":200,"resp_headers":{"Content-Type":["text/html"]}}`,
		`{"ts":"2024-03-09T13:55:36.5+09:00","request":{"remote_ip":"::1","uri":"/"}}`,
		`{"ts":null}`)
}

func FuzzW3C(f *testing.F) {
	fuzzParser(f, w3cFormat{iis: true},
		"#Software: Microsoft Internet Information Services 10.0\n#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent) cs(Referer)\n2024-03-09 04:55:36 203.0.113.9 GET / a=b 200 Mozilla/5.0+(X11) -",
		"#Fields: date\ttime\tc-ip\tcs-method\tcs-uri-stem\tsc-status\tcs(User-Agent)\n2024-03-09\t04:55:36\t203.0.113.9\tGET\t/\t200\tMozilla/5.0%2520(X11)",
		"#Fields:\n2024-03-09 04:55:36")
}

// FuzzFormatString compiles a format string and reads a line with it.
func FuzzFormatString(f *testing.F) {
	f.Add(`$remote_addr [$time_iso8601] $host "$request_method $uri$is_args$args" $status "$http_user_agent"`,
		`203.0.113.9 [2024-03-09T13:55:36+09:00] example.org "GET /a?b=c" 200 "Mozilla/5.0"`)
	f.Add(`%v %h %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"`,
		`example.org 203.0.113.9 [09/Mar/2024:13:55:36 +0900] "GET /a HTTP/1.1" 200 1 "-" "Mozilla/5.0"`)
	f.Add(`$msec $remote_addr $request_uri`, `1709960136.123 203.0.113.9 /a`)
	f.Fuzz(func(t *testing.T, format, line string) {
		if !utf8.ValidString(format) {
			return
		}
		fm, err := ParseFormatString(format)
		if err != nil {
			return
		}
		var e Entry
		err = fm.NewParser(time.UTC).Parse(line, &e)
		checkParsed(t, line, &e, err)
	})
}

// FuzzDetect runs detection over arbitrary first lines.
func FuzzDetect(f *testing.F) {
	f.Add("#Fields: date time c-ip cs-uri-stem\n2024-03-09 04:55:36 203.0.113.9 /")
	f.Add(`203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 1`)
	f.Fuzz(func(t *testing.T, text string) {
		lines := strings.Split(text, "\n")
		if len(lines) > SampleLines {
			lines = lines[:SampleLines]
		}
		fm, err := Detect(lines, time.UTC)
		if err == nil && fm == nil {
			t.Fatal("no format and no error")
		}
		_ = Check(combined, lines, time.UTC)
	})
}
