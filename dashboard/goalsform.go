package dashboard

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
)

// goalSubmit adds a goal from the settings page's form.
func (u *ui) goalSubmit(c *fiber.Ctx) error {
	domain := strings.Clone(c.Params("domain"))
	g := site.Goal{DisplayName: c.FormValue("display_name")}
	switch c.FormValue("goal_type") {
	case "event":
		g.EventName = c.FormValue("event_name")
	case "page":
		g.PagePath = c.FormValue("page_path")
	}
	g.EventName, g.PagePath, g.DisplayName = strings.Clone(g.EventName), strings.Clone(g.PagePath), strings.Clone(g.DisplayName)
	_, created, err := u.addGoal(c.UserContext(), domain, g)
	switch {
	case errors.Is(err, errNoSite):
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	case errors.Is(err, errBadGoal):
		return u.renderSettings(c, fiber.StatusUnprocessableEntity, u.catalog(c).T("goals.invalid")+" "+strings.TrimPrefix(err.Error(), errBadGoal.Error()+": "), nil)
	case err != nil:
		return err
	}
	notice := "notice.goal_added"
	if !created {
		notice = "notice.goal_exists"
	}
	return c.Redirect("/sites/"+domain+"/settings?notice="+notice+"#goals", fiber.StatusSeeOther)
}

// goalDelete removes a goal added in the dashboard or through the API.
func (u *ui) goalDelete(c *fiber.Ctx) error {
	domain := strings.Clone(c.Params("domain"))
	err := u.deleteGoal(c.UserContext(), domain, c.Params("id"))
	switch {
	case errors.Is(err, errNoSite), errors.Is(err, admin.ErrNotFound):
		return u.fail(c, fiber.StatusNotFound, "error.not_found")
	case errors.Is(err, errGoalFromFlag):
		return u.renderSettings(c, fiber.StatusConflict, u.catalog(c).T("goals.from_flag"), nil)
	case err != nil:
		return err
	}
	return c.Redirect("/sites/"+domain+"/settings?notice=notice.goal_deleted#goals", fiber.StatusSeeOther)
}
