package useragent

import (
	"strconv"
	"strings"

	"github.com/medama-io/go-useragent/agents"
)

// browserNames turns the parser's names into the ones people know.
var browserNames = map[agents.Browser]string{
	agents.BrowserSamsung: "Samsung Internet",
	agents.BrowserYandex:  "Yandex",
	agents.BrowserIE:      "Internet Explorer",
}

// osNames turns the parser's OS names into the vendors' spelling.
var osNames = map[agents.OS]string{agents.OSMacOS: "macOS"}

// inApp are in-app browsers that matter for campaigns (LINE dominates in
// Japan): the token and the name shown. They are checked before the
// parser's answer, which would be "Safari" or "Chrome".
var inApp = []struct{ token, name string }{
	{" Line/", "LINE"}, {"FBAV/", "Facebook"}, {"FBAN/", "Facebook"},
	{"Instagram ", "Instagram"}, {"; wv)", "Android WebView"}, {"Silk/", "Amazon Silk"},
}

// parse fills a Class from the parser's answer and local rules. A client
// with neither a browser nor an OS recognisable is not a browser.
func (c *Classifier) parse(ua string) (Class, BotReason) {
	p := c.parser.Parse(ua)
	if p.Device() == agents.DeviceBot {
		return Class{}, BotCrawler
	}
	var cl Class
	if b := p.Browser(); b != "" {
		cl.Browser = nameOr(browserNames, b, string(b))
		cl.BrowserVersion = major(p.BrowserVersion())
	}
	if o := p.OS(); o != "" {
		cl.OS = nameOr(osNames, o, string(o))
	}
	if cl.Browser == "" && cl.OS == "" {
		return Class{}, BotInvalid
	}
	for _, a := range inApp {
		if strings.Contains(ua, a.token) {
			cl.Browser = a.name
			if v := major(versionAfter(ua, a.token)); v != "" {
				cl.BrowserVersion = v // else keep the engine's version (WebView)
			}
			break
		}
	}
	if cl.Browser == "Internet Explorer" {
		// IE 11 dropped "MSIE"; its version is in "rv:".
		if v := versionAfter(ua, "rv:"); v != "" {
			cl.BrowserVersion = major(v)
		}
	}
	cl.OSVersion = osVersion(cl.OS, ua)
	cl.Device = device(p.Device(), cl.OS, ua)
	return cl, NotBot
}

func nameOr[K comparable](m map[K]string, k K, def string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return def
}

// device maps the parser's device type, correcting what it gets wrong:
// consoles, Android TV sticks, and Android tablets (Android browsers say
// "Mobile" on phones only).
func device(d agents.Device, os, ua string) string {
	switch {
	case strings.Contains(ua, "PlayStation") || strings.Contains(ua, "Xbox") || strings.Contains(ua, "Nintendo"):
		return DeviceConsole
	case d == agents.DeviceTV || strings.Contains(ua, "; AFT") || strings.Contains(ua, "Android TV") ||
		strings.Contains(ua, "GoogleTV") || strings.Contains(ua, "SMART-TV"):
		return DeviceTV
	case os == "Android" && d == agents.DeviceMobile && !strings.Contains(ua, "Mobile"):
		return DeviceTablet
	case d == agents.DeviceDesktop, d == agents.DeviceMobile, d == agents.DeviceTablet:
		return string(d)
	}
	return ""
}

// osVersion extracts the OS major version. macOS is left empty below 11:
// every browser reports a frozen "10_15_7" on macOS 11 and later, so a
// 10.x value says nothing. Windows NT versions map to marketing names;
// Windows 11 also reports NT 10.0, so "10" means "10 or 11".
func osVersion(os, ua string) string {
	switch os {
	case "iOS":
		v := versionAfter(ua, "iPhone OS ")
		if v == "" {
			v = versionAfter(ua, "CPU OS ")
		}
		return major(v)
	case "Android":
		return major(versionAfter(ua, "Android "))
	case "Windows":
		return windowsVersion(versionAfter(ua, "Windows NT "))
	case "macOS":
		if m := major(versionAfter(ua, "Mac OS X ")); m != "" {
			if n, _ := strconv.Atoi(m); n >= 11 {
				return m
			}
		}
	}
	return ""
}

func windowsVersion(nt string) string {
	switch nt {
	case "10.0":
		return "10"
	case "6.3":
		return "8.1"
	case "6.2":
		return "8"
	case "6.1":
		return "7"
	case "6.0":
		return "Vista"
	case "5.1", "5.2":
		return "XP"
	}
	return ""
}

// versionAfter returns the version number ("17_4_1", "124.0.6367") that
// follows token in ua, or "". It points into ua: callers keep only major's
// copy of it.
func versionAfter(ua, token string) string {
	i := strings.Index(ua, token)
	if i < 0 {
		return ""
	}
	v := ua[i+len(token):]
	end := 0
	for end < len(v) && end < 16 && (isDigit(v[end]) || v[end] == '.' || v[end] == '_') {
		end++
	}
	return v[:end]
}

// major returns the leading number of a version as a shared constant
// string, so that no result aliases the User-Agent. Versions of 1000 and
// above are not plausible and give "".
func major(v string) string {
	end := 0
	for end < len(v) && isDigit(v[end]) {
		end++
	}
	n, err := strconv.Atoi(v[:end])
	if err != nil || n >= len(numbers) {
		return ""
	}
	return numbers[n]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// numbers holds "0".."999", built once.
var numbers = func() []string {
	s := make([]string, 1000)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()
