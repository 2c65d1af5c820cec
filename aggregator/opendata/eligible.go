package opendata

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// Labels of the rows that are not a value.
const (
	OtherLabel   = "(other)"
	UnknownLabel = "(unknown)"
)

// Values are scrubbed when they are collected (DESIGN §1.5). They are
// checked again before they are named in public, in case rows were
// written by an older or a differently configured collector: a value the
// scrubber would change is folded into "(other)", never shown.

// publicPath accepts a path the URL scrubber leaves as it is.
func publicPath(p string) bool {
	if !strings.HasPrefix(p, "/") || !plainText(p, 1024) {
		return false
	}
	page, err := urlscrub.Scrub("https://shukei.invalid"+p, nil)
	return err == nil && page.Path == p && page.SearchTerm == ""
}

// publicValue accepts a source, browser, country … that the value
// scrubber leaves as it is.
func publicValue(v string) bool {
	return v == "" || (plainText(v, urlscrub.MaxValueLen) && urlscrub.ScrubValue(v) == v && !reserved(v))
}

// publicTerm accepts a site-search term the term scrubber leaves as it is.
func publicTerm(v string) bool {
	return v != "" && plainText(v, urlscrub.MaxValueLen) && urlscrub.ScrubSearchTerm(v) == v && !reserved(v)
}

// publicURL accepts a kept link (the url property) the URL scrubber
// leaves as it is: an http(s) address or a site path, never "(none)".
func publicURL(v string) bool {
	if !plainText(v, 1024) {
		return false
	}
	if strings.HasPrefix(v, "/") {
		return publicPath(v)
	}
	for _, scheme := range []string{"https://", "http://"} {
		if rest, ok := strings.CutPrefix(v, scheme); ok {
			host, path, found := strings.Cut(rest, "/")
			page, err := urlscrub.Scrub(v, nil)
			return found && err == nil && page.Hostname == host && page.Path == "/"+path && page.SearchTerm == ""
		}
	}
	return false
}

// publicProperty accepts an allowlisted property's "key=value" whose key
// holds no "=" and whose value would be published as a search term: plain
// text the value scrubber leaves as it is, never "(none)" or "(other)".
func publicProperty(v string) bool {
	key, value, ok := strings.Cut(v, "=")
	return ok && key != "" && plainText(key, site.MaxPropKeyLen) && value != noneLabel && publicTerm(value)
}

// noneLabel is the value of a kept property an event did not send.
const noneLabel = "(none)"

// plainText refuses invalid UTF-8, control and format characters, and
// values over max bytes.
func plainText(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

func reserved(v string) bool { return v == OtherLabel || v == UnknownLabel }
