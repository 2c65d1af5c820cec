package compat

// Cases of the ingest side: what the Events API stores, read back through
// the Stats API — values spelled as Plausible spells them, sources,
// channels, referrer spam, the Events API's tolerance of what browsers and
// apps send, engagement and custom properties.

const (
	eventsAPI    = "https://plausible.io/docs/events-api"
	topSources   = "https://plausible.io/docs/top-referrers"
	linkTagging  = "https://plausible.io/docs/manual-link-tagging"
	customProps  = "https://plausible.io/docs/custom-props/introduction"
	fileDownload = "https://plausible.io/docs/file-downloads-tracking"
	outboundLink = "https://plausible.io/docs/outbound-link-click-tracking"
	botFiltering = "https://plausible.io/docs/bot-traffic-filtering"
	metricDefs   = "https://plausible.io/docs/metrics-definitions"
)

// User-Agents of Plausible's own Events API tests.
const (
	uaMac70    = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Safari/537.36"
	uaMobile   = "Mozilla/5.0 (Linux; Android 6.0; U007 Pro Build/MRA58K; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/44.0.2403.119 Mobile Safari/537.36"
	uaTablet   = "Mozilla/5.0 (Linux; U; Android 4.2.2; it-it; Surfing TAB B 9.7 3G Build/JDQ39) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30"
	uaIPhone   = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
	uaEdge     = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
	uaHeadless = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/85.0.4183.83 Safari/537.36"
)

// one is the check of a single value of a dimension: the breakdown holds
// exactly that row with one visitor.
func one(dim, value string) Check {
	return Check{Name: dim, Query: metrics("visitors").dims(dim), Results: []Row{R(value, 1)}}
}

// counted checks how many page views were stored.
func counted(n int) Check {
	return Check{Name: "pageviews", Query: metrics("pageviews"), Results: []Row{R(n)}}
}

func init() {
	register(valueCases()...)
	register(sourceCases()...)
	register(channelCases()...)
	register(eventsAPICases()...)
	register(propCases()...)
}

func valueCases() []Case {
	return []Case{
		{
			Name:   "ingest os Mac and its version",
			Doc:    eventsAPI + "#request-headers — User-Agent (device-detector's names)",
			Events: []Event{{Visitor: 1, UA: uaMac70}},
			Checks: []Check{one("visit:os", "Mac"), one("visit:os_version", "10.13")},
		},
		{
			Name:   "ingest browser and version",
			Doc:    eventsAPI + "#request-headers — User-Agent",
			Events: []Event{{Visitor: 1, UA: uaMac70}},
			Checks: []Check{one("visit:browser", "Chrome"), one("visit:browser_version", "70.0")},
		},
		{
			Name:   "ingest edge on windows",
			Doc:    eventsAPI + "#request-headers — User-Agent",
			Events: []Event{{Visitor: 1, UA: uaEdge}},
			Checks: []Check{one("visit:browser", "Microsoft Edge"), one("visit:browser_version", "124.0"),
				one("visit:os", "Windows"), one("visit:os_version", "10")},
		},
		{
			Name:   "ingest ios version",
			Doc:    eventsAPI + "#request-headers — User-Agent",
			Events: []Event{{Visitor: 1, UA: uaIPhone}},
			Checks: []Check{one("visit:os", "iOS"), one("visit:os_version", "17.4"), one("visit:browser", "Safari"), one("visit:device", "Mobile")},
		},
		{
			Name:   "ingest tablet device",
			Doc:    "https://plausible.io/docs/devices — screen sizes from the User-Agent",
			Events: []Event{{Visitor: 1, UA: uaTablet}},
			Checks: []Check{one("visit:device", "Tablet")},
		},
		{
			Name:   "ingest mobile device",
			Doc:    "https://plausible.io/docs/devices — screen sizes from the User-Agent",
			Events: []Event{{Visitor: 1, UA: uaMobile}},
			Checks: []Check{one("visit:device", "Mobile")},
		},
		{
			Name:   "ingest desktop device",
			Doc:    "https://plausible.io/docs/devices — screen sizes from the User-Agent",
			Events: []Event{{Visitor: 1, UA: uaMac70}},
			Checks: []Check{one("visit:device", "Desktop")},
		},
		{
			Name:   "ingest unknown user agent counted",
			Doc:    eventsAPI + "#request-headers — User-Agent: not recognised in device-detector, still counted",
			Events: []Event{{Visitor: 1, UA: "unknown UA"}},
			Checks: []Check{counted(1), one("visit:device", "(not set)"), one("visit:browser", "(not set)")},
		},
		{
			Name:   "ingest empty user agent counted",
			Doc:    eventsAPI + "#request-headers — User-Agent",
			Events: []Event{{Visitor: 1, Headers: map[string]string{"User-Agent": ""}}},
			Checks: []Check{counted(1)},
		},
		{
			Name:   "ingest shortened user agent counted",
			Doc:    eventsAPI + "#endpoints — POST /api/event (a User-Agent shortened as in examples)",
			Events: []Event{{Visitor: 1, UA: "Mozilla/5.0 ..."}},
			Checks: []Check{counted(1)},
		},
		{
			Name:   "ingest crawler dropped",
			Doc:    botFiltering + "#what-plausible-filters-automatically — User-Agent filtering",
			Events: []Event{{Visitor: 1, UA: "generic crawler"}, {Visitor: 2, UA: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}},
			Checks: []Check{counted(0)},
		},
		{
			Name:   "ingest headless chrome dropped",
			Doc:    botFiltering + "#what-plausible-filters-automatically — User-Agent filtering",
			Events: []Event{{Visitor: 1, UA: uaHeadless}},
			Checks: []Check{counted(0)},
		},
		{
			Name:   "ingest www stripped from hostname",
			Doc:    "https://plausible.io/docs/stats-api#event-dimensions — event:hostname",
			Events: []Event{{Visitor: 1, URL: "http://www." + siteDomain("ingest www stripped from hostname") + "/"}},
			Checks: []Check{one("event:hostname", siteDomain("ingest www stripped from hostname"))},
		},
	}
}

func sourceCases() []Case {
	site := func(name string) string { return siteDomain(name) }
	source := func(value string) Check { return one("visit:source", value) }
	return []Case{
		{
			Name: "ingest facebook referrer", Doc: eventsAPI + "#request-body-json-parameters — referrer (known sources)",
			Events: []Event{{Visitor: 1, Referrer: "https://facebook.com"}, {Visitor: 2, Referrer: "http://m.facebook.com/"}},
			Checks: []Check{{Query: metrics("visitors").dims("visit:source"), Results: []Row{R("Facebook", 2)}}},
		},
		{
			Name: "ingest unknown referrer is its host", Doc: eventsAPI + "#request-body-json-parameters — referrer: when no match, the hostname",
			Events: []Event{{Visitor: 1, Referrer: "https://www.indiehackers.com/landing-page-feedback"}},
			Checks: []Check{source("indiehackers.com")},
		},
		{
			Name: "ingest subdomain referrer", Doc: eventsAPI + "#request-body-json-parameters — referrer",
			Events: []Event{{Visitor: 1, Referrer: "https://blog." + site("ingest subdomain referrer")}},
			Checks: []Check{source("blog." + site("ingest subdomain referrer"))},
		},
		{
			Name: "ingest internal referrer is direct", Doc: topSources + "#direct--none-traffic-without-a-referrer-source",
			Events: []Event{{Visitor: 1, Referrer: "https://" + site("ingest internal referrer is direct") + "/before"}},
			Checks: []Check{source("Direct / None")},
		},
		{
			Name: "ingest localhost referrer is direct", Doc: topSources + "#direct--none-traffic-without-a-referrer-source",
			Events: []Event{{Visitor: 1, Referrer: "http://localhost:4000/"}},
			Checks: []Check{source("Direct / None")},
		},
		{
			Name: "ingest ftp referrer ignored", Doc: eventsAPI + "#request-body-json-parameters — referrer",
			Events: []Event{{Visitor: 1, Referrer: "ftp://wat"}},
			Checks: []Check{source("Direct / None")},
		},
		{
			Name: "ingest android app referrer", Doc: topSources + "#we-attempt-to-uncover-some-direct-traffic",
			Events: []Event{{Visitor: 1, Referrer: "android-app://some.android.app"}},
			Checks: []Check{source("android-app://some.android.app")},
		},
		{
			Name: "ingest reddit android app", Doc: topSources + "#we-attempt-to-uncover-some-direct-traffic",
			Events: []Event{{Visitor: 1, Referrer: "android-app://com.reddit.frontpage"}},
			Checks: []Check{source("Reddit"), one("visit:channel", "Organic Social")},
		},
		{
			Name: "ingest utm_source overrides referrer", Doc: linkTagging + " — utm_source",
			Events: []Event{{Visitor: 1, URL: "/?utm_source=betalist", Referrer: "https://betalist.com/my-product"}},
			Checks: []Check{source("betalist"), one("visit:utm_source", "betalist")},
		},
		{
			Name: "ingest ref parameter", Doc: topSources + "#how-to-tag-your-paid-campaign-links — ref",
			Events: []Event{{Visitor: 1, URL: "/?ref=betalist"}},
			Checks: []Check{source("betalist"), one("visit:utm_source", "betalist")},
		},
		{
			Name: "ingest source parameter", Doc: topSources + "#how-to-tag-your-paid-campaign-links — source",
			Events: []Event{{Visitor: 1, URL: "/?source=betalist"}},
			Checks: []Check{source("betalist"), one("visit:utm_source", "betalist")},
		},
		{
			Name:   "ingest utm tags",
			Doc:    linkTagging + " — utm_medium, utm_campaign, utm_content, utm_term",
			Events: []Event{{Visitor: 1, URL: "/?utm_source=newsletter&utm_medium=email&utm_campaign=spring&utm_content=banner&utm_term=parks"}},
			Checks: []Check{one("visit:utm_medium", "email"), one("visit:utm_campaign", "spring"),
				one("visit:utm_content", "banner"), one("visit:utm_term", "parks"), one("visit:channel", "Email")},
		},
		{
			Name: "ingest utm_source in any case", Doc: topSources + "#consolidation-of-duplicate-sources",
			Events: []Event{{Visitor: 1, URL: "/?utm_source=facebook"}, {Visitor: 2, URL: "/?utm_source=fb"}, {Visitor: 3, URL: "/?utm_source=fb-ads"}, {Visitor: 4, Referrer: "https://facebook.com"}},
			Checks: []Check{{Query: metrics("visitors").dims("visit:source"), Results: []Row{R("Facebook", 4)}}},
		},
		{
			Name: "ingest youtube aliases", Doc: topSources + "#consolidation-of-duplicate-sources",
			Events: []Event{{Visitor: 1, URL: "/?utm_source=yt"}, {Visitor: 2, URL: "/?utm_source=yt-ads"}},
			Checks: []Check{{Query: metrics("visitors").dims("visit:source"), Results: []Row{R("Youtube", 2)}}},
		},
		{
			Name: "ingest google ads aliases", Doc: topSources + "#consolidation-of-duplicate-sources",
			Events: []Event{{Visitor: 1, URL: "/?utm_source=google_ads"}, {Visitor: 2, URL: "/?source=Google-ads"}, {Visitor: 3, URL: "/?utm_source=Adwords"}},
			Checks: []Check{{Query: metrics("visitors").dims("visit:source"), Results: []Row{R("Google", 3)}},
				{Name: "kept as tagged", Query: metrics("visitors").dims("visit:utm_source"), AnyOrder: true,
					Results: []Row{R("Adwords", 1), R("Google-ads", 1), R("google_ads", 1)}}},
		},
		{
			Name: "ingest known names as utm_source", Doc: topSources + "#consolidation-of-duplicate-sources",
			Events: []Event{
				{Visitor: 1, URL: "/?utm_source=bing"}, {Visitor: 2, URL: "/?utm_source=REDDIT"},
				{Visitor: 3, URL: "/?utm_source=youtube"}, {Visitor: 4, URL: "/?ref=duckduckgo"},
				{Visitor: 5, Referrer: "https://www.bing.com/search"}, {Visitor: 6, Referrer: "https://old.reddit.com/r/golang"},
				{Visitor: 7, Referrer: "https://m.youtube.com/watch"}, {Visitor: 8, Referrer: "https://www.google.co.jp/"},
			},
			Checks: []Check{{Query: metrics("visitors").dims("visit:source"), AnyOrder: true, Results: []Row{
				R("Bing", 2), R("Reddit", 2), R("Youtube", 2), R("DuckDuckGo", 1), R("Google", 1)}}},
		},
		{
			Name: "ingest known hosts", Doc: eventsAPI + "#request-body-json-parameters — referrer (referer-parser)",
			Events: []Event{
				{Visitor: 1, Referrer: "https://search.yahoo.com"}, {Visitor: 2, Referrer: "https://ntp.msn.com"},
				{Visitor: 3, Referrer: "https://yandex.com.tr"}, {Visitor: 4, Referrer: "https://news.ycombinator.com"},
				{Visitor: 5, Referrer: "https://mail.google.com"}, {Visitor: 6, Referrer: "https://t.me"},
				{Visitor: 7, Referrer: "https://en.wikipedia.org"}, {Visitor: 8, Referrer: "https://github.com"},
			},
			Checks: []Check{{Query: metrics("visitors").dims("visit:source"), AnyOrder: true, Results: []Row{
				R("Yahoo!", 1), R("Bing", 1), R("Yandex", 1), R("Hacker News", 1), R("Gmail", 1), R("Telegram", 1),
				R("Wikipedia", 1), R("GitHub", 1)}}},
		},
		{
			Name: "ingest referrer spam dropped", Doc: botFiltering + "#what-plausible-filters-automatically — referrer spam filtering",
			Events: []Event{{Visitor: 1, Referrer: "https://www.1-best-seo.com"}, {Visitor: 2, Referrer: "https://shop.1-best-seo.com/x"}, {Visitor: 3}},
			Checks: []Check{counted(1)},
		},
		{
			Name: "ingest gclid medium", Doc: topSources + "#gclid-and-msclkid-marketing-parameters",
			Events: []Event{{Visitor: 1, URL: "/?gclid=123identifier", Referrer: "https://google.com"},
				{Visitor: 2, URL: "/?msclkid=123identifier", Referrer: "https://bing.com"},
				{Visitor: 3, URL: "/?gclid=123identifier&utm_medium=paidads", Referrer: "https://google.com"}},
			Checks: []Check{{Query: metrics("visitors").dims("visit:utm_medium"), AnyOrder: true,
				Results: []Row{R("(gclid)", 1), R("(msclkid)", 1), R("paidads", 1)}}},
		},
	}
}

func channelCases() []Case {
	return []Case{
		{
			Name: "ingest channels",
			Doc:  topSources + "#channels — the definitions of each channel",
			Events: []Event{
				{Visitor: 1},
				{Visitor: 2, Referrer: "http://duckduckgo.com"},
				{Visitor: 3, Referrer: "http://facebook.com"},
				{Visitor: 4, URL: "/?gclid=123identifier", Referrer: "https://google.com"},
				{Visitor: 5, URL: "/?utm_medium=email"},
				{Visitor: 6, Referrer: "https://othersite.com"},
				{Visitor: 7, URL: "/?utm_medium=banner"},
				{Visitor: 8, URL: "/?utm_medium=affiliate"},
				{Visitor: 9, URL: "/?utm_medium=audio"},
				{Visitor: 10, URL: "/?utm_source=sms"},
				{Visitor: 11, URL: "/?utm_campaign=cross-network"},
				{Visitor: 12, URL: "/?utm_campaign=shopping&utm_medium=paid"},
				{Visitor: 13, Referrer: "https://walmart.com"},
				{Visitor: 14, Referrer: "https://vimeo.com"},
				{Visitor: 15, URL: "/?utm_source=yt-ads"},
				{Visitor: 16, URL: "/?utm_medium=paid", Referrer: "https://tiktok.com"},
				{Visitor: 17, URL: "/?utm_medium=cpc"},
				{Visitor: 18, URL: "/?utm_medium=app-push"},
			},
			Checks: []Check{{Query: metrics("visitors").dims("visit:channel"), AnyOrder: true, Results: []Row{
				R("Direct", 1), R("Organic Search", 1), R("Organic Social", 1), R("Paid Search", 1), R("Email", 1),
				R("Referral", 1), R("Display", 1), R("Affiliates", 1), R("Audio", 1), R("SMS", 1), R("Cross-network", 1),
				R("Paid Shopping", 1), R("Organic Shopping", 1), R("Organic Video", 1), R("Paid Video", 1), R("Paid Social", 1),
				R("Paid Other", 1), R("Mobile Push Notifications", 1)}}},
		},
		{
			Name:   "ingest gclid elsewhere is organic",
			Doc:    topSources + "#channels — Paid Search: Source is Google and the link includes gclid",
			Events: []Event{{Visitor: 1, URL: "/?gclid=123identifier", Referrer: "https://duckduckgo.com"}},
			Checks: []Check{one("visit:channel", "Organic Search")},
		},
		{
			Name: "ingest channel filter",
			Doc:  topSources + "#channels — filter by channel",
			Events: []Event{
				{Visitor: 1, URL: "/?utm_source=google&utm_medium=paid"}, {Visitor: 1, URL: "/pricing"},
				{Visitor: 2, Referrer: "https://duckduckgo.com"},
			},
			Checks: []Check{{Query: metrics("visitors", "pageviews").filters(f("is", "visit:channel", "Paid Search")), Results: []Row{R(1, 2)}}},
		},
	}
}

func eventsAPICases() []Case {
	a, b := siteDomain("ingest several domains"), "second-site.compat.test"
	return []Case{
		{
			Name:     "ingest several domains",
			Doc:      eventsAPI + "#request-body-json-parameters — domain (several sites, comma-separated)",
			SiteArgs: []string{"-site", b},
			Events:   []Event{{Visitor: 1, Domain: a + "," + b}},
			Checks:   []Check{counted(1), {Name: "second site", Query: metrics("pageviews").set("site_id", b), Results: []Row{R(1)}}},
		},
		{
			Name:   "ingest www in domain",
			Doc:    eventsAPI + "#request-body-json-parameters — domain",
			Events: []Event{{Visitor: 1, Domain: "www." + siteDomain("ingest www in domain")}},
			Checks: []Check{counted(1)},
		},
		{
			Name:   "ingest file url",
			Doc:    eventsAPI + "#request-body-json-parameters — url (a mobile app's URL)",
			Events: []Event{{Visitor: 1, URL: "file:///android_asset/www/index.html"}},
			Checks: []Check{one("event:hostname", "(none)"), one("event:page", "/android_asset/www/index.html")},
		},
		{
			Name:   "ingest chrome extension url",
			Doc:    eventsAPI + "#request-body-json-parameters — url",
			Events: []Event{{Visitor: 1, URL: "chrome-extension://liipgellkffekalgefpjolodblggkmjg/popup.html"}},
			Checks: []Check{one("event:hostname", "liipgellkffekalgefpjolodblggkmjg"), one("event:page", "/popup.html")},
		},
		{
			Name:   "ingest app url",
			Doc:    eventsAPI + "#request-body-json-parameters — url: app://localhost/login",
			Events: []Event{{Visitor: 1, URL: "app://localhost/login"}},
			Checks: []Check{one("event:page", "/login")},
		},
		{
			Name:   "ingest data url refused",
			Doc:    eventsAPI + "#request-body-json-parameters — url: data URI scheme not supported",
			Events: []Event{{Visitor: 1, URL: "data:text/plain,hello", Status: 400}, {Visitor: 2}},
			Checks: []Check{counted(1)},
		},
		{
			Name: "ingest malformed props keep the event",
			Doc:  eventsAPI + "#request-body-json-parameters — props",
			Events: []Event{
				{Visitor: 1, Name: "Signup", Body: `{"name":"Signup","url":"https://{{site}}/","domain":"{{site}}","props":"\"show-more:button\""}`},
				{Visitor: 2, Name: "Signup", Props: map[string]any{"wat": []string{"some-thing"}, "other": "key"}},
				{Visitor: 3, Name: "Signup", Props: map[string]any{"foo": map[string]any{"bar": "baz"}, "other_key": 1}},
				{Visitor: 4, Name: "Signup", Props: map[string]any{"foo": "", "nil": nil, "ok": true}},
			},
			Checks: []Check{{Query: metrics("visitors", "events").dims("event:name"), Results: []Row{R("Signup", 4, 4)}}},
		},
		{
			Name: "ingest more than thirty props",
			Doc:  eventsAPI + "#request-body-json-parameters — props: more than 30 items are discarded",
			Events: []Event{{Visitor: 1, Name: "Signup", Props: func() map[string]any {
				m := map[string]any{}
				for i := range 31 {
					m[string(rune('a'+i%26))+string(rune('a'+i/26))] = i
				}
				return m
			}()}},
			Checks: []Check{{Query: metrics("events").filters(f("is", "event:name", "Signup")), Results: []Row{R(1)}}},
		},
		{
			Name: "ingest revenue accepted",
			Doc:  eventsAPI + "#request-body-json-parameters — revenue (the event is counted; Shukei keeps no amount)",
			Events: []Event{
				{Visitor: 1, Body: `{"name":"Purchase","url":"https://{{site}}/","domain":"{{site}}","revenue":{"amount":"10.50","currency":"EUR"}}`},
			},
			Checks: []Check{{Query: metrics("events").dims("event:name"), Results: []Row{R("Purchase", 1)}}},
		},
		{
			Name: "ingest non-interactive event keeps the bounce",
			Doc:  eventsAPI + "#request-body-json-parameters — interactive: false does not affect the bounce rate",
			Events: []Event{
				{Visitor: 1}, {Visitor: 1, Body: `{"name":"Video Play","url":"https://{{site}}/","domain":"{{site}}","interactive":false}`},
				{Visitor: 2}, {Visitor: 2, Body: `{"name":"Signup","url":"https://{{site}}/","domain":"{{site}}"}`},
			},
			Checks: []Check{{Query: metrics("visits", "bounce_rate"), Results: []Row{R(2, 50)}}},
		},
		{
			Name: "ingest hash mode keeps the route",
			Doc:  eventsAPI + "#request-body-json-parameters — hash_mode: the fragment is part of the page",
			Events: []Event{
				{Visitor: 1, Body: `{"name":"pageview","url":"https://{{site}}/#/about","domain":"{{site}}","hash_mode":1}`},
				{Visitor: 2, Body: `{"name":"pageview","url":"https://{{site}}/#/about","domain":"{{site}}"}`},
			},
			Checks: []Check{{Query: metrics("visitors").dims("event:page"), AnyOrder: true, Results: []Row{R("/#/about", 1), R("/", 1)}}},
		},
		{
			Name: "ingest engagement does not lengthen the visit",
			Doc:  metricDefs + " — visit duration and bounce rate (engagement events)",
			Events: []Event{
				{Visitor: 1},
				{Visitor: 1, Body: `{"name":"engagement","url":"https://{{site}}/","domain":"{{site}}","e":30000}`},
			},
			Checks: []Check{{Query: metrics("visits", "visit_duration", "bounce_rate", "pageviews"), Results: []Row{R(1, 0, 100, 1)}}},
		},
	}
}

func propCases() []Case {
	return []Case{
		{
			Name: "ingest file download url",
			Doc:  fileDownload + " — the url property of File Download",
			Events: []Event{
				{Visitor: 1, Name: "File Download", Props: map[string]any{"url": "https://" + siteDomain("ingest file download url") + "/files/report.pdf?session=abc"}},
				{Visitor: 2, Name: "File Download", Props: map[string]any{"url": "https://" + siteDomain("ingest file download url") + "/files/report.pdf"}},
				{Visitor: 2, Name: "File Download", Props: map[string]any{"url": "https://" + siteDomain("ingest file download url") + "/files/plan.xlsx"}},
			},
			Checks: []Check{{Query: metrics("visitors", "events").dims("event:props:url").filters(f("is", "event:name", "File Download")),
				Results: []Row{
					R("https://"+siteDomain("ingest file download url")+"/files/report.pdf", 2, 2),
					R("https://"+siteDomain("ingest file download url")+"/files/plan.xlsx", 1, 1)}}},
		},
		{
			Name:   "ingest outbound link url",
			Doc:    outboundLink + " — the url property of Outbound Link: Click",
			Events: []Event{{Visitor: 1, Name: "Outbound Link: Click", Props: map[string]any{"url": "https://other.example.org/about#team"}}},
			Checks: []Check{
				{Query: metrics("visitors", "events").dims("event:props:url"), Results: []Row{R("https://other.example.org/about", 1, 1)}},
				{Name: "filter", Query: metrics("events").filters(f("is", "event:props:url", "https://other.example.org/about")), Results: []Row{R(1)}},
			},
		},
		{
			Name:     "ingest allowlisted property",
			Doc:      customProps + " — custom properties as a breakdown and a filter",
			SiteArgs: []string{"-prop-key", "{{site}}=author"},
			Events: []Event{
				{Visitor: 1, Props: map[string]any{"author": "Jane", "logged_in": "true"}},
				{Visitor: 2, Props: map[string]any{"author": "Jane"}},
				{Visitor: 3, Props: map[string]any{"author": "John"}},
				{Visitor: 4},
			},
			Checks: []Check{
				{Query: metrics("visitors", "events").dims("event:props:author"), Results: []Row{R("Jane", 2, 2), R("(none)", 1, 1), R("John", 1, 1)}},
				{Name: "filter", Query: metrics("visitors").filters(f("is", "event:props:author", "Jane")), Results: []Row{R(2)}},
				{Name: "a key not kept", Query: metrics("visitors").dims("event:props:logged_in"), Results: []Row{}},
				{Name: "contains", Query: metrics("visitors").dims("event:props:author").filters(f("contains", "event:props:author", "Ja")), Results: []Row{R("Jane", 2)}},
				{Name: "is_not", Query: metrics("visitors").dims("event:props:author").filters(f("is_not", "event:props:author", "Jane")), Results: []Row{R("(none)", 1), R("John", 1)}},
				{Name: "matches", Query: metrics("visitors").filters(f("matches", "event:props:author", "^J")), Results: []Row{R(3)}},
			},
		},
	}
}
