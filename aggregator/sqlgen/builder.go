package sqlgen

import (
	"strings"

	"github.com/shukei-analytics/shukei/aggregator/query"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
)

// Stmt is a compiled statement: SQL with "?" placeholders and the values
// bound to them, in order.
type Stmt struct {
	SQL  string
	Args []any
}

// builder accumulates SQL text and its arguments. Expressions are built in
// the order their text appears, so each placeholder meets its argument.
type builder struct {
	d    Dialect
	plan *query.Plan
	site any // bound to the dialect's site column
	// rollup, when set, reads the rollup rows of that dimension instead
	// of the event rows (rollup.go).
	rollup *rollup.Dim
	// goalRollup, when set, reads a goal plan's rows from the goal rollup
	// rows (goalrollup.go).
	goalRollup bool
	sql        strings.Builder
	args       []any
}

// write appends fixed SQL text.
func (b *builder) write(parts ...string) {
	for _, p := range parts {
		b.sql.WriteString(p)
	}
}

// arg binds v and returns its placeholder.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return "?"
}

// list binds each value and returns the placeholders, comma-separated,
// each wrapped by wrap.
func (b *builder) list(values []string, wrap func(string) string) string {
	var sb strings.Builder
	for i, v := range values {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(wrap(b.arg(v)))
	}
	return sb.String()
}

// siteArg binds the plan's site, typed as its column.
func (b *builder) siteArg() string { return b.d.SiteArg(b.arg(b.site)) }

// byteArg binds v, typed as an unsigned 8-bit column.
func (b *builder) byteArg(v uint8) string { return b.d.ByteArg(b.arg(v)) }

func (b *builder) stmt() Stmt { return Stmt{SQL: b.sql.String(), Args: b.args} }

// identity leaves an expression as it is.
func identity(s string) string { return s }
