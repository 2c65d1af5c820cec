package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/dashboard/public"
	"github.com/shukei-analytics/shukei/site"
)

// publishRequest asks a running server for a site's files.
type publishRequest struct {
	Sites []string `json:"sites"`
	AsOf  string   `json:"as_of,omitempty"`
}

// publishedSite is one site's files for static hosting: the open-data
// reports and the public page.
type publishedSite struct {
	Site  string `json:"site"`
	Week  string `json:"week"`
	Block string `json:"block"`
	// Through is the last day of the daily totals and BlockLast the last
	// of the 28 days (Block the first).
	Through   string            `json:"through"`
	BlockLast string            `json:"block_last"`
	Files     map[string][]byte `json:"files"`
}

// runPublish writes the open-data files and the public page of the -site
// sites into a directory for static hosting. While a server runs on -data
// it asks the server, which computes them with each site's configured time
// zone and rules; otherwise it opens the store itself. Either way it
// freezes periods in the same archive under -data as the server, so the
// files hold the very numbers (and noise) the server publishes. Naming a
// site here is its opt-in: its rules are the server's, the dashboard's or
// the flags'.
func runPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	var out, asOf string
	fset := commandFlags("publish", &cfg, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "`directory` to write the report files and the public page to (one subdirectory per site when several are given)")
		fs.StringVar(&asOf, "as-of", "", "write the reports that were current on this `date` (YYYY-MM-DD; default today)")
	})
	if err := parseFlags(fset, args, stderr); err != nil {
		return err
	}
	if out == "" || len(cfg.sites) == 0 {
		return errors.New("-site and -out are required, e.g. shukei publish -site example.org -data ./data -out ./public-data")
	}
	if _, err := disclosure.ParseDay(asOf); asOf != "" && err != nil {
		return fmt.Errorf("-as-of: %q is not a date written YYYY-MM-DD", asOf)
	}
	req := publishRequest{AsOf: asOf}
	for _, v := range cfg.sites {
		s, err := site.Parse(v, time.UTC)
		if err != nil {
			return fmt.Errorf("-site: %w", err)
		}
		req.Sites = append(req.Sites, s.Domain)
	}
	var sets []publishedSite
	err := viaServer(ctx, cfg.store.data, "publish", req, &sets)
	if errors.Is(err, errNoServer) {
		sets, err = publishOffline(ctx, &cfg, req, stderr)
	}
	if err != nil {
		return err
	}
	for _, s := range sets {
		dir := out
		if len(sets) > 1 {
			dir = filepath.Join(out, s.Site) // domains are validated host names
		}
		if err := opendata.WriteDir(dir, s.Files); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: daily totals up to %s, and the lists of the 28 days %s to %s and of their last week, and the public page, written to %s\n",
			s.Site, s.Through, s.Block, s.BlockLast, dir)
	}
	return nil
}

// asOfInstant is the instant `publish -as-of` publishes as of: noon UTC
// of the date (in every time zone well after the hour a period takes to
// settle), never later than now, so no period is frozen before it has
// ended. A date that has not begun yet in a site's time zone is refused.
func asOfInstant(asOf string, now time.Time, sites []*site.Site) (time.Time, error) {
	if asOf == "" {
		return now, nil
	}
	day, err := disclosure.ParseDay(asOf)
	if err != nil {
		return time.Time{}, fmt.Errorf("-as-of: %q is not a date written YYYY-MM-DD", asOf)
	}
	for _, s := range sites {
		if today := disclosure.DayOf(now, s.Location); day > today {
			return time.Time{}, fmt.Errorf("-as-of: %s has not come yet in %s's time zone %s (today is %s there): its periods have not ended", day, s.Domain, s.Location, today)
		}
	}
	if noon := day.Start(time.UTC).Add(12 * time.Hour); noon.Before(now) {
		return noon, nil
	}
	return now, nil
}

// publishOffline opens the store and the sites' settings itself (no server
// runs on -data).
func publishOffline(ctx context.Context, cfg *serveConfig, req publishRequest, stderr io.Writer) ([]publishedSite, error) {
	// Naming a site to publish is its opt-in; the flags' rules apply.
	cfg.publishing.public = append(cfg.publishing.public, req.Sites...)
	log, sites, err := loadOffline(ctx, cfg, stderr)
	if err != nil {
		return nil, err
	}
	var named []*site.Site
	for _, d := range req.Sites {
		if s, ok := sites.Lookup(d); ok {
			named = append(named, s)
		}
	}
	if _, err := asOfInstant(req.AsOf, time.Now(), named); err != nil {
		return nil, err // before the store is opened (or created)
	}
	store, err := cfg.store.open(ctx, log)
	if err != nil {
		return nil, err
	}
	sets, err := publishSets(ctx, store, sites, req, cfg.store.archiveDir(), time.Now(), log)
	return sets, errors.Join(err, store.Close())
}

// publishSets computes the files of the requested sites as of req.AsOf,
// through a publisher over the archive in dir that treats each requested
// site as public (under its own rules) and leaves the registry alone.
func publishSets(ctx context.Context, store opendata.Querier, sites *site.Registry, req publishRequest, dir string, now time.Time, log *slog.Logger) ([]publishedSite, error) {
	var list []*site.Site
	for _, d := range req.Sites {
		s, ok := sites.Lookup(d)
		if !ok {
			return nil, fmt.Errorf("unknown site %q", d)
		}
		c := *s
		c.Publish.Public = true
		list = append(list, &c)
	}
	now, err := asOfInstant(req.AsOf, now, list)
	if err != nil {
		return nil, err
	}
	pub, err := opendata.New(opendata.Config{Dir: dir, Now: func() time.Time { return now }},
		opendata.Deps{Store: store, Sites: site.NewRegistry(list...), Log: log})
	if err != nil {
		return nil, err
	}
	var out []publishedSite
	for _, s := range list {
		set, err := pub.Current(ctx, s.Domain)
		if err != nil {
			return nil, fmt.Errorf("publish %s: %w", s.Domain, err)
		}
		files := opendata.Files(set, now)
		page, err := public.StaticFiles(set, now)
		if err != nil {
			return nil, err
		}
		for name, b := range page {
			files[name] = b
		}
		out = append(out, publishedSite{Site: s.Domain, Week: set.Week.Start.String(), Block: set.Block.Start.String(),
			Through: set.Week.Last().String(), BlockLast: set.Block.Last().String(), Files: files})
	}
	return out, nil
}

// localPublish is POST /local/publish: the files of the named sites, with
// the server's configuration of each.
func (l *localCommands) publish(c *fiber.Ctx) error {
	var req publishRequest
	if err := c.BodyParser(&req); err != nil || len(req.Sites) == 0 || slices.Contains(req.Sites, "") {
		return localFail(c, fiber.StatusBadRequest, "name the sites to publish")
	}
	sets, err := publishSets(c.UserContext(), l.store, l.sites, req, l.archive, l.now(), l.log)
	if err != nil {
		return localFail(c, fiber.StatusUnprocessableEntity, err.Error())
	}
	return c.JSON(sets)
}
