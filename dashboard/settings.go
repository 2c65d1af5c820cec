package dashboard

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
	"github.com/shukei-analytics/shukei/urlscrub"
)

// settingsForm is a site's editable settings as the form holds them.
type settingsForm struct {
	TimeZone         string
	AllowedHostnames string // one per line
	RespectGPC       bool
	Public           bool
	MinCellSize      int
	Epsilon          string
	RoundTo          int
	RetentionMonths  int
	ScrubRules       string // one per line
	PropKeys         string // one per line
}

type settingsPage struct {
	Domain   string
	FromFlag bool
	// ZoneFixed: the -site flag gave the time zone.
	ZoneFixed bool
	Role      admin.Role
	Form      settingsForm
	Snippets  snippets
	Members   []admin.Member
	Users     []*admin.User // candidates for a role (owners only)
	Scrub     scrubView
	Goals     []goalView
	// Published: the site is public now (as saved, not as a form being
	// corrected), so the page links its public page and files.
	Published bool
	// SharedLinks are the site's shared links; NewShare the address of
	// the one just created, shown once.
	SharedLinks []sharedLinkView
	NewShare    string
}

// Limits of the settings.
const (
	maxHostnames     = 50
	maxRetentionMons = 120
	// maxScrubRulesText bounds the rules field before it is parsed.
	maxScrubRulesText = urlscrub.MaxRules * (urlscrub.MaxRuleLen + 2)
)

func formFromSite(s *site.Site) settingsForm {
	return settingsForm{
		TimeZone: s.Location.String(), AllowedHostnames: strings.Join(s.AllowedHostnames, "\n"),
		RespectGPC: s.RespectGPC, Public: s.Publish.Public, MinCellSize: s.Publish.MinCellSize,
		Epsilon: strconv.FormatFloat(s.Publish.Epsilon, 'f', -1, 64), RoundTo: s.Publish.RoundTo,
		RetentionMonths: s.RetentionMonths, ScrubRules: strings.Join(s.ScrubRules, "\n"),
		PropKeys: strings.Join(s.PropKeys, "\n"),
	}
}

func (u *ui) settingsPage(c *fiber.Ctx) error {
	return u.renderSettings(c, fiber.StatusOK, "", nil)
}

// renderSettings shows the settings page; form is nil to show the stored
// settings, or the submitted values to show them again with an error.
func (u *ui) renderSettings(c *fiber.Ctx, status int, errMsg string, form *settingsForm) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	domain := c.Params("domain")
	s, ok := u.sites.Lookup(domain)
	if !ok {
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	}
	role, err := u.roleOn(c, a, domain)
	if err != nil {
		return err
	}
	p := settingsPage{Domain: s.Domain, FromFlag: u.flagSites[s.Domain], ZoneFixed: u.fixedZones[s.Domain], Role: role, Form: formFromSite(s), Snippets: u.siteSnippets(c, s),
		Scrub: u.scrubTable(s.Domain), Goals: goalViews(s.Goals), Published: s.Publish.Public}
	if form != nil {
		p.Form = *form
	}
	if p.SharedLinks, err = u.sharedLinkViews(c, s.Domain); err != nil {
		return err
	}
	p.NewShare, _ = c.Locals(localsNewShare).(string)
	if role == admin.RoleOwner {
		ctx := c.UserContext()
		if p.Members, err = u.store.Members(ctx, s.Domain); err != nil {
			return err
		}
		if p.Users, err = u.store.Users(ctx); err != nil {
			return err
		}
	}
	return u.render(c, status, "settings", &view{Title: "settings.title", Nav: "sites", Error: errMsg, Page: p})
}

// settingsSubmit validates and applies the settings: the registry changes
// at once (the collector reads it on every hit) and the record is stored.
func (u *ui) settingsSubmit(c *fiber.Ctx) error {
	domain := strings.Clone(c.Params("domain"))
	old, ok := u.sites.Lookup(domain)
	if !ok {
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	}
	form := readSettingsForm(c)
	s, key := u.applySettings(old, &form)
	if key != "" {
		msg := u.catalog(c).T(key)
		if key == "site.invalid_scrub_rules" {
			if _, err := parseScrubRules(form.ScrubRules); err != nil {
				msg += " " + err.Error()
			}
		}
		if key == "site.invalid_prop_keys" {
			if _, err := parsePropKeys(form.PropKeys); err != nil {
				msg += " " + err.Error()
			}
		}
		return u.renderSettings(c, fiber.StatusUnprocessableEntity, msg, &form)
	}
	origin := admin.OriginUI
	if u.flagSites[domain] {
		origin = admin.OriginFlag
	}
	if err := u.store.PutSite(c.UserContext(), recordFromSite(s, origin, u.now())); err != nil {
		return err
	}
	u.sites.Put(s)
	u.log.Info("dashboard: site settings changed", "site", domain)
	return c.Redirect("/sites/"+domain+"/settings?notice=notice.settings_saved", fiber.StatusSeeOther)
}

func readSettingsForm(c *fiber.Ctx) settingsForm {
	atoi := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(c.FormValue(name)))
		if err != nil {
			return -1
		}
		return n
	}
	return settingsForm{
		// Copies: host names, the zone name and the rules end up in the
		// live site registry, and form values are views into a request
		// buffer the next request overwrites.
		TimeZone: strings.Clone(c.FormValue("timezone")), AllowedHostnames: strings.Clone(c.FormValue("allowed_hostnames")),
		RespectGPC: c.FormValue("respect_gpc") == "on", Public: c.FormValue("public") == "on",
		MinCellSize: atoi("min_cell_size"), Epsilon: strings.TrimSpace(c.FormValue("epsilon")),
		RoundTo: atoi("round_to"), RetentionMonths: atoi("retention_months"),
		ScrubRules: strings.Clone(c.FormValue("scrub_rules")), PropKeys: strings.Clone(c.FormValue("prop_keys")),
	}
}

// applySettings returns old with the form applied, or the catalog key of
// the first problem.
func (u *ui) applySettings(old *site.Site, f *settingsForm) (*site.Site, string) {
	s := &site.Site{Domain: old.Domain, Location: old.Location, RespectGPC: f.RespectGPC, RetentionMonths: f.RetentionMonths,
		Goals: old.Goals} // goals change on their own form
	if !u.fixedZones[old.Domain] {
		loc, err := loadZone(f.TimeZone)
		if err != nil {
			return nil, "site.invalid_timezone"
		}
		s.Location = loc
	}
	hosts, err := parseHostnames(f.AllowedHostnames)
	if err != nil {
		return nil, "site.invalid_hostnames"
	}
	s.AllowedHostnames = hosts
	if f.RetentionMonths < 0 || f.RetentionMonths > maxRetentionMons {
		return nil, "site.invalid_retention"
	}
	if len(f.ScrubRules) > maxScrubRulesText {
		return nil, "site.invalid_scrub_rules"
	}
	rules, err := parseScrubRules(f.ScrubRules)
	if err != nil {
		return nil, "site.invalid_scrub_rules"
	}
	s.ScrubRules = rules
	keys, err := parsePropKeys(f.PropKeys)
	if err != nil {
		return nil, "site.invalid_prop_keys"
	}
	s.PropKeys = keys
	pub, msg := parsePublishing(f)
	if msg != "" {
		return nil, msg
	}
	s.Publish = pub
	return s, ""
}

// parsePropKeys reads the kept property keys, one per line (commas
// separate them too), bounded before it is split.
func parsePropKeys(text string) ([]string, error) {
	if len(text) > site.MaxPropKeys*(site.MaxPropKeyLen+2)*2 {
		return nil, fmt.Errorf("at most %d keys", site.MaxPropKeys)
	}
	return site.ParsePropKeys(strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }))
}

// parsePublishing checks the disclosure settings with the aggregator's own
// rules (disclosure.RulesFor), so that the form cannot save a k, ε or
// rounding that the public side would then refuse to publish with.
func parsePublishing(f *settingsForm) (site.Publishing, string) {
	p := site.Publishing{Public: f.Public, MinCellSize: f.MinCellSize, RoundTo: f.RoundTo}
	if f.MinCellSize != 0 && (f.MinCellSize < disclosure.MinK || f.MinCellSize > disclosure.MaxK) {
		return p, "site.invalid_min_cell"
	}
	if f.RoundTo != 0 && f.RoundTo != 1 && f.RoundTo != 5 && f.RoundTo != 10 {
		return p, "site.invalid_round"
	}
	// "0" (or empty) means no noise, as the form's help says.
	noNoise := f.Epsilon == "" || (strings.Trim(f.Epsilon, "0.") == "" && strings.Contains(f.Epsilon, "0"))
	if !noNoise {
		eps, err := disclosure.ParseEpsilon(f.Epsilon)
		if err != nil {
			return p, "site.invalid_epsilon"
		}
		p.Epsilon, _ = eps.Float64()
	}
	if _, err := disclosure.RulesFor(p); err != nil {
		return p, "site.invalid_epsilon"
	}
	return p, ""
}

// parseHostnames reads one host name per line (or comma-separated).
func parseHostnames(text string) ([]string, error) {
	var out []string
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ' ' }) {
		h := strings.ToLower(strings.TrimSuffix(line, "."))
		if err := validDomain(h); err != nil {
			return nil, err
		}
		out = append(out, h)
		if len(out) > maxHostnames {
			return nil, fmt.Errorf("more than %d host names", maxHostnames)
		}
	}
	if len(text) > 0 && out == nil && strings.TrimSpace(text) != "" {
		return nil, errors.New("no host name")
	}
	return out, nil
}
