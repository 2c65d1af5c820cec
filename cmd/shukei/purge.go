package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/disclosure"
	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/aggregator/retention"
	"github.com/shukei-analytics/shukei/site"
)

// purgeRequest asks a running server to purge a site's rows.
type purgeRequest struct {
	Site   string `json:"site"`
	Before string `json:"before"`
}

// purgeAnswer says what went.
type purgeAnswer struct {
	Rows   int64  `json:"rows"`
	Before string `json:"before"`
}

// runPurge deletes a site's rows before a date, earlier than its
// retention would, and the published periods computed from them (the
// archive holds their exact counts), and logs how many rows went. The
// date is in the site's configured time zone. While a server runs on -data
// it asks the server; otherwise it opens the store itself.
func runPurge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg serveConfig
	var req purgeRequest
	fset := commandFlags("purge", &cfg, func(fs *flag.FlagSet) {
		fs.StringVar(&req.Before, "before", "", "delete the rows before this `date` (YYYY-MM-DD, in the site's time zone)")
	})
	if err := parseFlags(fset, args, stderr); err != nil {
		return err
	}
	domain, err := oneDomain(&cfg, "purge")
	if err != nil {
		return err
	}
	req.Site = domain
	if req.Before == "" {
		return errors.New("-before is required, e.g. shukei purge -site example.org -before 2025-01-01")
	}
	if _, err := disclosure.ParseDay(req.Before); err != nil {
		return fmt.Errorf("-before: %w", err)
	}
	var ans purgeAnswer
	err = viaServer(ctx, cfg.store.data, "purge", req, &ans)
	if errors.Is(err, errNoServer) {
		ans, err = purgeOffline(ctx, &cfg, req, stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted %d rows of %s before %s\n", ans.Rows, req.Site, ans.Before)
	return nil
}

func purgeOffline(ctx context.Context, cfg *serveConfig, req purgeRequest, stderr io.Writer) (purgeAnswer, error) {
	log, sites, err := loadOffline(ctx, cfg, stderr)
	if err != nil {
		return purgeAnswer{}, err
	}
	if _, _, err := purgeCutoff(sites, req, time.Now()); err != nil {
		return purgeAnswer{}, err // before the store is opened (or created)
	}
	store, err := cfg.store.open(ctx, log)
	if err != nil {
		return purgeAnswer{}, err
	}
	ans, err := purgeSite(ctx, store, sites, cfg.store.archiveDir(), req, time.Now(), log)
	return ans, errors.Join(err, store.Close())
}

// purgeSite deletes the rows of req.Site before the start of req.Before
// in the site's time zone, and the archived periods built from them.
func purgeSite(ctx context.Context, store retention.Deleter, sites *site.Registry, dir string, req purgeRequest, now time.Time, log *slog.Logger) (purgeAnswer, error) {
	st, day, err := purgeCutoff(sites, req, now)
	if err != nil {
		return purgeAnswer{}, err
	}
	archive, err := opendata.OpenArchive(dir)
	if err != nil {
		return purgeAnswer{}, err
	}
	n, err := retention.Purge(ctx, store, archive, st, day.Start(st.Location), log, "purge")
	return purgeAnswer{Rows: n, Before: day.String()}, err
}

// purgeCutoff checks a purge request: a known site, and a day no later
// than tomorrow in the site's time zone.
func purgeCutoff(sites *site.Registry, req purgeRequest, now time.Time) (*site.Site, disclosure.Day, error) {
	st, ok := sites.Lookup(req.Site)
	if !ok {
		return nil, 0, fmt.Errorf("unknown site %q", req.Site)
	}
	day, err := disclosure.ParseDay(req.Before)
	if err != nil {
		return nil, 0, fmt.Errorf("-before: %w", err)
	}
	if tomorrow := disclosure.DayOf(now, st.Location) + 1; day > tomorrow {
		return nil, 0, fmt.Errorf("-before: %s is in the future (at most %s, which deletes every row)", day, tomorrow)
	}
	return st, day, nil
}

// purge is POST /local/purge.
func (l *localCommands) purge(c *fiber.Ctx) error {
	var req purgeRequest
	if err := c.BodyParser(&req); err != nil || req.Site == "" || req.Before == "" {
		return localFail(c, fiber.StatusBadRequest, "a site and a date are expected")
	}
	if _, _, err := purgeCutoff(l.sites, req, l.now()); err != nil {
		return localFail(c, fiber.StatusUnprocessableEntity, err.Error())
	}
	// The collector's log holds the hits too: store them all and delete
	// the log's segments first, so that none stays on disk and none is
	// applied again after the rows are deleted.
	if l.logs != nil {
		if err := l.logs.ClearLog(c.UserContext()); err != nil {
			return localFail(c, fiber.StatusServiceUnavailable, "the collector's write-ahead log: "+err.Error()+"; nothing was deleted")
		}
	}
	ans, err := purgeSite(c.UserContext(), l.store, l.sites, l.archive, req, l.now(), l.log)
	if err != nil {
		return localFail(c, fiber.StatusUnprocessableEntity, err.Error())
	}
	return c.JSON(ans)
}
