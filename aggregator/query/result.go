package query

// Result is what a store returns for a Plan: one group per distinct
// combination of the plan's dimensions, in the plan's order and page.
type Result struct {
	Groups []Group
	// TotalGroups counts the groups before pagination (Plan.CountGroups).
	TotalGroups int64
}

// Group is one row of a breakdown: the dimension values (time buckets
// formatted by FormatBucket) and the plan's sums, parallel to Plan.Sums.
type Group struct {
	Dimensions []string
	Sums       []int64
}
