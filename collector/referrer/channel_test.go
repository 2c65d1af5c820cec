package referrer

import "testing"

// TestChannel checks the channel rules with the cases Plausible's
// documentation ("Acquisition channels, referral sources and paid
// campaigns", section Channels) defines, through Classify as the
// collector calls it.
func TestChannel(t *testing.T) {
	tests := []struct {
		name                                    string
		referrer, utm, tagged, medium, campaign string
		click                                   string
		want                                    string
	}{
		{"cross-network campaign", "", "", "", "", "cross-network", "", ChannelCrossNetwork},
		{"paid shopping by campaign", "", "", "", "paid", "shopping", "", ChannelPaidShopping},
		{"paid shopping by referrer", "https://shopify.com", "", "", "paid", "", "", ChannelPaidShopping},
		{"paid shopping by utm source", "", "shopify", "", "paid", "", "", ChannelPaidShopping},
		{"paid search by referrer", "https://duckduckgo.com", "", "", "paid", "", "", ChannelPaidSearch},
		{"paid search by gclid from google", "https://google.com", "", "", "", "", ClickGoogle, ChannelPaidSearch},
		{"gclid from another engine is organic", "https://duckduckgo.com", "", "", "", "", ClickGoogle, ChannelOrganicSearch},
		{"paid search by msclkid from bing", "https://bing.com", "", "", "", "", ClickMicrosoft, ChannelPaidSearch},
		{"msclkid with cpc", "https://bing.com", "", "", "cpc", "", ClickMicrosoft, ChannelPaidSearch},
		{"paid search by utm source", "", "google", "", "paid", "", "", ChannelPaidSearch},
		{"google ads alias", "", "google_ads", "", "", "", "", ChannelPaidSearch},
		{"adwords", "", "Adwords", "", "", "", "", ChannelPaidSearch},
		{"source=Google-ads", "", "", "Google-ads", "", "", "", ChannelPaidSearch},
		{"paid social by referrer", "https://tiktok.com", "", "", "paid", "", "", ChannelPaidSocial},
		{"paid social by utm source", "", "tiktok", "", "paid", "", "", ChannelPaidSocial},
		{"fb-ads", "", "fb-ads", "", "", "", "", ChannelPaidSocial},
		{"facebook-ads", "", "facebook-ads", "", "", "", "", ChannelPaidSocial},
		{"fbad", "", "fbad", "", "", "", "", ChannelPaidSocial},
		{"reddit ads", "", "Reddit-ads", "", "", "", "", ChannelPaidSocial},
		{"twitter ads", "", "twitter-ads", "", "", "", "", ChannelPaidSocial},
		{"paid video by referrer", "https://youtube.com", "", "", "paid", "", "", ChannelPaidVideo},
		{"paid video by utm source", "", "youtube", "", "paid", "", "", ChannelPaidVideo},
		{"yt-ads", "", "yt-ads", "", "", "", "", ChannelPaidVideo},
		{"display", "", "", "", "banner", "", "", ChannelDisplay},
		{"display beats gclid", "", "google", "", "display", "", ClickGoogle, ChannelDisplay},
		{"paid other", "", "", "", "cpc", "", "", ChannelPaidOther},
		{"organic shopping by referrer", "https://walmart.com", "", "", "", "", "", ChannelOrganicShopping},
		{"organic shopping by utm source", "", "walmart", "", "", "", "", ChannelOrganicShopping},
		{"organic shopping by campaign", "", "", "", "", "shop", "", ChannelOrganicShopping},
		{"temu", "https://temu.com", "", "", "", "", "", ChannelOrganicShopping},
		{"workshop is no shop", "", "", "", "", "workshop", "", ChannelDirect},
		{"organic social by referrer", "http://facebook.com", "", "", "", "", "", ChannelOrganicSocial},
		{"organic social by utm source", "", "twitter", "", "", "", "", ChannelOrganicSocial},
		{"organic social by medium", "", "", "", "social", "", "", ChannelOrganicSocial},
		{"threads", "", "threads", "", "", "", "", ChannelOrganicSocial},
		{"ig", "", "ig", "", "", "", "", ChannelOrganicSocial},
		{"fb", "", "fb", "", "", "", "", ChannelOrganicSocial},
		{"android reddit", "android-app://com.reddit.frontpage", "", "", "", "", "", ChannelOrganicSocial},
		{"teams", "https://statics.teams.cdn.office.net", "", "", "", "", "", ChannelOrganicSocial},
		{"discord", "https://ptb.discord.com", "", "", "", "", "", ChannelOrganicSocial},
		{"telegram", "https://t.me", "", "", "", "", "", ChannelOrganicSocial},
		{"utm Telegram", "", "Telegram", "", "", "", "", ChannelOrganicSocial},
		{"hacker news", "https://news.ycombinator.com", "", "", "", "", "", ChannelOrganicSocial},
		{"slack", "https://app.slack.com", "", "", "", "", "", ChannelOrganicSocial},
		{"producthunt ref", "", "", "producthunt", "", "", "", ChannelOrganicSocial},
		{"github", "https://github.com", "", "", "", "", "", ChannelOrganicSocial},
		{"steam community", "https://steamcommunity.com", "", "", "", "", "", ChannelOrganicSocial},
		{"vkontakte", "https://vkontakte.ru", "", "", "", "", "", ChannelOrganicSocial},
		{"threads referrer", "https://threads.net", "", "", "", "", "", ChannelOrganicSocial},
		{"organic video by referrer", "https://vimeo.com", "", "", "", "", "", ChannelOrganicVideo},
		{"organic video by utm source", "", "vimeo", "", "", "", "", ChannelOrganicVideo},
		{"organic video by medium", "", "", "", "video", "", "", ChannelOrganicVideo},
		{"yt", "", "yt", "", "", "", "", ChannelOrganicVideo},
		{"organic search by referrer", "http://duckduckgo.com", "", "", "", "", "", ChannelOrganicSearch},
		{"organic search by utm source", "", "duckduckgo", "", "", "", "", ChannelOrganicSearch},
		{"perplexity", "https://perplexity.ai", "", "", "", "", "", ChannelOrganicSearch},
		{"chatgpt", "https://chatgpt.com", "", "", "", "", "", ChannelOrganicSearch},
		{"msn new tab", "https://ntp.msn.com", "", "", "", "", "", ChannelOrganicSearch},
		{"brave", "https://search.brave.com", "", "", "", "", "", ChannelOrganicSearch},
		{"yandex", "https://yandex.com.tr", "", "", "", "", "", ChannelOrganicSearch},
		{"baidu", "https://baidu.com", "", "", "", "", "", ChannelOrganicSearch},
		{"sogou", "https://m.sogou.com", "", "", "", "", "", ChannelOrganicSearch},
		{"yahoo", "https://search.yahoo.com", "", "", "", "", "", ChannelOrganicSearch},
		{"ecosia", "https://ecosia.org", "", "", "", "", "", ChannelOrganicSearch},
		{"email by utm source", "", "email", "", "", "", "", ChannelEmail},
		{"email by medium", "", "", "", "email", "", "", ChannelEmail},
		{"newsletter", "", "Newsletter-UK", "", "", "", "", ChannelEmail},
		{"gmail", "https://mail.google.com", "", "", "", "", "", ChannelEmail},
		{"affiliates", "", "", "", "affiliate", "", "", ChannelAffiliates},
		{"audio", "", "", "", "audio", "", "", ChannelAudio},
		{"sms by utm source", "", "sms", "", "", "", "", ChannelSMS},
		{"sms by medium", "", "", "", "sms", "", "", ChannelSMS},
		{"push", "", "", "", "app-push", "", "", ChannelMobilePush},
		{"mobile", "", "", "", "example-mobile", "", "", ChannelMobilePush},
		{"referral by medium", "", "", "", "referral", "", "", ChannelReferral},
		{"referral by referrer", "https://othersite.com", "", "", "", "", "", ChannelReferral},
		{"wikipedia", "https://en.wikipedia.org", "", "", "", "", "", ChannelReferral},
		{"linktree", "https://linktr.ee", "", "", "", "", "", ChannelReferral},
		{"utm linktree", "", "linktree", "", "", "", "", ChannelReferral},
		{"direct", "", "", "", "", "", "", ChannelDirect},
		{"internal referrer is direct", "https://example.com/a", "", "", "", "", "", ChannelDirect},
		{"localhost is direct", "http://localhost:4000/", "", "", "", "", "", ChannelDirect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Classify(tt.referrer, "example.com", tt.utm, tt.tagged)
			tagged := tt.utm
			if tagged == "" {
				tagged = tt.tagged
			}
			medium := InferMedium(src.Name, tt.medium, tt.click)
			got := Channel(Acquisition{Source: src.Name, UTMSource: tagged, UTMMedium: medium, UTMCampaign: tt.campaign, ClickID: tt.click})
			if got != tt.want {
				t.Errorf("source %q: channel %q, want %q", src.Name, got, tt.want)
			}
		})
	}
}

func TestInferMedium(t *testing.T) {
	for _, tt := range []struct{ source, medium, click, want string }{
		{"Google", "", ClickGoogle, "(gclid)"},
		{"Bing", "", ClickMicrosoft, "(msclkid)"},
		{"DuckDuckGo", "", ClickGoogle, ""},
		{"Google", "paidads", ClickGoogle, "paidads"},
		{"Google", "", "", ""},
	} {
		if got := InferMedium(tt.source, tt.medium, tt.click); got != tt.want {
			t.Errorf("InferMedium(%q, %q, %q) = %q, want %q", tt.source, tt.medium, tt.click, got, tt.want)
		}
	}
}

func TestChannelAllocs(t *testing.T) {
	a := Acquisition{Source: "Google", UTMMedium: "cpc", UTMCampaign: "spring", UTMSource: "google"}
	if n := testing.AllocsPerRun(100, func() { _ = Channel(a) }); n != 0 {
		t.Errorf("Channel allocates %v times", n)
	}
}

func FuzzChannel(f *testing.F) {
	f.Add("Google", "google", "cpc", "spring-shop", ClickGoogle)
	f.Add("", "", "", "", "")
	f.Add("Direct / None", "newsletter", "E-Mail", "cross-network", ClickMicrosoft)
	known := map[string]bool{}
	for _, c := range Channels {
		known[c] = true
	}
	f.Fuzz(func(t *testing.T, source, utmSource, medium, campaign, click string) {
		got := Channel(Acquisition{Source: source, UTMSource: utmSource, UTMMedium: medium, UTMCampaign: campaign, ClickID: click})
		if !known[got] {
			t.Fatalf("unknown channel %q", got)
		}
		if source == "" && utmSource == "" && medium == "" && campaign == "" && got != ChannelDirect {
			t.Fatalf("nothing given, channel %q", got)
		}
	})
}
