package storetest

// The generator's vocabulary: realistic values with realistic skew. Each
// list is sampled with the weights given.

type weighted[T any] struct {
	v T
	w int
}

type place struct{ country, region, city string }

var places = []weighted[place]{
	{place{"US", "US-CA", "San Francisco"}, 14}, {place{"US", "US-NY", "New York"}, 12},
	{place{"US", "US-TX", "Austin"}, 6}, {place{"JP", "JP-13", "Tokyo"}, 12},
	{place{"JP", "JP-27", "Osaka"}, 5}, {place{"DE", "DE-BE", "Berlin"}, 8},
	{place{"DE", "DE-BY", "Munich"}, 5}, {place{"GB", "GB-ENG", "London"}, 9},
	{place{"FR", "FR-IDF", "Paris"}, 6}, {place{"IN", "IN-KA", "Bengaluru"}, 7},
	{place{"BR", "BR-SP", "São Paulo"}, 4}, {place{"CA", "CA-ON", "Toronto"}, 4},
	{place{"KR", "KR-11", "Seoul"}, 3}, {place{"NL", "NL-NH", "Amsterdam"}, 3},
	{place{"PL", "", ""}, 1}, {place{"", "", ""}, 1},
}

type client struct{ browser, os, device, screen string }

var clients = []weighted[client]{
	{client{"Chrome", "Windows", "Desktop", "Desktop"}, 24}, {client{"Chrome", "Android", "Mobile", "Mobile"}, 20},
	{client{"Safari", "iOS", "Mobile", "Mobile"}, 16}, {client{"Safari", "macOS", "Laptop", "Laptop"}, 8},
	{client{"Firefox", "Windows", "Desktop", "Desktop"}, 5}, {client{"Firefox", "GNU/Linux", "Desktop", "Desktop"}, 3},
	{client{"Edge", "Windows", "Laptop", "Laptop"}, 7}, {client{"Chrome", "macOS", "Laptop", "Laptop"}, 6},
	{client{"Safari", "iPadOS", "Tablet", "Tablet"}, 3}, {client{"Samsung Internet", "Android", "Mobile", "Mobile"}, 3},
	{client{"Opera", "Windows", "Desktop", "Desktop"}, 1},
}

// versions are a browser's or OS's major versions, newest most used.
var versions = map[string][]string{
	"Chrome": {"126", "125", "124", "123", "109"}, "Safari": {"17", "16", "15"},
	"Firefox": {"127", "126", "115"}, "Edge": {"126", "125"}, "Samsung Internet": {"25", "24"},
	"Opera": {"110"}, "Windows": {"10", "11"}, "Android": {"14", "13", "12", "10"},
	"iOS": {"17", "16", "15"}, "iPadOS": {"17", "16"}, "macOS": {"14", "13", "12"}, "GNU/Linux": {""},
}

var languages = []weighted[string]{
	{"en", 40}, {"ja", 12}, {"de", 10}, {"fr", 7}, {"es", 7}, {"pt", 5}, {"zh", 5}, {"ko", 3}, {"nl", 3}, {"pl", 2}, {"", 1},
}

type source struct{ name, host string }

// channels follow the source (Plausible's channel rules); a campaign
// overrides them (campaignChannel).
var channels = map[string]string{
	"Direct / None": "Direct", "Google": "Organic Search", "Bing": "Organic Search",
	"DuckDuckGo": "Organic Search", "Ecosia": "Organic Search", "Hacker News": "Organic Social",
	"Reddit": "Organic Social", "Twitter": "Organic Social", "Facebook": "Organic Social",
	"GitHub": "Organic Social", "Newsletter": "Email", "blog.example.org": "Referral",
}

// campaignChannel is the channel of a session that carries a campaign.
func campaignChannel(medium string) string {
	switch medium {
	case "email":
		return "Email"
	case "cpc":
		return "Paid Search"
	case "social":
		return "Organic Social"
	}
	return "Referral"
}

var sources = []weighted[source]{
	{source{"Direct / None", ""}, 35}, {source{"Google", "www.google.com"}, 30},
	{source{"Bing", "www.bing.com"}, 5}, {source{"DuckDuckGo", "duckduckgo.com"}, 4},
	{source{"Hacker News", "news.ycombinator.com"}, 4}, {source{"Reddit", "www.reddit.com"}, 4},
	{source{"Twitter", "t.co"}, 3}, {source{"Facebook", "l.facebook.com"}, 3},
	{source{"GitHub", "github.com"}, 3}, {source{"Newsletter", ""}, 4},
	{source{"blog.example.org", "blog.example.org"}, 2}, {source{"Ecosia", "www.ecosia.org"}, 1},
}

type utm struct{ source, medium, campaign, content, term string }

// campaigns are used by one session in eight.
var campaigns = []weighted[utm]{
	{utm{"newsletter", "email", "spring_sale", "header", ""}, 5},
	{utm{"newsletter", "email", "spring_sale", "footer", ""}, 2},
	{utm{"google", "cpc", "brand", "ad-1", "shukei analytics"}, 4},
	{utm{"google", "cpc", "generic", "ad-2", "privacy analytics"}, 3},
	{utm{"twitter", "social", "launch", "", ""}, 3},
	{utm{"partner", "referral", "100%-free", "", ""}, 1},
}

var eventNames = []weighted[string]{
	{"Outbound Link: Click", 5}, {"File Download", 3}, {"Signup", 2}, {"Purchase", 1}, {"404", 1},
}

var searchTerms = []string{"pricing", "docs", "api", "GDPR", "export csv", "Größe", "日本語", "50% off"}

// pick draws from a weighted list.
func pick[T any](r interface{ IntN(int) int }, list []weighted[T]) T {
	total := 0
	for _, x := range list {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range list {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return list[len(list)-1].v
}

// fileURLs and planValues are kept property values (propRows), some odd.
var (
	fileURLs = []string{
		"https://a.test/files/report-2024.pdf", "https://a.test/files/Report-2024.PDF",
		"https://cdn.example.net/soshiki/お知らせ.pdf", "https://a.test/files/50%_off.xlsx", "(other)",
	}
	planValues = []string{"pro", "free", "Enterprise ü", "(none)"}
)
