package urlscrub

import "strings"

// parseQuery reads the allowlisted parameters of a query string into p.
// Everything else in the query is dropped unread. Fields already set are
// kept, so the first occurrence of a parameter wins, and a hash route's
// query (read second) only fills gaps. source= wins over ref= (as in
// Plausible), and the site-search parameters rank in Options order, not
// URL order.
func parseQuery(q string, opts *Options, p *Page) {
	searchRank, searchRaw := len(opts.SearchParams), ""
	refRank, refRaw := 2, ""
	for q != "" {
		var kv string
		kv, q, _ = strings.Cut(q, "&")
		key, value, _ := strings.Cut(kv, "=")
		if value == "" {
			continue
		}
		switch {
		case setUTM(p, key, value):
		case setClickID(p, key):
		case strings.EqualFold(key, "source") && refRank > 0:
			refRank, refRaw = 0, value
		case strings.EqualFold(key, "ref") && refRank > 1:
			refRank, refRaw = 1, value
		default:
			for k, name := range opts.SearchParams[:searchRank] {
				if strings.EqualFold(key, name) {
					searchRank, searchRaw = k, value
					break
				}
			}
		}
	}
	if p.Ref == "" && refRaw != "" {
		p.Ref = ScrubValue(decodeValue(refRaw))
	}
	if p.SearchTerm == "" && searchRaw != "" {
		p.SearchTerm = ScrubSearchTerm(decodeValue(searchRaw))
	}
}

// clickIDs are the ad-click parameters whose presence is noted, in
// priority order (the first present wins, as in Plausible).
var clickIDs = [...]string{"gclid", "gbraid", "wbraid", "msclkid", "fbclid", "twclid"}

// setClickID notes that an ad-click parameter is present and reports
// whether key was one. Only the parameter's name is kept: its value
// identifies one click, and through it a person (DESIGN §1.1).
func setClickID(p *Page, key string) bool {
	for i, name := range clickIDs {
		if !strings.EqualFold(key, name) {
			continue
		}
		if p.ClickID == "" || clickRank(p.ClickID) > i {
			p.ClickID = name
		}
		return true
	}
	return false
}

func clickRank(name string) int {
	for i, n := range clickIDs {
		if n == name {
			return i
		}
	}
	return len(clickIDs)
}

// setUTM stores a utm_* parameter and reports whether key was one.
func setUTM(p *Page, key, value string) bool {
	if len(key) < 7 || !strings.EqualFold(key[:4], "utm_") {
		return false
	}
	var dst *string
	switch name := key[4:]; {
	case strings.EqualFold(name, "source"):
		dst = &p.UTMSource
	case strings.EqualFold(name, "medium"):
		dst = &p.UTMMedium
	case strings.EqualFold(name, "campaign"):
		dst = &p.UTMCampaign
	case strings.EqualFold(name, "content"):
		dst = &p.UTMContent
	case strings.EqualFold(name, "term"):
		dst = &p.UTMTerm
	default:
		return false
	}
	if *dst == "" {
		*dst = ScrubValue(decodeValue(value))
	}
	return true
}

// decodeValue decodes a form-encoded query value: "+" is a space and
// "%XX" a byte; a malformed escape is kept literally.
func decodeValue(v string) string {
	if !strings.ContainsAny(v, "%+") {
		return v
	}
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < len(v) && isHex(v[i+1]) && isHex(v[i+2]):
			c = unhex(v[i+1])<<4 | unhex(v[i+2])
			i += 2
		}
		b = append(b, c)
	}
	return string(b)
}
