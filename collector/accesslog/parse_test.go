package accesslog

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	chromeUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

func mustFormat(t *testing.T, v string) Format {
	t.Helper()
	f, err := Lookup(v)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestParseFormats(t *testing.T) {
	tokyo := time.FixedZone("", 9*3600)
	at := time.Date(2024, 3, 9, 13, 55, 36, 0, tokyo)
	cases := []struct {
		name, format, line string
		want               Entry
	}{
		{"combined", "combined",
			`203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET /blog/a?q=tokyo HTTP/1.1" 200 5120 "https://www.google.com/" "` + chromeUA + `"`,
			Entry{Time: at, Addr: "203.0.113.9", Method: "GET", Target: "/blog/a?q=tokyo", Status: 200, Referrer: "https://www.google.com/", UserAgent: chromeUA,
				Has: HasMethod | HasStatus | HasReferrer | HasUserAgent}},
		{"combined with escaped quote and x-forwarded-for", "combined",
			`10.0.0.2 - frank [09/Mar/2024:13:55:36 +0900] "GET / HTTP/2.0" 304 0 "-" "Odd \"UA\"\x20here" "198.51.100.4, 10.0.0.1"`,
			Entry{Time: at, Addr: "10.0.0.2", Method: "GET", Target: "/", Status: 304, UserAgent: `Odd "UA" here`, ForwardedFor: "198.51.100.4, 10.0.0.1",
				Has: HasMethod | HasStatus | HasReferrer | HasUserAgent | HasForwardedFor}},
		{"combined with other fields appended", "combined",
			`2001:db8::1 - - [09/Mar/2024:13:55:36 +0900] "GET /x HTTP/1.1" 404 12 "-" "curl/8" rt=0.003 "upstream"`,
			Entry{Time: at, Addr: "2001:db8::1", Method: "GET", Target: "/x", Status: 404, UserAgent: "curl/8",
				Has: HasMethod | HasStatus | HasReferrer | HasUserAgent}},
		{"common", "common",
			`203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "POST /api/event HTTP/1.1" 202 2`,
			Entry{Time: at, Addr: "203.0.113.9", Method: "POST", Target: "/api/event", Status: 202, Has: HasMethod | HasStatus}},
		{"caddy", "caddy",
			`{"level":"info","ts":1709960136.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"10.0.0.3","remote_port":"5555","client_ip":"203.0.113.9","proto":"HTTP/2.0","method":"GET","host":"example.org","uri":"/docs?x=1","headers":{"User-Agent":["` + chromeUA + `"],"Referer":["https://t.co/"]},"tls":{"resumed":false}},"bytes_read":0,"duration":0.001,"size":10,"status":200,"resp_headers":{"Content-Type":["text/html; charset=utf-8"]}}`,
			Entry{Time: time.Unix(1709960136, 5e8).UTC(), Addr: "203.0.113.9", Method: "GET", Scheme: "https", Host: "example.org", Target: "/docs?x=1", Status: 200,
				Referrer: "https://t.co/", UserAgent: chromeUA, ContentType: "text/html; charset=utf-8",
				Has: HasMethod | HasStatus | HasUserAgent | HasReferrer | HasHost | HasContentType | HasForwardedFor}},
		{"iis", "iis",
			`2024-03-09 04:55:36 192.0.2.1 GET /default.aspx id=3 443 - 203.0.113.9 Mozilla/5.0+(Windows+NT+10.0) https://www.bing.com/ 200 0 0 15`,
			Entry{Time: at.UTC(), Addr: "203.0.113.9", Method: "GET", Target: "/default.aspx", Query: "id=3", Status: 200, UserAgent: "Mozilla/5.0 (Windows NT 10.0)", Referrer: "https://www.bing.com/",
				Has: HasMethod | HasStatus | HasUserAgent | HasReferrer}},
		{"nginx format string", `$remote_addr [$time_iso8601] $host "$request_method $uri$is_args$args" $status "$http_user_agent" $request_time`,
			`203.0.113.9 [2024-03-09T13:55:36+09:00] example.org "GET /a?b=c" 200 "` + chromeUA + `" 0.012`,
			Entry{Time: at, Addr: "203.0.113.9", Host: "example.org", Method: "GET", Target: "/a?b=c", Status: 200, UserAgent: chromeUA,
				Has: HasMethod | HasStatus | HasUserAgent | HasHost}},
		{"apache format string", `%v %h %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %{Content-Type}o`,
			`example.org 203.0.113.9 [09/Mar/2024:13:55:36 +0900] "GET /a HTTP/1.1" 200 1 "-" "` + chromeUA + `" text/html`,
			Entry{Time: at, Addr: "203.0.113.9", Host: "example.org", Method: "GET", Target: "/a", Status: 200, UserAgent: chromeUA, ContentType: "text/html",
				Has: HasMethod | HasStatus | HasUserAgent | HasReferrer | HasHost | HasContentType}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := mustFormat(t, c.format)
			p := f.NewParser(time.UTC)
			if f.Name() == "iis" {
				if err := p.Parse("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken", &Entry{}); !errors.Is(err, ErrSkip) {
					t.Fatal(err)
				}
			}
			var e Entry
			if err := p.Parse(c.line, &e); err != nil {
				t.Fatal(err)
			}
			if !e.Time.Equal(c.want.Time) {
				t.Errorf("time %v, want %v", e.Time, c.want.Time)
			}
			e.Time, c.want.Time = time.Time{}, time.Time{}
			if e != c.want {
				t.Errorf("entry\n got %+v\nwant %+v", e, c.want)
			}
		})
	}
}

func TestMalformedLines(t *testing.T) {
	for _, c := range []struct{ format, line string }{
		{"combined", `203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET / HTTP/1.1" 200`},
		{"combined", `203.0.113.9 - - [32/Mar/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 1 "-" "x"`},
		{"combined", `203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET / HTTP/1.1" 2000 1 "-" "x"`},
		{"common", `203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 1 "-" "x"`},
		{"caddy", `{"ts":1,"request":{}}`},
		{"caddy", `{"ts":`},
		{"iis", `2024-03-09 04:55:36 GET /`},
	} {
		var e Entry
		err := mustFormat(t, c.format).NewParser(time.UTC).Parse(c.line, &e)
		var le *LineError
		if !errors.As(err, &le) {
			t.Errorf("%s %q: err %v, want a LineError", c.format, c.line, err)
			continue
		}
		if strings.Contains(le.Error(), "203.0.113") {
			t.Errorf("the error quotes the line: %v", le)
		}
	}
}

func TestFormatStringErrors(t *testing.T) {
	for _, v := range []string{
		`$remote_addr $request`,              // no time
		`[$time_local] "$request"`,           // no address
		`$remote_addr [$time_local]`,         // no request
		`$remote_addr$time_local "$request"`, // nothing between two fields
		`nonsense`,
		`%h %t "%{Referer`,
	} {
		if _, err := Lookup(v); err == nil {
			t.Errorf("format %q: no error", v)
		}
	}
}

func TestDetect(t *testing.T) {
	lines := map[string][]string{
		"combined": {`203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 1 "-" "x"`},
		"common":   {`203.0.113.9 - - [09/Mar/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 1`},
		"caddy":    {`{"ts":1709960136.5,"request":{"remote_ip":"203.0.113.9","method":"GET","host":"a","uri":"/"},"status":200}`},
		"iis": {"#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
			"#Fields: date time c-ip cs-method cs-uri-stem sc-status", "2024-03-09 04:55:36 203.0.113.9 GET / 200"},
		"w3c": {"#Version: 1.0", "#Fields: date\ttime\tc-ip\tcs-method\tcs-uri-stem\tsc-status", "2024-03-09\t04:55:36\t203.0.113.9\tGET\t/\t200"},
	}
	for want, ls := range lines {
		f, err := Detect(ls, time.UTC)
		if err != nil || f.Name() != want {
			t.Errorf("%s: detected %v, %v", want, f, err)
		}
	}
	if _, err := Detect([]string{"hello", "world"}, time.UTC); !errors.Is(err, ErrUndetected) {
		t.Errorf("prose: %v", err)
	}
	err := Check(combined, lines["caddy"], time.UTC)
	if err == nil || !strings.Contains(err.Error(), "look like caddy") {
		t.Errorf("caddy lines as combined: %v", err)
	}
	if err := Check(combined, lines["combined"], time.UTC); err != nil {
		t.Error(err)
	}
}
