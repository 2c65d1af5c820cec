package public

import (
	"fmt"
	"math/bits"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/collector"
	"github.com/shukei-analytics/shukei/collector/useragent"
	"github.com/shukei-analytics/shukei/collector/visitor"
	"github.com/shukei-analytics/shukei/collector/wal"
	"github.com/shukei-analytics/shukei/event"
	"github.com/shukei-analytics/shukei/ipaddr"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/tracker"
)

// The claims test (DESIGN §1.9): every claim a notice can make is checked
// against the configuration it was written from and against the code that
// makes it true. A claim without a check fails the test, so a sentence
// added to the notice comes with the test of what it says.

// claimCheck checks one claim's text for a configuration in a language.
type claimCheck func(t *testing.T, c NoticeConfig, lang, text string)

// claimChecks holds the check of every claim ID.
var claimChecks = map[string]claimCheck{
	"intro.tool":           checkIntro,
	"recorded.sent":        checkWords("the address of the page, the address of the page that linked to it", "閲覧したページのアドレス、リンク元のページのアドレス"),
	"recorded.page":        checkPageClaim,
	"recorded.visit":       checkVisit,
	"recorded.location":    checkLocation,
	"recorded.client":      checkClient,
	"recorded.time":        checkTime,
	"recorded.events":      checkEvents,
	"recorded.scrub":       checkScrubRules,
	"ip.truncate":          checkTruncation,
	"identifiers.cookies":  checkNoCookies,
	"identifiers.daily":    checkDailyKey,
	"linkable.records":     checkLinkableRecords,
	"linkable.logs":        checkWords("web server logs", "アクセスログ"),
	"retention.ageing":     checkAgeing,
	"retention.records":    checkRetention,
	"retention.log":        checkLogAge,
	"retention.published":  checkArchivePruned,
	"publication.none":     checkWhen(func(c NoticeConfig) bool { return !c.Site.Publish.Public }, "are not published", "公開しません"),
	"publication.where":    checkWhere,
	"publication.k":        checkK,
	"publication.people":   checkPeople,
	"publication.other":    checkWhen(isPublic, `"(other)"`, "「その他」"),
	"publication.periods":  checkWhen(isPublic, "calendar weeks and fixed four-week periods", "暦の週及び固定の4週間単位"),
	"publication.realtime": checkRealtime,
	"publication.round":    checkRound,
	"publication.noise":    checkNoise,
	"publication.exact":    checkWhen(func(c NoticeConfig) bool { return isPublic(c) && c.Site.Publish.Epsilon == 0 }, "counts are exact", "集計値そのまま"),
	"optout.gpc":           checkGPC,
	"optout.link":          checkOptOut,
}

// noticeConfigs are the configurations the test writes notices for: the
// defaults, and every setting the notice depends on changed.
func noticeConfigs() map[string]NoticeConfig {
	return map[string]NoticeConfig{
		"default": {Site: &site.Site{Domain: "example.org"}},
		"exact": {Site: &site.Site{Domain: "city.example.jp", Location: tokyo, RespectGPC: true, RetentionMonths: 6,
			Publish: site.Publishing{Public: true, MinCellSize: 20, RoundTo: 5}, PropKeys: []string{"author", "plan"},
			Ageing:     site.Ageing{MinuteFor: 72 * time.Hour, HourFor: 10 * 24 * time.Hour, KeepDetail: true},
			ScrubRules: []string{"keep /soshiki/*/0*.html", "scrub /staff/*"}},
			IPv4Bits: 16, IPv6Bits: 32, Geo: GeoCity, PublicURL: "https://stats.city.example.jp/", LogMaxAge: 15 * time.Minute},
		"noisy": {Site: &site.Site{Domain: "town.example", Location: tokyo, RetentionMonths: 25,
			Ageing:  site.Ageing{MinuteFor: 24 * time.Hour, HourFor: 60 * time.Hour},
			Publish: site.Publishing{Public: true, Epsilon: 0.5, RoundTo: 10}},
			Geo: GeoCountry, LogMaxAge: 2 * time.Hour},
	}
}

func TestNoticeClaimsAreChecked(t *testing.T) {
	seen := map[string]bool{}
	for name, c := range noticeConfigs() {
		for _, lang := range []string{"en", "ja"} {
			c.Lang = lang
			cs, err := NoticeClaims(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, cl := range cs {
				seen[cl.ID] = true
				check, ok := claimChecks[cl.ID]
				if !ok {
					t.Errorf("claim %s has no check: add one to claimChecks", cl.ID)
					continue
				}
				t.Run(name+"/"+lang+"/"+cl.ID, func(t *testing.T) { check(t, c, lang, cl.Text) })
			}
		}
	}
	// Every claim the notice knows appears in some configuration, so
	// each check runs.
	for _, s := range noticeSections {
		for _, d := range s.claims {
			if !seen[d.id] {
				t.Errorf("claim %s appears in none of the tested configurations", d.id)
			}
		}
	}
}

// TestNoticeClaimsFollowConfiguration checks, independently of the
// notice's own conditions, that each conditional claim is made exactly
// when the configuration calls for it.
func TestNoticeClaimsFollowConfiguration(t *testing.T) {
	for name, c := range noticeConfigs() {
		c.Lang = "en"
		cs, err := NoticeClaims(c)
		if err != nil {
			t.Fatal(err)
		}
		has := func(id string) bool { return slices.ContainsFunc(cs, func(x Claim) bool { return x.ID == id }) }
		p := c.Site.Publish
		for id, want := range map[string]bool{
			"optout.gpc":           c.Site.RespectGPC,
			"publication.none":     !p.Public,
			"publication.k":        p.Public,
			"publication.people":   p.Public && p.Epsilon == 0,
			"publication.noise":    p.Public && p.Epsilon != 0,
			"publication.exact":    p.Public && p.Epsilon == 0,
			"publication.round":    p.Public && p.RoundTo > 1,
			"publication.realtime": p.Public && p.Epsilon == 0,
			"retention.published":  p.Public,
		} {
			if has(id) != want {
				t.Errorf("%s: claim %s made %v, want %v", name, id, has(id), want)
			}
		}
	}
}

// columnClaims names the claim that states each stored column: a column
// added to the row without a claim that names it fails the test.
var columnClaims = map[string]string{
	"site": "intro.tool", "name": "recorded.events", "hostname": "recorded.page", "path": "recorded.page",
	"entry_path": "recorded.visit", "referrer_source": "recorded.visit", "referrer_host": "recorded.visit",
	"utm_source": "recorded.visit", "utm_medium": "recorded.visit", "utm_campaign": "recorded.visit",
	"utm_content": "recorded.visit", "utm_term": "recorded.visit", "channel": "recorded.visit",
	"search_term": "recorded.page", "country": "recorded.location", "region": "recorded.location",
	"city": "recorded.location", "browser": "recorded.client", "browser_version": "recorded.client",
	"os": "recorded.client", "os_version": "recorded.client", "device": "recorded.client",
	"screen": "recorded.client", "language": "recorded.client", "prop_key": "recorded.events",
	"prop_value": "recorded.events", "ts": "recorded.time", "duration": "recorded.time", "time_on_page": "recorded.time",
}

func TestNoticeNamesEveryStoredColumn(t *testing.T) {
	cs, err := NoticeClaims(NoticeConfig{Site: &site.Site{Domain: "example.org"}, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	cols := append([]string{"ts", "duration", "time_on_page"}, event.StringColumns[:]...)
	for _, col := range cols {
		id, ok := columnClaims[col]
		if !ok {
			t.Errorf("column %s is stored, but no claim of the notice says so: add it to columnClaims and to the notice", col)
			continue
		}
		if !slices.ContainsFunc(cs, func(c Claim) bool { return c.ID == id }) {
			t.Errorf("column %s: claim %s is not in the notice", col, id)
		}
	}
}

// words picks a language's words.
func words(lang, en, ja string) string {
	if lang == "ja" {
		return ja
	}
	return en
}

func mustContain(t *testing.T, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Errorf("claim lacks %q:\n%s", s, text)
		}
	}
}

func mustNotContain(t *testing.T, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(text, s) {
			t.Errorf("claim says %q:\n%s", s, text)
		}
	}
}

func checkWords(en, ja string) claimCheck {
	return func(t *testing.T, _ NoticeConfig, lang, text string) { mustContain(t, text, words(lang, en, ja)) }
}

func isPublic(c NoticeConfig) bool { return c.Site.Publish.Public }

// checkWhen: the claim is made only when cond holds, in those words.
func checkWhen(cond func(NoticeConfig) bool, en, ja string) claimCheck {
	return func(t *testing.T, c NoticeConfig, lang, text string) {
		if !cond(c) {
			t.Errorf("claim made for a configuration it does not hold for: %s", text)
		}
		mustContain(t, text, words(lang, en, ja))
	}
}

func checkIntro(t *testing.T, c NoticeConfig, lang, text string) {
	mustContain(t, text, c.Site.Domain, words(lang, "no cookies", "Cookie を使用せず"))
}

// checkPageClaim: the page is stored with its host name and search term; the
// query is dropped but for campaign tags and the site search.
func checkPageClaim(t *testing.T, _ NoticeConfig, lang, text string) {
	mustContain(t, text, "utm_source", words(lang, `without the part after "?"`, "「?」以降"))
	for _, col := range []string{"hostname", "path", "search_term"} {
		if !slices.Contains(event.StringColumns[:], col) {
			t.Errorf("the claim names %s, which is not stored", col)
		}
	}
}

// checkVisit: each row carries its visit's entry page and acquisition.
func checkVisit(t *testing.T, _ NoticeConfig, lang, text string) {
	mustContain(t, text, words(lang, "the page it began on", "最初のページ"), words(lang, "not the full address", "アドレス全体は記録しません"))
	for _, r := range trackTwoPages(t) {
		if r.EntryPath != "/first" || r.ReferrerSource != "Newsletter" {
			t.Errorf("a row of the visit lacks its entry page or source: %+v", r)
		}
	}
}

func checkLocation(t *testing.T, c NoticeConfig, lang, text string) {
	city, region, tz := words(lang, "city", "都市"), words(lang, "region", "地域"), words(lang, "time zone", "タイムゾーン")
	switch c.Geo {
	case GeoCity:
		mustContain(t, text, city, region)
	case GeoCountry:
		mustContain(t, text, region)
		mustNotContain(t, text, city, tz)
	default:
		mustContain(t, text, tz)
		mustNotContain(t, text, city, region)
	}
}

// checkClient: the classifier keeps the first two parts of a version.
func checkClient(t *testing.T, _ NoticeConfig, lang, text string) {
	mustContain(t, text, words(lang, "first two parts of their version numbers", "バージョン番号の上位 2 つの部分"))
	res := useragent.New(0).Classify("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.103 Mobile/15E148 Safari/604.1", "")
	for _, v := range []string{res.Class.BrowserVersion, res.Class.OSVersion} {
		if v == "" || strings.Count(v, ".") > 1 {
			t.Errorf("version %q: not at most two parts (%+v)", v, res.Class)
		}
	}
}

// trackTwoPages sends two page views 75.4 seconds apart, at 12:34:56.7,
// through the collector's visitor tracker.
func trackTwoPages(t *testing.T) []event.Row {
	t.Helper()
	tr := visitor.New(visitor.DefaultConfig())
	s := &site.Site{Domain: "a.example", Location: time.UTC}
	ip := ipaddr.Truncate(netip.MustParseAddr("198.51.100.7"), 24, 48)
	at := time.Date(2026, 3, 10, 12, 34, 56, 700_000_000, time.UTC)
	var rows []event.Row
	for i, path := range []string{"/first", "/second"} {
		h := &visitor.Hit{Site: s, Time: at.Add(time.Duration(i) * 75400 * time.Millisecond), Kind: visitor.Pageview,
			Row: event.Row{Site: s.Domain, Hostname: s.Domain, Path: path, ReferrerSource: "Newsletter", Country: "JP"}}
		var err error
		if rows, err = tr.Track(h, ip, "UA", rows); err != nil {
			t.Fatal(err)
		}
	}
	return rows
}

// checkTime: rows carry the minute, and durations in whole seconds.
func checkTime(t *testing.T, _ NoticeConfig, lang, text string) {
	mustContain(t, text, words(lang, "rounded down to the minute", "分単位に切り捨て"), words(lang, "in seconds", "秒単位"))
	rows := trackTwoPages(t)
	var duration, onPage int32
	for _, r := range rows {
		if r.TS.Second() != 0 || r.TS.Nanosecond() != 0 {
			t.Errorf("a row's time %v is finer than the minute", r.TS)
		}
		duration += r.Duration
		onPage += r.TimeOnPage
	}
	// 12:34:56.7 and 12:36:12.1: whole seconds of the clock, 76.
	if duration != 76 || onPage != 76 {
		t.Errorf("duration %d s, time on page %d s; want 76 and 76 (seconds)", duration, onPage)
	}
}

func checkEvents(t *testing.T, c NoticeConfig, lang, text string) {
	mustContain(t, text, words(lang, "download a file or follow a link", "ファイルをダウンロード"),
		words(lang, "Any other information sent with a page view or an event is discarded", "その他の情報は破棄します"))
	for _, k := range c.Site.PropKeys {
		mustContain(t, text, words(lang, `"`+k+`"`, "「"+k+"」"))
	}
	if len(c.Site.PropKeys) == 0 {
		mustNotContain(t, text, words(lang, "under the names", "イベントに付けた"))
	}
}

// checkScrubRules: the site's own rules are mentioned exactly when set
// (the detectors' claims are TestNoticeScrubClaims's).
func checkScrubRules(t *testing.T, c NoticeConfig, lang, text string) {
	keeps, extra := false, false
	for _, r := range c.Site.ScrubRules {
		keeps = keeps || strings.HasPrefix(r, "keep ")
		extra = extra || strings.HasPrefix(r, "scrub ")
	}
	for words, want := range map[string]bool{
		words(lang, "On the pages this site lists as such", "当サイトが指定したページ"): keeps,
		words(lang, "further parts", "更に別の部分"):                              extra,
	} {
		if strings.Contains(text, words) != want {
			t.Errorf("%q stated %v, want %v", words, !want, want)
		}
	}
}

// checkTruncation: the bits stated are the bits the truncation keeps.
func checkTruncation(t *testing.T, c NoticeConfig, lang, text string) {
	v4, v6 := orInt(c.IPv4Bits, 24), orInt(c.IPv6Bits, 48)
	mustContain(t, text, words(lang, fmt.Sprintf("first %d of its 32 bits", v4), fmt.Sprintf("先頭の %d ビット", v4)),
		words(lang, fmt.Sprintf("first %d of its 128 bits", v6), fmt.Sprintf("先頭の %d ビット", v6)))
	for _, tc := range []struct {
		addr string
		want int
	}{{"255.255.255.255", v4}, {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", v6}} {
		got := ipaddr.Truncate(netip.MustParseAddr(tc.addr), v4, v6).Addr().AsSlice()
		ones := 0
		for _, b := range got {
			ones += bits.OnesCount8(b)
		}
		if ones != tc.want {
			t.Errorf("%s truncated keeps %d bits, the notice says %d", tc.addr, ones, tc.want)
		}
	}
}

// checkNoCookies: no build of the snippet touches a cookie, and the only
// thing it stores is the opt-out item.
func checkNoCookies(t *testing.T, _ NoticeConfig, lang, text string) {
	mustContain(t, text, words(lang, "No cookie is set", "Cookie は使用せず"))
	for f := range tracker.Features(1 << 4) {
		js := string(tracker.Lookup(f).Raw)
		if strings.Contains(strings.ToLower(js), "cookie") || strings.Contains(js, "sessionStorage") || strings.Contains(js, "indexedDB") {
			t.Errorf("build %d touches cookies or other storage", f)
		}
		if n, m := strings.Count(js, "localStorage."), strings.Count(js, "localStorage."+OptOutItem); n != m || n == 0 {
			t.Errorf("build %d uses local storage for something besides %s (%d of %d)", f, OptOutItem, m, n)
		}
	}
}

// checkDailyKey: the same browser on the same network counts once a day,
// and again — as a new visitor — on another day.
func checkDailyKey(t *testing.T, _ NoticeConfig, lang, text string) {
	mustContain(t, text, words(lang, "replaced every day", "毎日取り替えて破棄"), words(lang, "new visitor", "新たな訪問者"))
	tr := visitor.New(visitor.DefaultConfig())
	s := &site.Site{Domain: "a.example", Location: time.UTC}
	ip := ipaddr.Truncate(netip.MustParseAddr("198.51.100.7"), 24, 48)
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	var rows []event.Row
	for _, d := range []time.Duration{0, time.Hour, 24 * time.Hour} {
		h := &visitor.Hit{Site: s, Time: at.Add(d), Kind: visitor.Pageview, Row: event.Row{Site: s.Domain, Path: "/"}}
		var err error
		if rows, err = tr.Track(h, ip, "UA", rows); err != nil {
			t.Fatal(err)
		}
	}
	var visitors int32
	for _, r := range rows {
		visitors += r.Visitors
	}
	if visitors != 2 {
		t.Errorf("three views on two days counted %d visitors, want 2", visitors)
	}
}

// checkLinkableRecords: one stored row holds the minute, the page, the
// visit's entry and source and the whole client and location tuple.
func checkLinkableRecords(t *testing.T, _ NoticeConfig, lang, text string) {
	mustContain(t, text, words(lang, "rare", "珍しい"), words(lang, "the operator of the server", "サーバの管理者"))
	for _, col := range []string{"path", "entry_path", "referrer_source", "country", "browser", "browser_version", "os_version", "device", "screen", "language"} {
		if !slices.Contains(event.StringColumns[:], col) {
			t.Errorf("the claim says a record keeps %s together with the rest; the row has no such column", col)
		}
	}
}

// checkRetention: the months stated are the site's, and the cut-off is
// that many calendar months back at the start of the day in its zone.
func checkRetention(t *testing.T, c NoticeConfig, lang, text string) {
	n := c.Site.Retention()
	mustContain(t, text, words(lang, fmt.Sprintf("deleted %d months", n), fmt.Sprintf("%d か月", n)))
	loc := c.Site.Location
	if loc == nil {
		loc = time.UTC
	}
	mustContain(t, text, loc.String())
	st := &site.Site{Domain: c.Site.Domain, Location: loc, RetentionMonths: c.Site.RetentionMonths}
	now := time.Date(2026, 7, 20, 15, 0, 0, 0, loc)
	if got, want := retention.Cutoff(st, now), time.Date(2026, 7-time.Month(n), 20, 0, 0, 0, 0, loc); !got.Equal(want) {
		t.Errorf("cut-off %v, want %v (%d months)", got, want, n)
	}
}

// checkLogAge: the age stated is the log's setting (or its default).
func checkLogAge(t *testing.T, c NoticeConfig, lang, text string) {
	age := c.LogMaxAge
	if age == 0 {
		age = wal.DefaultConfig().MaxSegmentAge
	}
	mustContain(t, text, durationWords(age, lang))
}

// checkArchivePruned: deleting a site's rows before a day removes the
// archived period that begins before it, even one that ends after.
func checkArchivePruned(t *testing.T, c NoticeConfig, lang, text string) {
	if !isPublic(c) {
		t.Error("claim made for a site that publishes nothing")
	}
	mustContain(t, text, words(lang, "deleted with the records of its first day", "最初の日の記録とともに削除"))
	dir := t.TempDir()
	a, err := opendata.OpenArchive(dir)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, c.Site.Domain, "week-2026-03-02.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeleteBefore(c.Site.Domain, disclosure.DayFromDate(2026, 3, 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the period beginning before the deleted day is still archived: %v", err)
	}
}

func rulesOf(t *testing.T, c NoticeConfig) disclosure.Rules {
	t.Helper()
	r, err := disclosure.RulesFor(c.Site.Publish)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func checkWhere(t *testing.T, c NoticeConfig, lang, text string) {
	if !isPublic(c) {
		t.Error("claim made for a site that publishes nothing")
	}
	mustContain(t, text, "JSON", "CSV")
	if c.PublicURL != "" {
		mustContain(t, text, strings.TrimRight(c.PublicURL, "/")+"/public/"+c.Site.Domain)
	}
}

func checkK(t *testing.T, c NoticeConfig, lang, text string) {
	k := rulesOf(t, c).K
	mustContain(t, text, words(lang, fmt.Sprintf("counts below %d are not shown", k), fmt.Sprintf("%d 未満", k)))
}

// checkPeople: exact publication only; one device on ten days is one
// person by the bound the publisher applies.
func checkPeople(t *testing.T, c NoticeConfig, lang, text string) {
	r := rulesOf(t, c)
	if r.Noisy() {
		t.Error("the people rule is claimed under noise, where it is not applied")
	}
	mustContain(t, text, words(lang, fmt.Sprintf("at least %d different people", r.K), fmt.Sprintf("少なくとも %d 人", r.K)))
	if p := disclosure.People([]int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 1); p != 1 || !r.FewPeople([]int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 1) {
		t.Errorf("one device on ten days: %d people", p)
	}
}

func checkRealtime(t *testing.T, c NoticeConfig, lang, text string) {
	r := rulesOf(t, c)
	if r.Noisy() {
		t.Error("realtime is claimed under noise, where it is withheld")
	}
	if collector.RealtimeWindow != RealtimeMinutes*time.Minute {
		t.Errorf("the notice says %d minutes, the collector counts %v", RealtimeMinutes, collector.RealtimeWindow)
	}
	mustContain(t, text, fmt.Sprint(RealtimeMinutes), fmt.Sprint(max(r.K, r.RoundTo)))
}

func checkRound(t *testing.T, c NoticeConfig, lang, text string) {
	r := rulesOf(t, c)
	if r.RoundTo <= 1 {
		t.Error("rounding claimed without rounding")
	}
	mustContain(t, text, words(lang, fmt.Sprintf("multiple of %d", r.RoundTo), fmt.Sprintf("%d 単位", r.RoundTo)))
}

// checkNoise: the ε stated is the rules', and the contribution bounds
// stated are those the collector enforces and the noise is calibrated to.
func checkNoise(t *testing.T, c NoticeConfig, lang, text string) {
	r := rulesOf(t, c)
	if !r.Noisy() {
		t.Fatal("noise claimed without noise")
	}
	mustContain(t, text, "ε = "+r.EpsilonString(), fmt.Sprint(event.MaxPublicPages), fmt.Sprint(event.MaxPublicSources))
	for _, rel := range opendata.Releases() {
		want := map[string]int64{"pages": event.MaxPublicPages, "sources": event.MaxPublicSources}[rel.Name]
		if want == 0 {
			want = 1
		}
		if rel.Sensitivity != want {
			t.Errorf("release %s assumes %d per visitor-day, the notice says %d", rel.Name, rel.Sensitivity, want)
		}
	}
}

func checkGPC(t *testing.T, c NoticeConfig, lang, text string) {
	if !c.Site.RespectGPC {
		t.Error("GPC claimed for a site that does not honour it")
	}
	mustContain(t, text, words(lang, "Global Privacy Control", "GPC"))
	js := string(tracker.Lookup(0).Raw)
	mustContain(t, js, "globalPrivacyControl", "doNotTrack")
}

func checkOptOut(t *testing.T, _ NoticeConfig, lang, text string) {
	mustContain(t, text, OptOutItem, "#shukei-optout", "#shukei-optin")
	js := string(tracker.Lookup(0).Raw)
	mustContain(t, js, "localStorage."+OptOutItem, `"optout"`, `"optin"`, "#shukei-")
}
