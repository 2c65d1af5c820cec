package referrer

import (
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/shukei-analytics/shukei/urlscrub"
)

// Referrer hosts are scrubbed with the rules of paths and values (DESIGN
// §1.5). A host name can carry its visitor's address: dial-up and
// broadband providers name their clients' addresses
// ("203-0-113-77.dyn.isp.example", "softbank126123045067.bbtec.net",
// "p5b0c3d4e.dip0.t-ipconnect.de"), and a browser reads a host whose last
// label is a number as an IPv4 address ("0xcb00714d", "3405803853").
// Such a host keeps only its registrable domain ("isp.example"); when the
// registrable domain itself carries the address, or the host is one, only
// the source name IPAddress is kept.

// minHostDigits: a subdomain with this many digits or more is taken for
// an address or a client's id and dropped. Names of sites rarely need
// four digits below their registrable domain; the registrable domain
// itself (2ch.net, 1001.jp) is kept.
const minHostDigits = 4

// scrubHost returns the host to keep, or "" when nothing of it may be kept
// (the caller then names the source IPAddress).
func scrubHost(host string) string {
	if isIP(host) || numericLastLabel(host) {
		return ""
	}
	if !carriesAddress(host) {
		return host // nearly every referrer: no look-up in the suffix list
	}
	site, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil || urlscrub.ScrubValue(site) != site {
		// A bare public suffix or a one-label name that carries an
		// address, or a registrable name that is the address
		// ("203-0-113-77.example").
		return ""
	}
	return site
}

// numericLastLabel reports a host that the URL standard parses as an IPv4
// address: its last label is a decimal or 0x-hex number.
func numericLastLabel(host string) bool {
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if len(last) > 1 && (strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X")) {
		return allIn(last[2:], &hexDigBytes)
	}
	return allIn(last, &digitBytes)
}

// carriesAddress reports labels with an address or an id: four digits or
// more outside internationalised ("xn--") labels, or anything the value
// scrubber would replace.
func carriesAddress(labels string) bool {
	digits := 0
	for l := range strings.SplitSeq(labels, ".") {
		if strings.HasPrefix(l, "xn--") {
			continue
		}
		for i := 0; i < len(l); i++ {
			if '0' <= l[i] && l[i] <= '9' {
				digits++
			}
		}
	}
	return digits >= minHostDigits || urlscrub.ScrubValue(labels) != labels
}
