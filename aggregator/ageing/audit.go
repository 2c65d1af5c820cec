package ageing

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// Auditor reports what a store holds for a site (the DuckDB and ClickHouse
// stores implement it).
type Auditor interface {
	Audit(ctx context.Context, site string, loc *time.Location, now time.Time) (Audit, error)
}

// Audit is what is at rest for one site and how identifying it is: the
// rows at each grain, and the share of visitor tuples per day that are
// unique — a day's visitors grouped by everything a row says about them
// (TupleColumns), where a group of one is one person's day that the
// site's own access logs could be joined to (k-anonymity at rest).
type Audit struct {
	Site string `json:"site"`
	// Rows counts the stored rows by table ("events", "rollups") and
	// grain.
	Rows []GrainRows `json:"rows"`
	// Tuples is the share per period: days kept per minute, per hour, per
	// day (a day belongs to the coarsest grain of its rows).
	Tuples []TupleShare `json:"tuples"`
	// IfGeneralised is the share over every stored day as it would be
	// without the generalised columns: what the day step leaves of today's
	// rows.
	IfGeneralised TupleShare `json:"if_generalised"`
	// Hits is the page views and events the rows count.
	Hits int64 `json:"hits"`
	// Bytes is the size of the store's data on disk, all sites together;
	// 0 when the store cannot tell.
	Bytes int64 `json:"bytes"`
}

// GrainRows is how many rows of a table are at a grain.
type GrainRows struct {
	Table string `json:"table"`
	Grain Grain  `json:"grain"`
	Rows  int64  `json:"rows"`
}

// TupleShare counts the visitor tuples of the days of one period.
type TupleShare struct {
	Grain  Grain `json:"grain"`
	Days   int64 `json:"days"`
	Tuples int64 `json:"tuples"`
	Unique int64 `json:"unique"`
}

// Share is the unique tuples' share, 0 without tuples.
func (t TupleShare) Share() float64 {
	if t.Tuples == 0 {
		return 0
	}
	return float64(t.Unique) / float64(t.Tuples)
}

// TupleColumns are the event columns of a visitor tuple: everything a row
// says about who the visitor was and how they came.
var TupleColumns = []string{
	"country", "region", "city", "browser", "browser_version", "os", "os_version", "device", "screen", "language",
	"referrer_source", "referrer_host", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "entry_path",
}

// TotalRows is the rows of a table at every grain.
func (a Audit) TotalRows(table string) int64 {
	var n int64
	for _, r := range a.Rows {
		if r.Table == table {
			n += r.Rows
		}
	}
	return n
}

// Write prints the audit as text.
func (a Audit) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "site %s: %d page views and events\n\n", a.Site, a.Hits)
	fmt.Fprintln(tw, "table\tgrain\trows\t")
	for _, r := range a.Rows {
		g := r.Grain.String()
		if r.Table == "rollups" && r.Grain == Quarter {
			g = "quarter hour"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t\n", r.Table, g, r.Rows)
	}
	if hits := a.Hits; hits > 0 {
		fmt.Fprintf(tw, "events\tall\t%d\t(%.3f rows per hit)\n", a.TotalRows("events"), float64(a.TotalRows("events"))/float64(hits))
	}
	if a.Bytes > 0 {
		fmt.Fprintf(tw, "\nstore size\t%d bytes (all sites)\t\t\n", a.Bytes)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "days kept per\tdays\tvisitor tuples\tunique\tshare unique\t")
	for _, t := range a.Tuples {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1f%%\t\n", t.Grain, t.Days, t.Tuples, t.Unique, 100*t.Share())
	}
	g := a.IfGeneralised
	fmt.Fprintf(tw, "all, if generalised\t%d\t%d\t%d\t%.1f%%\t\n", g.Days, g.Tuples, g.Unique, 100*g.Share())
	return tw.Flush()
}

// Total adds the shares up under one grain.
func Total(shares []TupleShare, g Grain) TupleShare {
	t := TupleShare{Grain: g}
	for _, s := range shares {
		t.Days += s.Days
		t.Tuples += s.Tuples
		t.Unique += s.Unique
	}
	return t
}
