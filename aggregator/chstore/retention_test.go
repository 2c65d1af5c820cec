package chstore

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/event"
)

func view(site string, ts time.Time) event.Row {
	return event.Row{Site: site, TS: ts, Kind: event.KindPageview, Name: event.PageviewName, Path: "/",
		Counters: event.Counters{Pageviews: 1}}
}

// TestDeleteBeforeMonths keeps a site's rows over four months beside
// another site's: retention drops the months that hold only expired rows
// of the site as whole partitions, deletes the rest by a mutation, and
// removes exactly the site's rows before the cut-off, on one server and
// on two shards.
func TestDeleteBeforeMonths(t *testing.T) {
	for _, cluster := range []bool{false, true} {
		t.Run(map[bool]string{false: "single", true: "cluster"}[cluster], func(t *testing.T) {
			var logs bytes.Buffer
			s, err := Open(context.Background(), testConfig(t, cluster), slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			cut := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
			var rows []event.Row
			var expired, kept int64
			for day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); day.Before(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)); day = day.Add(36 * time.Hour) {
				rows = append(rows, view("old.test", day))
				if day.Before(cut) {
					expired++
				} else {
					kept++
				}
				if day.Month() == time.March {
					rows = append(rows, view("other.test", day))
				}
			}
			// Two batches, so that each shard of a cluster holds rows.
			for _, batch := range [][]event.Row{rows[:len(rows)/2], rows[len(rows)/2:]} {
				if err := s.Append(ctx, batch); err != nil {
					t.Fatal(err)
				}
			}
			others := pageviews(t, s, "other.test")
			n, err := s.DeleteBefore(ctx, "old.test", cut)
			if err != nil {
				t.Fatal(err)
			}
			if n != expired {
				t.Errorf("deleted %d rows, want %d", n, expired)
			}
			if got := pageviews(t, s, "old.test"); got != kept {
				t.Errorf("%d rows of the site left, want %d", got, kept)
			}
			if e, _ := s.Earliest(ctx, "old.test"); e.Before(cut) {
				t.Errorf("earliest after the delete = %v, before the cut-off", e)
			}
			if got := pageviews(t, s, "other.test"); got != others || others == 0 {
				t.Errorf("the other site has %d rows, want %d", got, others)
			}
			if d := strings.Count(logs.String(), "retention dropped a month"); d < 2 {
				t.Errorf("%d partitions dropped, want January and February at least:\n%s", d, logs.String())
			}
			if n, err := s.DeleteBefore(ctx, "old.test", cut); err != nil || n != 0 {
				t.Errorf("second delete = %d, %v; want 0, nil", n, err)
			}
		})
	}
}
