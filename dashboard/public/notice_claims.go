package public

import (
	"bytes"
	"fmt"
	"strings"
)

// The notice is a list of claims. Each claim is one statement about what
// Shukei does under the configuration (NoticeConfig); its words in each
// language are the template of the same name in notices/notice.<lang>.md,
// and notice_claims_test.go checks every claim that can appear against
// the configuration and against the code that makes it true. To say
// something new — a kept property, an ageing policy — add a claim here,
// its words in both languages, and its check: the test fails for a claim
// without one.

// Claim is one statement of a notice.
type Claim struct {
	// ID names the claim and its templates ("ip.truncate").
	ID string
	// Section is the ID of the section it belongs to.
	Section string
	// Text is the claim in the notice's language, in Markdown.
	Text string
	// Item makes the claim an entry of its section's list.
	Item bool
}

// claimDef places a claim in the notice and says when it applies.
type claimDef struct {
	id   string
	item bool
	when func(v *noticeView) bool
}

// sectionDef is a section: its title is the template "title.<id>" (none
// for the introduction).
type sectionDef struct {
	id     string
	claims []claimDef
}

func always(*noticeView) bool { return true }

// noticeSections is the notice, in order.
var noticeSections = []sectionDef{
	{id: "intro", claims: []claimDef{{id: "intro.tool", when: always}}},
	{id: "recorded", claims: []claimDef{
		{id: "recorded.sent", when: always},
		{id: "recorded.page", item: true, when: always},
		{id: "recorded.visit", item: true, when: always},
		{id: "recorded.location", item: true, when: always},
		{id: "recorded.client", item: true, when: always},
		{id: "recorded.time", item: true, when: always},
		{id: "recorded.events", item: true, when: always},
		{id: "recorded.scrub", when: always},
	}},
	{id: "ip", claims: []claimDef{{id: "ip.truncate", when: always}}},
	{id: "identifiers", claims: []claimDef{
		{id: "identifiers.cookies", when: always},
		{id: "identifiers.daily", when: always},
	}},
	{id: "linkable", claims: []claimDef{
		{id: "linkable.records", when: always},
		{id: "linkable.logs", when: always},
	}},
	{id: "retention", claims: []claimDef{
		{id: "retention.ageing", when: always},
		{id: "retention.records", when: always},
		{id: "retention.log", when: always},
		{id: "retention.published", when: func(v *noticeView) bool { return v.Public }},
	}},
	{id: "publication", claims: []claimDef{
		{id: "publication.none", when: func(v *noticeView) bool { return !v.Public }},
		{id: "publication.where", when: func(v *noticeView) bool { return v.Public }},
		{id: "publication.k", item: true, when: func(v *noticeView) bool { return v.Public }},
		{id: "publication.people", item: true, when: func(v *noticeView) bool { return v.Public && v.Epsilon == "" }},
		{id: "publication.other", item: true, when: func(v *noticeView) bool { return v.Public }},
		{id: "publication.periods", item: true, when: func(v *noticeView) bool { return v.Public }},
		{id: "publication.realtime", item: true, when: func(v *noticeView) bool { return v.Public && v.Epsilon == "" }},
		{id: "publication.round", item: true, when: func(v *noticeView) bool { return v.Public && v.RoundTo > 1 }},
		{id: "publication.noise", item: true, when: func(v *noticeView) bool { return v.Public && v.Epsilon != "" }},
		{id: "publication.exact", item: true, when: func(v *noticeView) bool { return v.Public && v.Epsilon == "" }},
	}},
	{id: "optout", claims: []claimDef{
		{id: "optout.gpc", when: func(v *noticeView) bool { return v.RespectGPC }},
		{id: "optout.link", when: always},
	}},
}

// claims renders the claims that apply to v in lang.
func claims(v *noticeView, lang string) ([]Claim, error) {
	var out []Claim
	for _, s := range noticeSections {
		for _, d := range s.claims {
			if !d.when(v) {
				continue
			}
			text, err := execNotice(lang, d.id, v)
			if err != nil {
				return nil, err
			}
			out = append(out, Claim{ID: d.id, Section: s.id, Text: text, Item: d.item})
		}
	}
	return out, nil
}

// execNotice runs one named template of a language's notice.
func execNotice(lang, name string, v *noticeView) (string, error) {
	var b bytes.Buffer
	if err := notices.ExecuteTemplate(&b, lang+"/"+name, v); err != nil {
		return "", fmt.Errorf("notice: %w", err)
	}
	return strings.TrimSpace(b.String()), nil
}

// renderNotice writes the claims as the notice's Markdown: a heading per
// section, paragraphs, and list entries for the claims that are items.
func renderNotice(cs []Claim, v *noticeView, lang string) (string, error) {
	var b strings.Builder
	title, err := execNotice(lang, "title", v)
	if err != nil {
		return "", err
	}
	b.WriteString("## " + title + "\n")
	section, inList := "", false
	for _, c := range cs {
		if c.Section != section {
			section = c.Section
			if section != "intro" {
				t, err := execNotice(lang, "title."+section, v)
				if err != nil {
					return "", err
				}
				b.WriteString("\n### " + t + "\n")
			}
			inList = false
		}
		switch {
		case c.Item:
			if !inList {
				b.WriteString("\n")
			}
			b.WriteString("- " + c.Text + "\n")
			inList = true
		default:
			b.WriteString("\n" + c.Text + "\n")
			inList = false
		}
	}
	return b.String(), nil
}
