package dashboard

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
)

// Auditor reports what the store holds for a site at rest (the DuckDB and
// ClickHouse stores): the owner's audit panel.
type Auditor interface {
	Audit(ctx context.Context, site string, loc *time.Location, now time.Time) (ageing.Audit, error)
}

// auditPage is what the audit template gets.
type auditPage struct {
	Domain string
	// Available is false without a store in this process (a dashboard-only
	// server): the page says to run the audit command instead.
	Available bool
	Rows      []auditRows
	Tuples    []auditTuples
	General   auditTuples
	Hits      int64
	RowsPer   string // event rows per page view or event, "" without hits
	Bytes     int64
}

type auditRows struct {
	Table string
	Grain string // a catalog key
	Rows  int64
}

type auditTuples struct {
	Grain                string // a catalog key
	Days, Tuples, Unique int64
	Share                string
}

// grainKey names a grain in the catalog: rollup rows at grain 0 are
// quarters of an hour, event rows minutes.
func grainKey(table string, g ageing.Grain) string {
	if table == "rollups" && g == ageing.Quarter {
		return "audit.grain.quarter"
	}
	return fmt.Sprintf("audit.grain.%d", int(g))
}

func tupleView(t ageing.TupleShare) auditTuples {
	return auditTuples{Grain: grainKey("events", t.Grain), Days: t.Days, Tuples: t.Tuples, Unique: t.Unique,
		Share: fmt.Sprintf("%.1f %%", 100*t.Share())}
}

// auditPanel shows a site's owners what is at rest: the rows at each
// grain and the share of a day's visitor tuples that are unique, as
// `shukei audit` prints them. It reads every stored row of the site, so
// it is a page of its own, computed when asked.
func (u *ui) auditPanel(c *fiber.Ctx) error {
	domain := c.Params("domain")
	s, ok := u.sites.Lookup(domain)
	if !ok {
		return u.fail(c, fiber.StatusNotFound, "error.no_site")
	}
	p := auditPage{Domain: s.Domain, Available: u.audits != nil}
	if u.audits != nil {
		a, err := u.audits.Audit(c.UserContext(), s.Domain, s.Location, u.now())
		if err != nil {
			return err
		}
		for _, r := range a.Rows {
			p.Rows = append(p.Rows, auditRows{Table: r.Table, Grain: grainKey(r.Table, r.Grain), Rows: r.Rows})
		}
		for _, t := range a.Tuples {
			p.Tuples = append(p.Tuples, tupleView(t))
		}
		p.General = tupleView(a.IfGeneralised)
		p.Hits, p.Bytes = a.Hits, a.Bytes
		if a.Hits > 0 {
			p.RowsPer = fmt.Sprintf("%.3f", float64(a.TotalRows("events"))/float64(a.Hits))
		}
	}
	return u.render(c, fiber.StatusOK, "audit", &view{Title: "audit.title", Nav: "sites", Page: p})
}
