package loggen

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Format is a log layout the generator writes.
type Format string

// The formats.
const (
	Combined Format = "combined"
	Common   Format = "common"
	Caddy    Format = "caddy"
	IIS      Format = "iis"
	// Custom is written in CustomFormat's layout.
	Custom Format = "custom"
)

// CustomFormat is the nginx log_format of Custom logs.
const CustomFormat = `$remote_addr - [$time_iso8601] $host "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time`

// Formats lists them.
var Formats = []Format{Combined, Common, Caddy, IIS, Custom}

// records says what a format logs.
func (f Format) records() needs {
	switch f {
	case Common:
		return 0
	case Combined, IIS:
		return needsUA | needsReferrer
	}
	return needsUA | needsReferrer | needsHost
}

// Records reports whether the format logs User-Agents.
func (f Format) RecordsUserAgent() bool { return f.records()&needsUA != 0 }

// RecordsReferrer reports whether the format logs referrers.
func (f Format) RecordsReferrer() bool { return f.records()&needsReferrer != 0 }

// Write writes lines in format f with timestamps in zone (W3C logs are in
// UTC, Caddy's in Unix seconds, whatever the zone). Lines the format could
// not tell from page views are left out.
func Write(w io.Writer, lines []Line, f Format, zone *time.Location) error {
	if f == IIS && len(lines) > 0 {
		if _, err := fmt.Fprintf(w, "#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: %s\r\n%s\r\n",
			lines[0].At.UTC().Format(time.DateTime), iisFields); err != nil {
			return err
		}
	}
	var b strings.Builder
	for i := range lines {
		ln := &lines[i]
		if ln.needs&^f.records() != 0 {
			continue
		}
		b.Reset()
		format(&b, ln, f, zone)
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

const iisFields = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"

func format(b *strings.Builder, ln *Line, f Format, zone *time.Location) {
	at := ln.At.In(zone)
	if ln.Malformed {
		fmt.Fprintf(b, "%s this is not a request %d\n", at.Format(time.RFC3339), ln.At.Unix()%1000)
		return
	}
	ref, ua := dash(ln.Referrer), dash(ln.UA)
	switch f {
	case Combined, Common:
		fmt.Fprintf(b, `%s - - [%s] "%s %s HTTP/1.1" %d %d`, ln.IP, at.Format("02/Jan/2006:15:04:05 -0700"), ln.Method, ln.Target, ln.Status, 512+len(ln.Target))
		if f == Combined {
			fmt.Fprintf(b, ` "%s" "%s"`, ref, ua)
		}
		b.WriteByte('\n')
	case Custom:
		fmt.Fprintf(b, `%s - [%s] %s "%s %s HTTP/2.0" %d %d "%s" "%s" 0.%03d`+"\n", ln.IP, at.Format(time.RFC3339), ln.Host,
			ln.Method, ln.Target, ln.Status, 512+len(ln.Target), ref, ua, len(ln.Target))
	case IIS:
		path, query, _ := strings.Cut(ln.Target, "?")
		fmt.Fprintf(b, "%s 192.0.2.1 %s %s %s 443 - %s %s %s %d 0 0 15\r\n", ln.At.UTC().Format(time.DateTime), ln.Method,
			path, dash(query), ln.IP, strings.ReplaceAll(ua, " ", "+"), ref, ln.Status)
	case Caddy:
		caddyLine(b, ln)
	}
}

func caddyLine(b *strings.Builder, ln *Line) {
	headers := map[string][]string{"Accept": {"text/html"}}
	if ln.UA != "" {
		headers["User-Agent"] = []string{ln.UA}
	}
	if ln.Referrer != "" {
		headers["Referer"] = []string{ln.Referrer}
	}
	rec := map[string]any{
		"level": "info", "ts": float64(ln.At.UnixNano()) / 1e9, "logger": "http.log.access.log0", "msg": "handled request",
		"request": map[string]any{
			"remote_ip": ln.IP, "remote_port": "50000", "client_ip": ln.IP, "proto": "HTTP/2.0", "method": ln.Method,
			"host": ln.Host, "uri": ln.Target, "headers": headers, "tls": map[string]any{"resumed": false, "proto": "h2"},
		},
		"bytes_read": 0, "user_id": "", "duration": 0.0012, "size": 512, "status": ln.Status,
		"resp_headers": map[string][]string{"Content-Type": {ln.ContentType}, "Server": {"Caddy"}},
	}
	j, _ := json.Marshal(rec)
	b.Write(j)
	b.WriteByte('\n')
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Split cuts lines into n consecutive parts, as log rotation does.
func Split(lines []Line, n int) [][]Line {
	out := make([][]Line, 0, n)
	for i := range n {
		out = append(out, lines[i*len(lines)/n:(i+1)*len(lines)/n])
	}
	return out
}

// WriteFile writes lines to path, gzip-compressed when path ends in .gz.
func WriteFile(path string, lines []Line, f Format, zone *time.Location) error {
	fl, err := os.Create(path)
	if err != nil {
		return err
	}
	var w io.Writer = fl
	var zw *gzip.Writer
	if strings.HasSuffix(path, ".gz") {
		zw = gzip.NewWriter(fl)
		w = zw
	}
	err = Write(w, lines, f, zone)
	if zw != nil && err == nil {
		err = zw.Close()
	}
	if cerr := fl.Close(); err == nil {
		err = cerr
	}
	return err
}
