package referrer

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"strings"
)

// builtinSpam is Shukei's own list; communitySpam is the community list
// (SPAMMERS.md says where it comes from and how it is refreshed).
var (
	//go:embed spam.txt
	builtinSpam string
	//go:embed spammers.txt
	communitySpam string
)

// SpamList is a set of referrer-spam domains. A hit whose referrer host is
// on the list is dropped before anything is stored, so spam names never
// reach a dashboard. It is read-only after loading and safe for concurrent
// use.
type SpamList struct {
	domains map[string]struct{}
}

// LoadSpamList returns the built-in lists, plus the domains in the file at
// extraPath when it is not empty (same format: one domain per line, "#"
// comments).
func LoadSpamList(extraPath string) (*SpamList, error) {
	l := &SpamList{domains: make(map[string]struct{}, 4096)}
	if err := l.add(builtinSpam); err != nil {
		return nil, fmt.Errorf("referrer: built-in spam list: %w", err)
	}
	if err := l.add(communitySpam); err != nil {
		return nil, fmt.Errorf("referrer: community spam list: %w", err)
	}
	if extraPath == "" {
		return l, nil
	}
	b, err := os.ReadFile(extraPath)
	if err != nil {
		return nil, fmt.Errorf("referrer: spam list: %w", err)
	}
	if err := l.add(string(b)); err != nil {
		return nil, fmt.Errorf("referrer: spam list %s: %w", extraPath, err)
	}
	return l, nil
}

func (l *SpamList) add(text string) error {
	for n, line := range strings.Split(text, "\n") {
		line, _, _ = strings.Cut(line, "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		d := lowerHost(strings.TrimSuffix(stripWWW(line), "."))
		if d == "" || !strings.Contains(d, ".") {
			return fmt.Errorf("line %d: %q is not a domain name", n+1, line)
		}
		l.domains[d] = struct{}{}
	}
	return nil
}

// Len returns the number of domains on the list.
func (l *SpamList) Len() int { return len(l.domains) }

// IsSpam reports whether host or one of its parent domains is listed. It
// ignores case and a trailing dot and does not allocate.
func (l *SpamList) IsSpam(host string) bool {
	var buf [253]byte
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > len(buf) {
		return false
	}
	b := buf[:len(host)]
	for i := 0; i < len(host); i++ {
		c := host[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	for {
		if _, ok := l.domains[string(b)]; ok {
			return true
		}
		i := bytes.IndexByte(b, '.')
		if i < 0 {
			return false
		}
		b = b[i+1:]
	}
}
