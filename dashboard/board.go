package dashboard

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/site"
)

// boardConfig is what the dashboard's script needs, given in the page (a
// JSON data block, which the CSP allows as it is not executed) so the
// first queries go out without another round trip.
type boardConfig struct {
	Site     string `json:"site"`
	TimeZone string `json:"timeZone"`
	// Today and Now are in the site's time zone, from the server's clock:
	// date ranges and comparisons are computed from them.
	Today string `json:"today"`
	Now   string `json:"now"`
	Lang  string `json:"lang"`
	// Refused lists, per dimension, the metrics the Stats API refuses with
	// it (shown as "—" with an explanation).
	Refused  map[string][]string `json:"refused"`
	Messages json.RawMessage     `json:"messages"`
	// Props are the custom property keys the site keeps (besides the url
	// of downloads and outbound links): each gets a tab.
	Props []string `json:"props"`
	// Cities adds the City tab: the server resolves cities (-geoip-city).
	Cities bool `json:"cities"`
	// Share is the secret of the shared link the page was opened with:
	// the page's Stats API requests carry it.
	Share string `json:"share,omitempty"`
}

type boardPage struct {
	Domain    string
	Role      admin.Role
	Sites     []siteItem
	Config    boardConfig
	ShowAdmin bool
	// Public: the site publishes statistics; the board links the page.
	Public bool
	// Snippet is the tag to paste, shown while the site has no data.
	Snippet string
	// Shared: opened through a shared link (read-only, no account).
	Shared bool
}

func (u *ui) boardPage(c *fiber.Ctx) error {
	a, err := u.requestAuth(c)
	if err != nil {
		return err
	}
	s, ok := u.sites.Lookup(c.Params("domain"))
	if !ok {
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	}
	role, err := u.roleOn(c, a, s.Domain)
	if err != nil {
		return err
	}
	sites, err := u.visibleSites(c, a)
	if err != nil {
		return err
	}
	p := u.board(c, s, role, sites)
	return u.render(c, fiber.StatusOK, "board", &view{Title: "board.title", Nav: "sites", Page: p})
}

// board is the statistics page of s for a reader with role, who may
// switch to sites.
func (u *ui) board(c *fiber.Ctx, s *site.Site, role admin.Role, sites []siteItem) boardPage {
	now := u.now().In(s.Location)
	lang := u.lang(c)
	p := boardPage{
		Domain: s.Domain, Role: role, Sites: sites, ShowAdmin: role >= admin.RoleAdmin, Public: s.Publish.Public,
		Snippet: u.siteSnippets(c, s).Script,
		Config: boardConfig{
			Site: s.Domain, TimeZone: s.Location.String(), Today: now.Format(time.DateOnly),
			Now: now.Format(time.RFC3339), Lang: lang, Refused: u.refused, Messages: u.catalogs[lang].JSON(),
			Props: slices.Clone(s.PropKeys), Cities: u.cfg.Notice.Geo == public.GeoCity,
		},
	}
	return p
}
