package dashboard

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/duckstore"
	"github.com/shukei-analytics/shukei/aggregator/storetest"
	"github.com/shukei-analytics/shukei/dashboard/admin"
)

// TestAuditPanel: a site's owner sees the rows at rest at each grain and
// the share of unique visitor tuples, as the store's audit reports them,
// before and after an ageing pass; an administrator who is not an owner
// does not, and the settings page links to it for owners only.
func TestAuditPanel(t *testing.T) {
	ctx := context.Background()
	st, err := duckstore.Open(ctx, duckstore.Config{Path: filepath.Join(t.TempDir(), "audit.duckdb")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	h := newHarness(t, harnessOpts{adminPath: filepath.Join(t.TempDir(), admin.FileName), audits: st})
	owner := h.setupOwner("owner")
	h.addSite(owner, "a.example")
	h.addUser("siteadmin", map[string]admin.Role{"a.example": admin.RoleAdmin})
	siteAdmin := h.login("siteadmin")

	now := h.clock.Now()
	rows := slices.Collect(storetest.GenerateRows(3, 4000, storetest.GenOptions{Start: now.AddDate(0, 0, -60), Days: 59, Sites: []string{"a.example"}}))
	if err := st.Append(ctx, rows); err != nil {
		t.Fatal(err)
	}
	s, _ := h.sites.Lookup("a.example")

	check := func(when string) ageing.Audit {
		t.Helper()
		want, err := st.Audit(ctx, "a.example", s.Location, now)
		if err != nil {
			t.Fatal(err)
		}
		res := owner.get("/sites/a.example/audit")
		if res.status != http.StatusOK {
			t.Fatalf("%s: audit page: %d %.300s", when, res.status, res.body)
		}
		if !strings.Contains(res.body, `data-audit="hits">`+strconv.FormatInt(want.Hits, 10)+`<`) {
			t.Errorf("%s: the page does not show the %d hits counted", when, want.Hits)
		}
		for _, r := range want.Rows {
			cell := `data-audit-rows="` + r.Table + "-" + grainKey(r.Table, r.Grain) + `">` + strconv.FormatInt(r.Rows, 10) + "<"
			if !strings.Contains(res.body, cell) {
				t.Errorf("%s: the page does not show %d %s rows at %v", when, r.Rows, r.Table, r.Grain)
			}
		}
		for _, tu := range append(want.Tuples, want.IfGeneralised) {
			if !strings.Contains(res.body, tupleView(tu).Share) {
				t.Errorf("%s: the page does not show the unique share %s of %v", when, tupleView(tu).Share, tu.Grain)
			}
		}
		return want
	}
	before := check("before ageing")
	if len(before.Tuples) != 1 || before.Tuples[0].Grain != ageing.Minute {
		t.Fatalf("before ageing: tuples %+v, want minute days only", before.Tuples)
	}

	job, err := ageing.New(ageing.Config{Now: h.clock.Now}, ageing.Deps{Store: st, Sites: h.sites})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := job.Once(ctx); err != nil {
		t.Fatal(err)
	}
	after := check("after ageing")
	if after.TotalRows("events") >= before.TotalRows("events") {
		t.Errorf("ageing left %d event rows of %d", after.TotalRows("events"), before.TotalRows("events"))
	}
	grains := map[ageing.Grain]bool{}
	for _, tu := range after.Tuples {
		grains[tu.Grain] = true
	}
	if !grains[ageing.DayGeneral] || !grains[ageing.Hour] {
		t.Errorf("after ageing: tuples %+v, want hour and generalised days", after.Tuples)
	}

	if res := owner.get("/sites/a.example/settings"); !strings.Contains(res.body, `href="/sites/a.example/audit"`) {
		t.Error("the owner's settings page does not link to the audit")
	}
	if res := siteAdmin.get("/sites/a.example/settings"); res.status != http.StatusOK || strings.Contains(res.body, "/audit") {
		t.Errorf("an administrator's settings page: %d, links to the audit: %v", res.status, strings.Contains(res.body, "/audit"))
	}
	if res := siteAdmin.get("/sites/a.example/audit"); res.status == http.StatusOK {
		t.Errorf("an administrator who is not an owner read the audit: %d", res.status)
	}
}
