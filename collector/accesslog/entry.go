// Package accesslog reads web-server access logs: nginx and Apache
// combined and common logs, Caddy's JSON log, W3C extended logs (IIS,
// CloudFront) and any layout described by a format string. It turns each
// line into an Entry for the collector's pipeline.
//
// Privacy property (DESIGN §1.1, §2): an Entry holds a log line's client
// address, User-Agent and full URL only until the pipeline has truncated,
// classified and scrubbed them, exactly as the raw request of a live hit.
// Nothing in this package writes, logs or keeps any of them: errors name
// the line number and what failed, never a field's value.
package accesslog

import (
	"errors"
	"time"
)

// Entry is one request read from a log line. Its strings share memory with
// the line.
type Entry struct {
	Time time.Time
	// Addr is the client address as logged (the connection's peer, or
	// what the server already resolved behind its own trusted proxies).
	Addr string
	// ForwardedFor is the X-Forwarded-For value, when the format logs it;
	// the pipeline believes it only behind a -trusted-proxy.
	ForwardedFor string
	Method       string
	// Scheme is "http" or "https" when the format says which.
	Scheme string
	// Host is the requested host, possibly with a port, when logged.
	Host string
	// Target is the request target: the path, with the query when the
	// format logs them together.
	Target string
	// Query is the query string without "?", for formats that log it
	// apart from the path.
	Query     string
	Status    int
	Referrer  string
	UserAgent string
	// ContentType is the response's content type, when logged.
	ContentType string
	// Has says which optional fields the format records.
	Has Fields
}

// Fields is a set of the optional fields of an Entry.
type Fields uint8

// The optional fields.
const (
	HasMethod Fields = 1 << iota
	HasStatus
	HasUserAgent
	HasReferrer
	HasHost
	HasContentType
	HasForwardedFor
)

// ErrSkip is returned for a line that holds no request: a blank line, a
// comment, or a W3C directive.
var ErrSkip = errors.New("accesslog: no request on this line")

// LineError says why a line could not be read. It never quotes the line:
// a log line holds a client's address and User-Agent.
type LineError struct{ Reason string }

func (e *LineError) Error() string { return e.Reason }

func malformed(reason string) error { return &LineError{Reason: reason} }

// Parser reads the lines of one file in order. W3C parsers keep the
// current #Fields directive, so each file needs its own Parser.
type Parser interface {
	// Parse reads line (without its line ending) into e, which it
	// overwrites. It returns ErrSkip for a line without a request and a
	// *LineError for a malformed one.
	Parse(line string, e *Entry) error
}

// Format is a log layout.
type Format interface {
	// Name is how -format names it ("combined", or the format string).
	Name() string
	// NewParser returns a parser for one file; zone is the time zone of
	// timestamps written without an offset.
	NewParser(zone *time.Location) Parser
}
