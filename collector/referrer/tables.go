package referrer

import "strings"

// hosts maps a domain to its source name; a host matches its own entry or
// the entry of any parent domain, the most specific first. Entries are the
// sources site owners ask about, with Japanese services given their due.
var hosts = map[string]string{
	// Search engines.
	"google.com": "Google", "news.google.com": "Google News", "gemini.google.com": "Gemini",
	"bing.com": "Bing", "duckduckgo.com": "DuckDuckGo", "search.brave.com": "Brave",
	"yahoo.com": "Yahoo!", "yahoo.co.jp": "Yahoo!", "news.yahoo.co.jp": "Yahoo! News",
	"news.yahoo.com": "Yahoo! News", "yandex.ru": "Yandex", "yandex.com": "Yandex", "ya.ru": "Yandex",
	"baidu.com": "Baidu", "naver.com": "Naver", "ecosia.org": "Ecosia", "startpage.com": "Startpage",
	"qwant.com": "Qwant", "search.goo.ne.jp": "goo", "sogou.com": "Sogou", "seznam.cz": "Seznam",
	"kagi.com": "Kagi",
	// Social networks and communities.
	"facebook.com": "Facebook", "fb.com": "Facebook", "messenger.com": "Messenger",
	"instagram.com": "Instagram", "threads.net": "Threads", "twitter.com": "Twitter",
	"t.co": "Twitter", "x.com": "Twitter", "linkedin.com": "LinkedIn", "lnkd.in": "LinkedIn",
	"reddit.com": "Reddit", "youtube.com": "YouTube", "youtu.be": "YouTube",
	"pinterest.com": "Pinterest", "tiktok.com": "TikTok", "line.me": "LINE",
	"b.hatena.ne.jp": "Hatena Bookmark", "note.com": "note", "qiita.com": "Qiita", "zenn.dev": "Zenn",
	"bsky.app": "Bluesky", "news.ycombinator.com": "Hacker News", "github.com": "GitHub",
	"stackoverflow.com": "Stack Overflow", "wikipedia.org": "Wikipedia", "discord.com": "Discord",
	"slack.com": "Slack", "t.me": "Telegram", "web.telegram.org": "Telegram", "vk.com": "VK",
	"weibo.com": "Weibo", "medium.com": "Medium", "producthunt.com": "Product Hunt",
	"smartnews.com": "SmartNews", "news.livedoor.com": "Livedoor News", "gunosy.com": "Gunosy",
	"ameblo.jp": "Ameba", "togetter.com": "Togetter", "5ch.net": "5ch",
	// Mail.
	"mail.google.com": "Gmail", "outlook.live.com": "Outlook", "outlook.office.com": "Outlook",
	"outlook.office365.com": "Outlook", "mail.yahoo.co.jp": "Yahoo! Mail", "mail.yahoo.com": "Yahoo! Mail",
	// AI assistants.
	"chatgpt.com": "ChatGPT", "chat.openai.com": "ChatGPT", "perplexity.ai": "Perplexity",
	"copilot.microsoft.com": "Copilot",
}

// brands are names whose sites live under many country domains
// (google.co.jp, google.com.br, yandex.com.tr): the label followed by
// "com", a country code, or "co."/"com." and a country code.
var brands = map[string]string{
	"google": "Google", "yahoo": "Yahoo!", "yandex": "Yandex", "bing": "Bing",
	"pinterest": "Pinterest", "amazon": "Amazon", "facebook": "Facebook",
}

// aliases maps lowercase campaign sources (utm_source=fb) to names. Domain
// forms (utm_source=facebook.com) go through hosts instead.
var aliases = map[string]string{
	"google": "Google", "googleads": "Google", "adwords": "Google", "bing": "Bing",
	"duckduckgo": "DuckDuckGo", "ddg": "DuckDuckGo", "yahoo": "Yahoo!", "yahoo!": "Yahoo!",
	"yandex": "Yandex", "baidu": "Baidu", "naver": "Naver", "ecosia": "Ecosia",
	"fb": "Facebook", "facebook": "Facebook", "ig": "Instagram", "instagram": "Instagram",
	"twitter": "Twitter", "x": "Twitter", "linkedin": "LinkedIn", "reddit": "Reddit",
	"yt": "YouTube", "youtube": "YouTube", "pinterest": "Pinterest", "tiktok": "TikTok",
	"line": "LINE", "hatena": "Hatena Bookmark", "hatebu": "Hatena Bookmark", "note": "note",
	"qiita": "Qiita", "zenn": "Zenn", "bluesky": "Bluesky", "threads": "Threads",
	"hn": "Hacker News", "hackernews": "Hacker News", "github": "GitHub",
	"gmail": "Gmail", "outlook": "Outlook", "chatgpt": "ChatGPT", "perplexity": "Perplexity",
	"smartnews": "SmartNews", "telegram": "Telegram", "whatsapp": "WhatsApp", "slack": "Slack",
	"discord": "Discord",
}

// apps maps Android package names (android-app:// referrers) to names.
var apps = map[string]string{
	"com.google.android.gm": "Gmail", "com.google.android.googlequicksearchbox": "Google",
	"com.google.android.youtube": "YouTube", "com.twitter.android": "Twitter",
	"com.facebook.katana": "Facebook", "com.facebook.orca": "Messenger",
	"com.instagram.android": "Instagram", "jp.naver.line.android": "LINE",
	"com.linkedin.android": "LinkedIn", "com.reddit.frontpage": "Reddit", "com.slack": "Slack",
	"org.telegram.messenger": "Telegram", "com.whatsapp": "WhatsApp", "com.discord": "Discord",
	"com.microsoft.office.outlook": "Outlook", "com.pinterest": "Pinterest",
	"com.zhiliaoapp.musically": "TikTok", "com.ss.android.ugc.trill": "TikTok",
	"jp.gocro.smartnews.android": "SmartNews", "jp.co.yahoo.android.yjtop": "Yahoo!",
	"com.yahoo.mobile.client.android.mail": "Yahoo! Mail",
}

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

// aliasName looks a campaign source up in aliases, ignoring ASCII case,
// without allocating.
func aliasName(v string) string {
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
	return aliases[string(b)]
}

// appName names an Android app referrer, or returns its package name.
func appName(pkg string) string {
	if name, ok := apps[pkg]; ok {
		return name
	}
	return pkg
}
