package urlscrub

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// This file is the test's own reading of what "contains an e-mail address,
// a phone number or an IP address" means (DESIGN §1.5), written apart from
// the detectors so that a detector bug is not mirrored here: regular
// expressions and the standard library instead of byte scanners.

// canonical applies NFKC and percent-decoding until neither changes the
// text, the way a reader would look at a stored value.
func canonical(s string) string {
	for range 64 {
		d := decodeAll(s)
		n := norm.NFKC.String(d)
		if n == s {
			return s
		}
		s = n
	}
	return s
}

// decodeAll percent-decodes s over and over until no "%XX" is left.
func decodeAll(s string) string {
	for strings.Contains(s, "%") {
		var b strings.Builder
		changed := false
		for i := 0; i < len(s); i++ {
			if s[i] == '%' && i+2 < len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil && s[i+1] != '+' && s[i+1] != '-' {
					b.WriteByte(byte(v))
					i += 2
					changed = true
					continue
				}
			}
			b.WriteByte(s[i])
		}
		if !changed {
			break
		}
		s = b.String()
	}
	return s
}

var (
	emailRE    = regexp.MustCompile(`(?:[A-Za-z0-9._%+\-]|[^\x00-\x7F])@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2}`)
	numberRE   = regexp.MustCompile(`(?:\+\(?)?[0-9]+(?:[-. ()]{1,2}[0-9]+)*`)
	dottedRE   = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)*`)
	v6RunRE    = regexp.MustCompile(`[0-9A-Fa-f:.]+`)
	digitRunRE = regexp.MustCompile(`[0-9]+`)
)

// leak returns a description of the first e-mail address, phone number or
// IP address in s (after canonical), or "".
func leak(s string) string {
	s = canonical(s)
	if m := emailRE.FindString(s); m != "" {
		return "e-mail " + m
	}
	for _, m := range numberRE.FindAllString(s, -1) {
		if isPhoneRun(m) {
			return "phone " + m
		}
	}
	for _, m := range dottedRE.FindAllString(s, -1) {
		if hasIPv4Window(m) {
			return "IPv4 " + m
		}
	}
	for _, m := range v6RunRE.FindAllString(s, -1) {
		if isIPv6Run(m) {
			return "IPv6 " + m
		}
	}
	return ""
}

// isPhoneRun: '+' and 7 digits or more; or a window of consecutive digit
// groups with 10–11 digits from 0[1-9] (Japan), or 11–12 from 81[1-9]
// (Japan's country code without '+').
func isPhoneRun(run string) bool {
	groups := digitRunRE.FindAllString(run, -1)
	if strings.HasPrefix(run, "+") && len(strings.Join(groups, "")) >= 7 {
		return true
	}
	for g := range groups {
		d := ""
		for h := g; h < len(groups); h++ {
			d += groups[h]
			n := len(d)
			if n >= 10 && n <= 11 && d[0] == '0' && d[1] != '0' {
				return true
			}
			if n >= 11 && n <= 12 && strings.HasPrefix(d, "81") && d[2] != '0' {
				return true
			}
		}
	}
	return false
}

// hasIPv4Window: four consecutive dot-joined groups that are octets.
func hasIPv4Window(run string) bool {
	parts := strings.Split(run, ".")
	for i := 0; i+4 <= len(parts); i++ {
		ok := true
		for _, p := range parts[i : i+4] {
			v, err := strconv.Atoi(p)
			ok = ok && err == nil && len(p) <= 3 && v <= 255
		}
		if ok {
			return true
		}
	}
	return false
}

// isIPv6Run: the run, without sentence dots and a lone trailing ':',
// parses as IPv6 and has three groups or more.
func isIPv6Run(run string) bool {
	t := strings.Trim(run, ".")
	if strings.HasSuffix(t, ":") && !strings.HasSuffix(t, "::") {
		t = t[:len(t)-1]
	}
	if strings.Count(t, ":") < 2 {
		return false
	}
	groups := 0
	for _, g := range strings.Split(t, ":") {
		if g != "" {
			groups++
		}
	}
	ip, err := netip.ParseAddr(t)
	return err == nil && ip.Is6() && groups >= 3
}
