package accesslog

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Auto is the -format value that detects the format from a file's first
// lines.
const Auto = "auto"

// Named formats, in the order detection prefers them when several read a
// file's lines equally well.
var named = []Format{caddyFormat{}, w3cFormat{iis: true}, w3cFormat{}, combined, common}

// Names lists the named formats.
func Names() []string {
	out := make([]string, len(named))
	for i, f := range named {
		out[i] = f.Name()
	}
	return out
}

// Lookup returns a named format or compiles a format string. Auto yields
// nil: the format is detected per file.
func Lookup(v string) (Format, error) {
	switch v = strings.TrimSpace(v); v {
	case "", Auto:
		return nil, nil
	}
	for _, f := range named {
		if f.Name() == v {
			return f, nil
		}
	}
	if !strings.ContainsAny(v, "$%") {
		return nil, fmt.Errorf("unknown format %q: use auto, %s, or a format string such as '$remote_addr - [$time_local] \"$request\" $status'", v, strings.Join(Names(), ", "))
	}
	return ParseFormatString(v)
}

// SampleLines is how many of a file's first lines detection and the
// format check read.
const SampleLines = 20

// ErrUndetected says no format reads a file's first lines.
var ErrUndetected = errors.New("accesslog: no known format reads these lines")

// Detect picks the format that reads the most of lines (a file's first
// lines), requiring it to read more than half of those holding requests.
func Detect(lines []string, zone *time.Location) (Format, error) {
	var best Format
	bestN, bestTotal := 0, 0
	for _, f := range named {
		n, total := score(f, lines, zone)
		if n > bestN {
			best, bestN, bestTotal = f, n, total
		}
	}
	if best == nil || bestN*2 <= bestTotal {
		return nil, ErrUndetected
	}
	if _, ok := best.(w3cFormat); ok {
		// Both read the same lines; only IIS decodes '+' as a space.
		return w3cFormat{iis: isIIS(lines)}, nil
	}
	return best, nil
}

// isIIS looks for the #Software directive IIS writes.
func isIIS(lines []string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, "#Software: Microsoft Internet Information Services") {
			return true
		}
	}
	return false
}

// score counts the lines with a request that f reads, among those that
// are not blank or directives for it.
func score(f Format, lines []string, zone *time.Location) (read, total int) {
	p := f.NewParser(zone)
	var e Entry
	for _, l := range lines {
		switch err := p.Parse(l, &e); {
		case err == nil:
			read++
			total++
		case errors.Is(err, ErrSkip):
		default:
			total++
		}
	}
	return read, total
}

// Check refuses a file whose first lines are not in format f: when no
// more than half of them read, it names the format they look like.
func Check(f Format, lines []string, zone *time.Location) error {
	n, total := score(f, lines, zone)
	if total == 0 || n*2 > total {
		return nil
	}
	msg := fmt.Sprintf("not in %s format: %d of its first %d lines with a request do not read as it", describe(f), total-n, total)
	if d, err := Detect(lines, zone); err == nil {
		return fmt.Errorf("%s; they look like %s (use -format %s, or -format auto)", msg, d.Name(), d.Name())
	}
	return fmt.Errorf("%s, nor as any known format", msg)
}

func describe(f Format) string {
	if _, ok := f.(*pattern); ok && f != combined && f != common {
		return "the given format string's"
	}
	return f.Name()
}
