package public

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/shukei-analytics/shukei/aggregator/opendata"
	"github.com/shukei-analytics/shukei/route"
)

// recordingReports keeps every domain it is asked for, as the publisher
// keeps them as map keys.
type recordingReports struct {
	Reports
	seen []string
}

func (r *recordingReports) Current(ctx context.Context, domain string) (*opendata.Set, error) {
	r.seen = append(r.seen, domain)
	return r.Reports.Current(ctx, domain)
}

// Item 11 of the hostile-client findings: the site name of a public route
// is a view into fasthttp's pooled request buffer; the handler must pass
// the publisher a copy, or the publisher's map keys change under it with
// the next request. The app here runs without fiber's Immutable, so the
// handler is safe on its own.
func TestPublicSiteNamesOutliveTheRequest(t *testing.T) {
	h := newHarness(t, t.TempDir())
	rec := &recordingReports{Reports: h.pub}
	hd, err := New(Config{Now: func() time.Time { return h.now }}, Deps{Reports: rec, Realtime: h.rt})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	if err := route.Mount(app, hd.Routes()); err != nil {
		t.Fatal(err)
	}
	want := []string{exactSite, noisySite, privateSite, exactSite}
	for _, d := range want {
		res, err := app.Test(httptest.NewRequest("GET", "/public/"+d+"/data/index.json", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	for i, d := range want {
		if i >= len(rec.seen) || rec.seen[i] != d {
			t.Fatalf("domains kept: %q, want %q", rec.seen, want)
		}
	}
}
