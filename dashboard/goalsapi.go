package dashboard

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/internal/httpbody"
	"github.com/shukei-analytics/shukei/route"
	"github.com/shukei-analytics/shukei/site"
)

// goalsAPI serves Plausible's Sites API goal endpoints, authorised like the
// Stats API (statsAuth): reading a site's goals needs a role on the site,
// adding and deleting them the admin role (or the start-up token).
//
//	GET    /api/v1/sites/goals?site_id=example.org
//	PUT    /api/v1/sites/goals            site_id, goal_type, event_name | page_path, display_name
//	DELETE /api/v1/sites/goals/:goal_id   site_id
//
// Bodies are form fields (as curl -F or -d sends them) or a JSON object.
type goalsAPI struct {
	ui   *ui
	auth *statsAuth
}

// maxGoalBody bounds a goal request's body.
const maxGoalBody = 8 << 10

// goalJSON is a goal in the API's shape.
type goalJSON struct {
	ID          string  `json:"id"`
	GoalType    string  `json:"goal_type"`
	DisplayName string  `json:"display_name"`
	EventName   *string `json:"event_name"`
	PagePath    *string `json:"page_path"`
}

func toGoalJSON(g site.Goal) goalJSON {
	out := goalJSON{ID: g.ID, GoalType: g.Kind(), DisplayName: g.Name()}
	if g.IsPage() {
		out.PagePath = &g.PagePath
	} else {
		out.EventName = &g.EventName
	}
	return out
}

// goalParams are a request's parameters, from the form or a JSON body.
type goalParams struct {
	SiteID      string `json:"site_id"`
	GoalType    string `json:"goal_type"`
	EventName   string `json:"event_name"`
	PagePath    string `json:"page_path"`
	DisplayName string `json:"display_name"`
}

func readGoalParams(c *fiber.Ctx) (goalParams, error) {
	var p goalParams
	// The bounded reader, never fiber's Ctx.Body() (which would inflate a
	// compressed body without limit): at most 8 KiB, no Content-Encoding.
	body, err := httpbody.Read(c, httpbody.Limits{MaxBytes: maxGoalBody})
	if err != nil {
		return p, errors.New("the body is larger than 8 KiB or compressed")
	}
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		if err := json.Unmarshal(body, &p); err != nil {
			return p, errors.New("the body is not a JSON object of strings (site_id, goal_type, event_name, page_path, display_name)")
		}
		return p, nil
	}
	// Strings of a request are views into its buffer: copy what outlives it.
	p = goalParams{SiteID: strings.Clone(c.FormValue("site_id")), GoalType: strings.Clone(c.FormValue("goal_type")),
		EventName: strings.Clone(c.FormValue("event_name")), PagePath: strings.Clone(c.FormValue("page_path")),
		DisplayName: strings.Clone(c.FormValue("display_name"))}
	if p.SiteID == "" {
		p.SiteID = strings.Clone(c.Query("site_id"))
	}
	return p, nil
}

// authorize authenticates the request and checks its access to the site:
// admin is needed to change goals. It has answered when ok is false.
func (g *goalsAPI) authorize(c *fiber.Ctx, domain string, change bool) (bool, error) {
	grant, err := g.auth.Authenticate(c)
	if err != nil {
		return false, err
	}
	if grant == nil {
		return false, apiFail(c, fiber.StatusUnauthorized, "missing or invalid API token: send Authorization: Bearer <token>")
	}
	if domain == "" {
		return false, apiFail(c, fiber.StatusBadRequest, "site_id: required")
	}
	ok, err := grant.Allows(c, domain)
	if err == nil && ok && change {
		ok, err = g.manages(c, grant, domain)
	}
	if err != nil {
		return false, err
	}
	if _, known := g.ui.sites.Lookup(domain); !ok || !known {
		return false, apiFail(c, fiber.StatusUnauthorized, "Invalid API key or site ID. Please make sure you're using a valid API key with access to the site you've requested.")
	}
	return true, nil
}

// manages reports whether a grant may change a site's goals: the start-up
// token may; a user's token or session needs the admin role.
func (g *goalsAPI) manages(c *fiber.Ctx, grant route.Grant, domain string) (bool, error) {
	ug, ok := grant.(*userGrant)
	if !ok {
		return true, nil // route.AllSites: the start-up token
	}
	role, err := g.ui.roleOn(c, ug.auth, domain)
	return role >= admin.RoleAdmin, err
}

func (g *goalsAPI) list(c *fiber.Ctx) error {
	domain := strings.Clone(c.Query("site_id"))
	if ok, err := g.authorize(c, domain, false); !ok || err != nil {
		return err
	}
	s, _ := g.ui.sites.Lookup(domain)
	goals := make([]goalJSON, len(s.Goals))
	for i, x := range s.Goals {
		goals[i] = toGoalJSON(x)
	}
	return c.JSON(fiber.Map{"goals": goals, "meta": fiber.Map{"after": nil, "before": nil, "limit": site.MaxGoals}})
}

// put finds or creates a goal (Plausible's PUT is idempotent).
func (g *goalsAPI) put(c *fiber.Ctx) error {
	p, err := readGoalParams(c)
	if err != nil {
		return apiFail(c, fiber.StatusBadRequest, err.Error())
	}
	if ok, err := g.authorize(c, p.SiteID, true); !ok || err != nil {
		return err
	}
	goal := site.Goal{DisplayName: p.DisplayName}
	switch p.GoalType {
	case "event":
		goal.EventName = p.EventName
	case "page":
		goal.PagePath = p.PagePath
	default:
		return apiFail(c, fiber.StatusBadRequest, "goal_type: must be \"event\" or \"page\"")
	}
	saved, _, err := g.ui.addGoal(c.UserContext(), p.SiteID, goal)
	switch {
	case errors.Is(err, errBadGoal):
		return apiFail(c, fiber.StatusBadRequest, strings.TrimPrefix(err.Error(), errBadGoal.Error()+": "))
	case err != nil:
		return err
	}
	out := toGoalJSON(saved)
	return c.JSON(fiber.Map{"domain": p.SiteID, "id": out.ID, "display_name": out.DisplayName, "goal_type": out.GoalType,
		"event_name": out.EventName, "page_path": out.PagePath})
}

func (g *goalsAPI) delete(c *fiber.Ctx) error {
	p, err := readGoalParams(c)
	if err != nil {
		return apiFail(c, fiber.StatusBadRequest, err.Error())
	}
	if ok, err := g.authorize(c, p.SiteID, true); !ok || err != nil {
		return err
	}
	err = g.ui.deleteGoal(c.UserContext(), p.SiteID, strings.Clone(c.Params("goal_id")))
	switch {
	case errors.Is(err, admin.ErrNotFound):
		return apiFail(c, fiber.StatusNotFound, "goal not found")
	case errors.Is(err, errGoalFromFlag):
		return apiFail(c, fiber.StatusConflict, errGoalFromFlag.Error())
	case err != nil:
		return err
	}
	return c.JSON(fiber.Map{"deleted": "true"})
}

// apiFail answers an API error as {"error": message}.
func apiFail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}
