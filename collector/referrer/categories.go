package referrer

// category is the kind of site a source is, which the channel rules build
// on (Plausible takes these from Google Analytics' source categories and
// adds its own judgement).
type category uint8

const (
	catNone category = iota
	catSearch
	catSocial
	catVideo
	catShopping
	catEmail
)

// sourceCategories lists, per category, the sources as they reach the
// channel rules: a well-known name (any case), a campaign source as
// marketers tag it, or a referrer host that has no well-known name.
var sourceCategories = map[category][]string{
	catSearch: {
		"google", "bing", "yahoo", "yahoo!", "duckduckgo", "baidu", "yandex", "naver", "daum", "ecosia",
		"qwant", "startpage", "seznam", "sogou", "brave", "aol", "ask", "mail.ru", "rambler", "perplexity",
		"chatgpt.com", "360.cn", "so.com", "search.smt.docomo.ne.jp", "biglobe",
		"rakuten", "lens.google.com", "news.google.com", "play.google.com", "search.google.com", "msn",
		"msn.com", "alice", "avg", "babylon", "centrum.cz", "cnn", "comcast", "conduit", "dogpile",
		"eniro", "excite.com", "exalead.com", "firmy.cz", "globo", "incredimail", "kvasir", "lycos",
		"najdi", "onet", "onet.pl", "startsiden", "terra", "tut.by", "ukr", "virgilio", "google-play",
		"search-results", "auone", "sp-web.search.auone.jp", "websearch.rakuten.co.jp",
	},
	catSocial: {
		"facebook", "fb", "instagram", "ig", "twitter", "t.co", "linkedin", "lnkd.in", "reddit",
		"pinterest", "tiktok", "threads", "bluesky", "mastodon", "hacker news", "github", "discord", "slack",
		"telegram", "microsoft teams", "statics.teams.cdn.office.net", "vkontakte", "vk.com", "odnoklassniki",
		"sina weibo", "weibo", "tumblr", "quora", "flickr", "medium", "medium.com", "producthunt",
		"producthunt.com", "steamcommunity.com", "stackoverflow", "stackoverflow.com", "stackexchange.com",
		"whatsapp", "messenger", "messenger.com", "line", "line.me", "wechat", "snapchat", "kakao",
		"zalo", "skype", "yammer", "xing", "mixi.jp", "nicovideo.jp", "niconico", "ameblo.jp", "b.hatena.ne.jp", "hatena",
		"5ch.net", "smartnews.com", "blogger", "blogspot.com",
		"wordpress.com", "disqus", "digg", "bit.ly", "goo.gl", "tinyurl.com",
		"hootsuite", "meetup", "yelp", "tripadvisor", "glassdoor", "goodreads", "deviantart", "fandom.com",
		"scribd", "slideshare.net", "researchgate.net", "academia.edu", "douban", "tencent", "qzone.qq.com",
		"renren", "blog.naver.com", "cafe.naver.com", "social", "away.vk.com", "wikitravel.org",
		"news.ycombinator.com",
	},
	catVideo: {
		"youtube", "vimeo", "twitch", "dailymotion", "netflix", "hulu", "disneyplus", "ted",
		"wistia", "crackle", "curiositystream", "iqiyi", "youku", "veoh", "utreon", "d.tube",
	},
	catShopping: {
		"amazon", "amazon.com", "amazon.co.uk", "ebay", "ebay.com", "etsy", "etsy.com",
		"walmart", "walmart.com", "shopify", "shopify.com", "shop.app", "alibaba", "alibaba.com",
		"mercadolibre", "mercadolibre.com", "temu.com", "stripe", "stripe.com",
		"checkout.stripe.com", "igshopping", "google shopping", "shopping.yahoo.co.jp", "shopping.naver.com",
		"shopzilla", "simplycodes.com",
	},
	catEmail: {"gmail"},
}

// categories maps each source to its category, by its listed spelling and
// by the spelling of its well-known name ("Google" as well as "google"),
// so that a lookup for a name needs no lowercasing.
var categories = func() map[string]category {
	m := map[string]category{}
	for cat, list := range sourceCategories {
		for _, s := range list {
			m[s] = cat
		}
	}
	for lower, name := range names {
		if cat, ok := m[lower]; ok {
			m[name] = cat
		}
	}
	return m
}()

// categoryOf returns a source's category, catNone for an unknown one.
func categoryOf(source string) category {
	if cat, ok := categories[source]; ok {
		return cat
	}
	return categories[lower(source)]
}
