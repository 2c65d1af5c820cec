package referrer

import "strings"

// The acquisition channels, named as Plausible names them (its
// documentation, "Acquisition channels, referral sources and paid
// campaigns", lists each with its definition).
const (
	ChannelCrossNetwork    = "Cross-network"
	ChannelPaidShopping    = "Paid Shopping"
	ChannelPaidSearch      = "Paid Search"
	ChannelPaidSocial      = "Paid Social"
	ChannelPaidVideo       = "Paid Video"
	ChannelDisplay         = "Display"
	ChannelPaidOther       = "Paid Other"
	ChannelOrganicShopping = "Organic Shopping"
	ChannelOrganicSocial   = "Organic Social"
	ChannelOrganicVideo    = "Organic Video"
	ChannelOrganicSearch   = "Organic Search"
	ChannelEmail           = "Email"
	ChannelAffiliates      = "Affiliates"
	ChannelAudio           = "Audio"
	ChannelSMS             = "SMS"
	ChannelMobilePush      = "Mobile Push Notifications"
	ChannelReferral        = "Referral"
	ChannelDirect          = "Direct"
)

// Channels lists every channel, in the order the rules try them.
var Channels = []string{
	ChannelCrossNetwork, ChannelDisplay, ChannelPaidShopping, ChannelPaidSearch, ChannelPaidSocial,
	ChannelPaidVideo, ChannelPaidOther, ChannelOrganicShopping, ChannelOrganicSocial, ChannelOrganicVideo,
	ChannelOrganicSearch, ChannelEmail, ChannelAffiliates, ChannelAudio, ChannelSMS, ChannelMobilePush,
	ChannelReferral, ChannelDirect,
}

// Click ids whose presence on a landing URL marks an auto-tagged ad click.
// Only the parameter's name is ever looked at, never its value (an id of
// one click, which could link visits).
const (
	ClickGoogle    = "gclid"   // Google Ads
	ClickMicrosoft = "msclkid" // Microsoft (Bing) Ads
)

// Acquisition is what the channel of a visit is decided from.
type Acquisition struct {
	Source      string // the source name (Classify), "" or DirectNone for none
	UTMSource   string // the campaign source as tagged (utm_source, source=, ref=)
	UTMMedium   string
	UTMCampaign string
	ClickID     string // ClickGoogle, ClickMicrosoft or ""
}

// Channel returns the acquisition channel, by Plausible's rules: the
// first rule that holds, in the order of Channels.
func Channel(a Acquisition) string {
	source := a.Source
	if source == DirectNone {
		source = ""
	}
	cat := categoryOf(source)
	medium, campaign, utmSource := lower(a.UTMMedium), lower(a.UTMCampaign), lower(a.UTMSource)
	paid := paidMedium(medium)
	paidSource := paidSources[utmSource]
	switch {
	case strings.Contains(campaign, "cross-network"):
		return ChannelCrossNetwork
	case displayMedia[medium]:
		return ChannelDisplay
	case (cat == catShopping || shoppingCampaign(campaign)) && paid:
		return ChannelPaidShopping
	case cat == catSearch && (paid || paidSource),
		a.ClickID == ClickGoogle && strings.EqualFold(source, "google"),
		a.ClickID == ClickMicrosoft && strings.EqualFold(source, "bing"):
		return ChannelPaidSearch
	case cat == catSocial && (paid || paidSource):
		return ChannelPaidSocial
	case cat == catVideo && (paid || paidSource):
		return ChannelPaidVideo
	case paid:
		return ChannelPaidOther
	case cat == catShopping || shoppingCampaign(campaign):
		return ChannelOrganicShopping
	case cat == catSocial || socialMedia[medium]:
		return ChannelOrganicSocial
	case cat == catVideo || strings.Contains(medium, "video"):
		return ChannelOrganicVideo
	case cat == catSearch:
		return ChannelOrganicSearch
	case cat == catEmail || containsAny(utmSource, emailTags) || containsAny(medium, emailTags):
		return ChannelEmail
	case medium == "affiliate":
		return ChannelAffiliates
	case medium == "audio":
		return ChannelAudio
	case utmSource == "sms" || medium == "sms":
		return ChannelSMS
	case strings.HasSuffix(medium, "push") || strings.Contains(medium, "mobile") ||
		strings.Contains(medium, "notification") || strings.EqualFold(source, "firebase"):
		return ChannelMobilePush
	case medium == "referral" || medium == "app" || medium == "link" || source != "":
		return ChannelReferral
	}
	return ChannelDirect
}

// paidMedium is Plausible's paid medium: containing "cp" (cpc, cpm, cpv),
// "ppc", "retargeting", or starting with "paid".
func paidMedium(m string) bool {
	return strings.Contains(m, "cp") || m == "ppc" || m == "retargeting" || strings.HasPrefix(m, "paid")
}

// shoppingCampaign is Plausible's shopping campaign: containing
// "shopping", or "shop" at the start or after a character that is not a
// letter other than "e" (so "eshop" and "spring-shop" are shopping
// campaigns, "workshop" is not).
func shoppingCampaign(c string) bool {
	if strings.Contains(c, "shopping") {
		return true
	}
	for i := 0; i+4 <= len(c); i++ {
		if c[i:i+4] != "shop" {
			continue
		}
		if i == 0 {
			return true
		}
		if b := c[i-1]; b < 'a' || b > 'z' || b == 'e' {
			return true
		}
	}
	return false
}

var displayMedia = map[string]bool{"display": true, "banner": true, "expandable": true, "interstitial": true, "cpm": true}

var socialMedia = map[string]bool{
	"social": true, "social-network": true, "social-media": true, "sm": true,
	"social network": true, "social media": true,
}

var emailTags = []string{"email", "e-mail", "e_mail", "e mail", "newsletter"}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// paidSources are campaign sources that mark paid traffic whatever the
// medium: the ad aliases ("fb-ads", "yt-ads", "google_ads") and "adwords".
var paidSources = func() map[string]bool {
	m := map[string]bool{"adwords": true}
	for k := range aliases {
		if strings.HasSuffix(k, "ad") || strings.HasSuffix(k, "ads") {
			m[k] = true
		}
	}
	return m
}()

// lower lowercases ASCII letters, allocating only when s has an
// uppercase one (most campaign values are lowercase already).
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// InferMedium returns the medium of an untagged ad click as Plausible
// records it: "(gclid)" for a Google Ads click arriving from Google,
// "(msclkid)" for a Microsoft Ads click arriving from Bing, else medium
// unchanged. A tagged medium always wins.
func InferMedium(source, medium, clickID string) string {
	switch {
	case medium != "":
		return medium
	case clickID == ClickGoogle && source == "Google":
		return "(gclid)"
	case clickID == ClickMicrosoft && source == "Bing":
		return "(msclkid)"
	}
	return medium
}
