package chstore

import (
	"testing"
	"time"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
)

// TestGroupChunks: chunks of one site, table, grain (and offset, for
// hours) go into one statement, spans in time order, at most maxSpans
// each; a group of one span buckets without multiIf.
func TestGroupChunks(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2024, 3, n, 0, 0, 0, 0, time.UTC) }
	var chunks []jobChunk
	for n := 20; n >= 1; n-- {
		chunks = append(chunks, jobChunk{Site: "a", Chunk: ageing.Chunk{From: day(n), To: day(n + 1), Grain: ageing.Day}})
	}
	chunks = append(chunks,
		jobChunk{Site: "a", Chunk: ageing.Chunk{From: day(25), To: day(26), Grain: ageing.Hour, Offset: 3600}},
		jobChunk{Site: "a", Chunk: ageing.Chunk{From: day(26), To: day(27), Grain: ageing.Hour, Offset: 7200}},
		jobChunk{Site: "b", Chunk: ageing.Chunk{From: day(1), To: day(2), Grain: ageing.Day}},
		jobChunk{Site: "a", Chunk: ageing.Chunk{From: day(1), To: day(2), Grain: ageing.Day, Rollup: true}},
	)
	groups := groupChunks(chunks)
	if len(groups) != 5 {
		t.Fatalf("%d groups, want 5: %+v", len(groups), groups)
	}
	g := groups[0]
	if g.Site != "a" || g.Grain != ageing.Day || g.Rollup || len(g.spans) != 20 {
		t.Fatalf("first group %+v", g)
	}
	for i := 1; i < len(g.spans); i++ {
		if !g.spans[i-1][1].Equal(g.spans[i][0]) {
			t.Errorf("spans out of order at %d: %v", i, g.spans)
		}
	}
	bucket, args := g.dayBucket()
	if len(args) != 2*len(g.spans)-1 || bucket[:20] != "toDateTime(multiIf(t" {
		t.Errorf("day bucket %s with %d arguments", bucket, len(args))
	}
	if b, args := groups[3].dayBucket(); b != "toDateTime(?, 'UTC')" || len(args) != 1 {
		t.Errorf("one span: %s %v", b, args)
	}
	var many []jobChunk
	for n := range maxSpans + 3 {
		from := day(1).Add(time.Duration(n) * time.Hour)
		many = append(many, jobChunk{Site: "a", Chunk: ageing.Chunk{From: from, To: from.Add(time.Hour), Grain: ageing.Hour}})
	}
	if gs := groupChunks(many); len(gs) != 2 || len(gs[0].spans) != maxSpans || len(gs[1].spans) != 3 {
		t.Errorf("%d chunks in %d groups", len(many), len(gs))
	}
}

func TestMergeSpans(t *testing.T) {
	h := func(n int) time.Time { return time.Date(2024, 3, 1, n, 0, 0, 0, time.UTC) }
	got := mergeSpans([][2]time.Time{{h(5), h(6)}, {h(1), h(2)}, {h(2), h(3)}, {h(8), h(10)}, {h(9), h(11)}, {h(6), h(7)}})
	want := [][2]time.Time{{h(1), h(3)}, {h(5), h(7)}, {h(8), h(11)}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if !got[i][0].Equal(want[i][0]) || !got[i][1].Equal(want[i][1]) {
			t.Errorf("span %d: got %v, want %v", i, got[i], want[i])
		}
	}
}
