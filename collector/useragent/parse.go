package useragent

import (
	"strings"

	"github.com/medama-io/go-useragent/agents"
)

// browserNames spells the parser's browser names as Plausible stores them
// (the names of the device-detector database its parser uses), so that a
// filter written for Plausible ("Microsoft Edge", "Samsung Browser") finds
// the same visitors here.
var browserNames = map[agents.Browser]string{
	agents.BrowserEdge:      "Microsoft Edge",
	agents.BrowserIE:        "Internet Explorer",
	agents.BrowserOperaMini: "Opera",
	agents.BrowserSilk:      "Mobile Silk",
	agents.BrowserSamsung:   "Samsung Browser",
	agents.BrowserYandex:    "Yandex Browser",
}

// osNames spells the parser's OS names as Plausible stores them.
var osNames = map[agents.OS]string{
	agents.OSMacOS:    "Mac",
	agents.OSChromeOS: "Chrome OS",
	agents.OSLinux:    "GNU/Linux",
}

// MobileApp is the browser name Plausible gives in-app browsers and web
// views (LINE, Facebook, Instagram, Android WebView): the page was opened
// inside an app, whose version says nothing about the web engine.
const MobileApp = "Mobile App"

// inApp are the tokens of in-app browsers and web views. They are checked
// before the parser's answer, which would be "Safari" or "Chrome".
var inApp = []string{" Line/", "FBAV/", "FBAN/", "Instagram ", "; wv)", "MicroMessenger/", "Twitter for"}

// linuxDistributions are the distributions a Linux User-Agent may name;
// Plausible reports them instead of "GNU/Linux".
var linuxDistributions = []struct{ token, name string }{
	{"Ubuntu", "Ubuntu"}, {"Fedora", "Fedora"}, {"Debian", "Debian"},
}

// parse fills a Class from the parser's answer and local rules. A client
// the parser does not recognise keeps an empty Class: it is counted, as
// Plausible counts it, with its browser and OS "(not set)".
func (c *Classifier) parse(ua string) (Class, BotReason) {
	p := c.parser.Parse(ua)
	if p.Device() == agents.DeviceBot {
		return Class{}, BotCrawler
	}
	var cl Class
	if b := p.Browser(); b != "" {
		cl.Browser = nameOr(browserNames, b, string(b))
		cl.BrowserVersion = majorMinor(p.BrowserVersion())
	}
	if o := p.OS(); o != "" {
		cl.OS = nameOr(osNames, o, string(o))
	}
	cl.OS = refineOS(cl.OS, ua)
	if strings.Contains(ua, "Silk/") {
		cl.Browser, cl.BrowserVersion = "Mobile Silk", majorMinor(versionAfter(ua, "Silk/"))
	}
	for _, token := range inApp {
		if strings.Contains(ua, token) {
			cl.Browser, cl.BrowserVersion = MobileApp, ""
			break
		}
	}
	if cl.Browser == "Internet Explorer" {
		// IE 11 dropped "MSIE"; its version is in "rv:".
		if v := versionAfter(ua, "rv:"); v != "" {
			cl.BrowserVersion = majorMinor(v)
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

// refineOS corrects the parser where Plausible's names are finer: iPads
// run iPadOS, Linux distributions and Tizen name themselves, Kindle
// devices run Fire OS, and PlayStations their own system.
func refineOS(os, ua string) string {
	switch {
	case strings.Contains(ua, "PlayStation"):
		return "PlayStation"
	case strings.Contains(ua, "Tizen"):
		return "Tizen"
	case os == "iOS" && strings.Contains(ua, "iPad"):
		return "iPadOS"
	case os == "Android" && (strings.Contains(ua, "; KF") || strings.Contains(ua, "Silk/")):
		return "Fire OS"
	case os == "GNU/Linux":
		for _, d := range linuxDistributions {
			if strings.Contains(ua, d.token) {
				return d.name
			}
		}
	}
	return os
}

// device gives Plausible's device class from the User-Agent: Mobile,
// Tablet or Desktop (TVs and consoles are Desktop, as Plausible has it),
// or "" when nothing says.
func device(d agents.Device, os, ua string) string {
	switch {
	case isTablet(os, ua):
		return DeviceTablet
	case d == agents.DeviceTV, strings.Contains(ua, "PlayStation"), strings.Contains(ua, "Xbox"),
		strings.Contains(ua, "Nintendo"), strings.Contains(ua, "SMART-TV"), strings.Contains(ua, "; AFT"):
		return DeviceDesktop
	case d == agents.DeviceMobile:
		return DeviceMobile
	case d == agents.DeviceTablet:
		return DeviceTablet
	case d == agents.DeviceDesktop:
		return DeviceDesktop
	}
	return ""
}

// tabletModels are model-name fragments of Android tablets whose browsers
// still say "Mobile": the device database Plausible uses knows them by
// model, and these fragments cover the common families.
var tabletModels = []string{
	"Tablet", " TAB ", " Tab ", "TAB B", "Tab S", "Tab A", "MediaPad", "MatePad", "Lenovo TB", " TB-",
	"SM-T", "SM-X", "SM-P", "GT-P", "Nexus 7", "Nexus 9", "Nexus 10", "Xoom", "Transformer", "KF",
}

// isTablet reports tablets: iPads, Android browsers that leave out
// "Mobile" (they add it on phones only), and Android tablet models.
func isTablet(os, ua string) bool {
	switch {
	case strings.Contains(ua, "iPad"):
		return true
	case os != "Android" && os != "Fire OS":
		return false
	case strings.Contains(ua, "; AFT") || strings.Contains(ua, "Android TV") || strings.Contains(ua, "GoogleTV"):
		return false // TV sticks and boxes
	case !strings.Contains(ua, "Mobile"):
		return true
	}
	model := androidModel(ua)
	for _, m := range tabletModels {
		if strings.Contains(model, m) {
			return true
		}
	}
	return false
}

// androidModel returns the model part of an Android User-Agent: what
// follows the Android version up to " Build/" or ")". It points into ua.
func androidModel(ua string) string {
	i := strings.Index(ua, "Android ")
	if i < 0 {
		return ""
	}
	rest := ua[i:]
	if j := strings.IndexByte(rest, ')'); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.Index(rest, " Build/"); j >= 0 {
		rest = rest[:j]
	}
	return " " + strings.TrimPrefix(rest, "Android ") + " "
}

// osVersion extracts the OS version as Plausible keeps it: major.minor
// ("10.13" for Mac OS X 10_13_4, "17.4" for iOS 17.4.1). Windows NT
// versions map to marketing names ("10", "8.1", "7", "XP").
func osVersion(os, ua string) string {
	switch os {
	case "iOS", "iPadOS":
		v := versionAfter(ua, "iPhone OS ")
		if v == "" {
			v = versionAfter(ua, "CPU OS ")
		}
		return majorMinor(v)
	case "Android", "Fire OS":
		return majorMinor(versionAfter(ua, "Android "))
	case "Windows":
		return windowsVersion(versionAfter(ua, "Windows NT "))
	case "Mac":
		return majorMinor(versionAfter(ua, "Mac OS X "))
	case "Chrome OS":
		// "CrOS x86_64 14541.0.0": the version follows the architecture.
		if i := strings.Index(ua, "CrOS "); i >= 0 {
			if _, rest, ok := strings.Cut(ua[i+len("CrOS "):], " "); ok {
				return majorMinor(rest)
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
// follows token in ua, or "". It points into ua: callers keep only
// majorMinor's copy of it.
func versionAfter(ua, token string) string {
	i := strings.Index(ua, token)
	if i < 0 {
		return ""
	}
	v := ua[i+len(token):]
	end := 0
	for end < len(v) && end < 24 && (isDigit(v[end]) || v[end] == '.' || v[end] == '_') {
		end++
	}
	return v[:end]
}

// majorMinor returns the first two numbers of a version joined by a dot
// ("70.0" for "70.0.3538.110", "10.13" for "10_13_4", "17" for "17"), as
// Plausible stores versions. The result never shares memory with v. A
// number of more than maxVersionDigits digits is not plausible and gives "".
func majorMinor(v string) string {
	major, rest := leadingNumber(v)
	if major == "" {
		return ""
	}
	if len(rest) == 0 || (rest[0] != '.' && rest[0] != '_') {
		return strings.Clone(major)
	}
	minor, _ := leadingNumber(rest[1:])
	if minor == "" {
		return strings.Clone(major)
	}
	return major + "." + minor
}

// maxVersionDigits bounds one version number ("999999" is no browser's; Chrome OS builds have five).
const maxVersionDigits = 5

func leadingNumber(v string) (num, rest string) {
	end := 0
	for end < len(v) && isDigit(v[end]) {
		end++
	}
	if end == 0 || end > maxVersionDigits {
		return "", v
	}
	return v[:end], v[end:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
