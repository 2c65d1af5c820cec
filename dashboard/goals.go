package dashboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/shukei-analytics/shukei/dashboard/admin"
	"github.com/shukei-analytics/shukei/site"
)

// A site's goals are those of its -goal flags (kept in the registry from
// start-up, shown but not deletable here) followed by the goals added in
// the dashboard or through /api/v1/sites/goals (stored in the admin
// database, ids are numbers).

// flagGoalPrefix starts the id of a goal set by a -goal flag.
const flagGoalPrefix = "flag-"

// errGoalFromFlag refuses to delete a goal a -goal flag sets.
var errGoalFromFlag = errors.New("the goal is set by a -goal flag of the server; remove it there")

// loadGoals appends each site's stored goals to its flag goals.
func loadGoals(ctx context.Context, store *admin.Store, reg *site.Registry, log *slog.Logger) error {
	recs, err := store.Goals(ctx)
	if err != nil {
		return err
	}
	bySite := map[string][]site.Goal{}
	for _, r := range recs {
		bySite[r.Domain] = append(bySite[r.Domain], goalFromRecord(r))
	}
	for domain, stored := range bySite {
		s, ok := reg.Lookup(domain)
		if !ok {
			continue
		}
		c := *s
		c.Goals = append(flagGoals(s.Goals), stored...)
		if err := site.ValidateGoals(c.Goals); err != nil {
			// A stored goal that a -goal flag now duplicates: the flag's wins.
			log.Warn("dashboard: stored goals not all loaded", "site", domain, "err", err)
			c.Goals = flagGoals(s.Goals)
			for _, g := range stored {
				if site.ValidateGoals(append(slices.Clone(c.Goals), g)) == nil {
					c.Goals = append(c.Goals, g)
				}
			}
		}
		reg.Put(&c)
	}
	return nil
}

func goalFromRecord(r admin.GoalRecord) site.Goal {
	return site.Goal{ID: strconv.FormatInt(r.ID, 10), EventName: r.EventName, PagePath: r.PagePath, DisplayName: r.DisplayName}
}

func flagGoals(goals []site.Goal) []site.Goal {
	var out []site.Goal
	for _, g := range goals {
		if strings.HasPrefix(g.ID, flagGoalPrefix) {
			out = append(out, g)
		}
	}
	return out
}

// findGoal returns the site's goal of the same kind and event or path, as
// Plausible's find-or-create does.
func findGoal(goals []site.Goal, g site.Goal) (site.Goal, bool) {
	for _, x := range goals {
		if x.EventName == g.EventName && x.PagePath == g.PagePath {
			return x, true
		}
	}
	return site.Goal{}, false
}

// addGoal adds a goal to a site unless it has one for the same event or
// path, which it returns instead (created false). A goal the site's goals
// would not accept (a duplicate name, too many) is the caller's mistake:
// the error wraps errBadGoal.
func (u *ui) addGoal(ctx context.Context, domain string, g site.Goal) (site.Goal, bool, error) {
	u.goalsMu.Lock()
	defer u.goalsMu.Unlock()
	s, ok := u.sites.Lookup(domain)
	if !ok {
		return site.Goal{}, false, errNoSite
	}
	g = g.Normalize()
	if err := g.Validate(); err != nil {
		return site.Goal{}, false, fmt.Errorf("%w: %v", errBadGoal, err)
	}
	if old, ok := findGoal(s.Goals, g); ok {
		return old, false, nil
	}
	if g.DisplayName == "" {
		g.DisplayName = g.Name()
	}
	if err := site.ValidateGoals(append(slices.Clone(s.Goals), g)); err != nil {
		return site.Goal{}, false, fmt.Errorf("%w: %v", errBadGoal, err)
	}
	id, err := u.store.CreateGoal(ctx, &admin.GoalRecord{Domain: domain, EventName: g.EventName, PagePath: g.PagePath,
		DisplayName: g.DisplayName, CreatedAt: u.now()})
	if errors.Is(err, admin.ErrExists) {
		return site.Goal{}, false, fmt.Errorf("%w: a goal is already named %q", errBadGoal, g.DisplayName)
	}
	if err != nil {
		return site.Goal{}, false, err
	}
	g.ID = strconv.FormatInt(id, 10)
	c := *s
	c.Goals = append(slices.Clone(s.Goals), g)
	u.sites.Put(&c)
	u.log.Info("dashboard: goal added", "site", domain, "goal", g.Name())
	return g, true, nil
}

// deleteGoal removes a stored goal of a site.
func (u *ui) deleteGoal(ctx context.Context, domain, id string) error {
	u.goalsMu.Lock()
	defer u.goalsMu.Unlock()
	s, ok := u.sites.Lookup(domain)
	if !ok {
		return errNoSite
	}
	i := slices.IndexFunc(s.Goals, func(g site.Goal) bool { return g.ID == id })
	switch {
	case i < 0:
		return admin.ErrNotFound
	case strings.HasPrefix(id, flagGoalPrefix):
		return errGoalFromFlag
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return admin.ErrNotFound
	}
	if err := u.store.DeleteGoal(ctx, domain, n); err != nil {
		return err
	}
	c := *s
	c.Goals = slices.Delete(slices.Clone(s.Goals), i, i+1)
	u.sites.Put(&c)
	u.log.Info("dashboard: goal deleted", "site", domain, "goal", s.Goals[i].Name())
	return nil
}

// Errors of goal changes.
var (
	errNoSite  = errors.New("no such site")
	errBadGoal = errors.New("invalid goal")
)

// goalView is a goal as the settings page lists it.
type goalView struct {
	ID, Name, Kind, Target string
	FromFlag               bool
}

func goalViews(goals []site.Goal) []goalView {
	out := make([]goalView, len(goals))
	for i, g := range goals {
		out[i] = goalView{ID: g.ID, Name: g.Name(), Kind: g.Kind(), Target: g.EventName + g.PagePath,
			FromFlag: strings.HasPrefix(g.ID, flagGoalPrefix)}
	}
	return out
}
