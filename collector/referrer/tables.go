package referrer

import "strings"

// sources lists the well-known sources by the names Plausible gives them
// (the referer-parser database it uses, plus its own additions), each with
// the domains it is recognised by. A host matches its own domain or any
// parent domain, the most specific first; hosts of no listed domain are
// named by themselves. Sources Plausible does not name (note.com, zenn.dev,
// chatgpt.com, …) are deliberately not listed, so that the same referrer
// gets the same name on both.
var sources = []struct {
	name    string
	domains []string
}{
	// Search engines.
	{"Google", []string{"google.com", "google.co.uk", "googleusercontent.com"}},
	{"Bing", []string{"bing.com", "ntp.msn.com"}},
	{"Yahoo!", []string{"yahoo.com", "yahoo.co.jp", "search.yahoo.com"}},
	{"DuckDuckGo", []string{"duckduckgo.com"}},
	{"Baidu", []string{"baidu.com"}},
	{"Yandex", []string{"yandex.ru", "yandex.com", "ya.ru", "yandex.eu"}},
	{"Naver", []string{"naver.com"}},
	{"Daum", []string{"daum.net"}},
	{"Ecosia", []string{"ecosia.org"}},
	{"Qwant", []string{"qwant.com"}},
	{"Startpage", []string{"startpage.com"}},
	{"Seznam", []string{"seznam.cz"}},
	{"Sogou", []string{"sogou.com"}},
	{"Brave", []string{"search.brave.com"}},
	{"AOL", []string{"aol.com"}},
	{"Ask", []string{"ask.com"}},
	{"Mail.ru", []string{"go.mail.ru"}},
	{"Rambler", []string{"rambler.ru"}},
	{"Perplexity", []string{"perplexity.ai"}},
	// Social networks and communities.
	{"Facebook", []string{"facebook.com", "fb.com", "fb.me"}},
	{"Instagram", []string{"instagram.com"}},
	{"Twitter", []string{"twitter.com", "t.co", "x.com"}},
	{"LinkedIn", []string{"linkedin.com", "lnkd.in"}},
	{"Reddit", []string{"reddit.com", "redd.it"}},
	{"Pinterest", []string{"pinterest.com"}},
	{"TikTok", []string{"tiktok.com"}},
	{"Threads", []string{"threads.net", "threads.com"}},
	{"Bluesky", []string{"bsky.app"}},
	{"Hacker News", []string{"news.ycombinator.com"}},
	{"GitHub", []string{"github.com"}},
	{"Wikipedia", []string{"wikipedia.org"}},
	{"Discord", []string{"discord.com", "discordapp.com"}},
	{"Slack", []string{"slack.com"}},
	{"Telegram", []string{"t.me", "telegram.org"}},
	{"Microsoft Teams", []string{"statics.teams.cdn.office.net"}},
	{"Vkontakte", []string{"vk.com", "vkontakte.ru"}},
	{"Odnoklassniki", []string{"ok.ru", "odnoklassniki.ru"}},
	{"Sina Weibo", []string{"weibo.com"}},
	{"Tumblr", []string{"tumblr.com"}},
	{"Quora", []string{"quora.com"}},
	{"Flickr", []string{"flickr.com"}},
	{"Medium", []string{"medium.com"}},
	{"Linktree", []string{"linktr.ee"}},
	// Video.
	{"Youtube", []string{"youtube.com", "youtu.be"}},
	{"Vimeo", []string{"vimeo.com"}},
	{"Twitch", []string{"twitch.tv"}},
	// Mail.
	{"Gmail", []string{"mail.google.com"}},
	{"Outlook.com", []string{"outlook.live.com", "outlook.office.com", "outlook.office365.com"}},
	{"Yahoo! Mail", []string{"mail.yahoo.com", "mail.yahoo.co.jp"}},
	{"AOL Mail", []string{"mail.aol.com"}},
}

// brands are names whose sites live under many country domains
// (google.co.jp, google.com.br, yandex.com.tr): the label followed by
// "com", a country code, or "co."/"com." and a country code.
var brands = map[string]string{
	"google": "Google", "yahoo": "Yahoo!", "yandex": "Yandex", "bing": "Bing",
	"pinterest": "Pinterest", "facebook": "Facebook",
}

// aliases are the campaign sources (utm_source, source=, ref=) Plausible
// spells by a well-known name although they are not one: abbreviations and
// the ad variants marketers tag links with. Keys are lowercase; the
// well-known names themselves, in any case, are looked up too.
var aliases = map[string]string{
	"fb": "Facebook", "fcb": "Facebook", "fb-ads": "Facebook", "fbads": "Facebook", "fbad": "Facebook",
	"facebook-ads": "Facebook", "facebook_ads": "Facebook", "facebook_ad": "Facebook", "facebook_feed_ad": "Facebook",
	"ig": "Instagram",
	"yt": "Youtube", "yt-ads": "Youtube",
	"reddit-ads": "Reddit",
	"google_ads": "Google", "google-ads": "Google", "googleads": "Google", "gads": "Google",
	"google ads": "Google", "adwords": "Google",
	"twitter-ads": "Twitter",
	"tiktokads":   "TikTok", "tik.tok": "TikTok",
	"linktree": "Linktree",
}

// apps names the Android apps (android-app:// referrers) Plausible
// recognises; any other app is named "android-app://" and its package.
var apps = map[string]string{
	"com.google.android.gm":                   "Gmail",
	"com.google.android.googlequicksearchbox": "Google",
	"com.reddit.frontpage":                    "Reddit",
}

// hosts maps each listed domain to its source name; names maps each
// lowercase name and alias to the name (for campaign sources).
var hosts, names = func() (map[string]string, map[string]string) {
	h, n := map[string]string{}, map[string]string{}
	for _, s := range sources {
		n[strings.ToLower(s.name)] = s.name
		for _, d := range s.domains {
			h[d] = s.name
		}
	}
	for _, name := range apps {
		n[strings.ToLower(name)] = name
	}
	for k, name := range aliases {
		n[k] = name
	}
	return h, n
}()

// hostName names a lowercase referrer host: a well-known source, or the
// host without "www.".
func hostName(host string) string {
	for h := host; h != ""; {
		if name, ok := hosts[h]; ok {
			return name
		}
		if name := brandAt(h); name != "" {
			return name
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	return stripWWW(host)
}

// brandAt reports the brand name when h is "<brand>.<country tail>".
func brandAt(h string) string {
	label, tail, ok := strings.Cut(h, ".")
	if !ok {
		return ""
	}
	name, ok := brands[label]
	if !ok {
		return ""
	}
	sld, cc, two := strings.Cut(tail, ".")
	switch {
	case !two && (tail == "com" || isCC(tail)):
		return name
	case two && (sld == "co" || sld == "com") && isCC(cc):
		return name
	}
	return ""
}

func isCC(s string) bool {
	return len(s) == 2 && 'a' <= s[0] && s[0] <= 'z' && 'a' <= s[1] && s[1] <= 'z'
}

// knownName looks a campaign source up among the well-known names and
// aliases, ignoring ASCII case, without allocating.
func knownName(v string) string {
	var buf [32]byte
	if len(v) > len(buf) {
		return ""
	}
	b := buf[:len(v)]
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return names[string(b)]
}

// appName names an Android app referrer: its well-known name, or ref
// ("android-app://" and the package), as Plausible reports it.
func appName(pkg, ref string) string {
	if name, ok := apps[pkg]; ok {
		return name
	}
	return ref
}
