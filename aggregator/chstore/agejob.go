package chstore

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/shukei-analytics/shukei/aggregator/ageing"
	"github.com/shukei-analytics/shukei/aggregator/rollup"
	"github.com/shukei-analytics/shukei/aggregator/sqlgen"
)

// The stages of a job in age_jobs (ageing.go has the protocol).
const (
	stageClaimed   = 1 // sources claimed; outputs may be partly inserted
	stageCommitted = 2 // the commit is written; sources may remain
	stageDone      = 3
)

// jobChunk is a chunk with its site, as age_jobs keeps it.
type jobChunk struct {
	Site string
	ageing.Chunk
}

// ageShard finishes the shard's unfinished jobs, then merges work's chunks
// in one job.
func (s *Store) ageShard(ctx context.Context, sh *shard, work []ageing.Work, settled map[string]uint64) (ageing.Stats, error) {
	var stats ageing.Stats
	if err := s.recoverJobs(ctx, sh); err != nil {
		return stats, err
	}
	var chunks []jobChunk
	for _, w := range work {
		for _, c := range w.Chunks {
			chunks = append(chunks, jobChunk{Site: w.Site, Chunk: c})
		}
	}
	if len(chunks) == 0 {
		return stats, nil
	}
	// A mutation rewrites parts even where nothing matches: claim only
	// when there is something to claim.
	n, err := s.countClaimable(ctx, sh, chunks, settled)
	if err != nil || n == 0 {
		return stats, err
	}
	job, err := newJob()
	if err != nil {
		return stats, err
	}
	if err := s.recordJob(ctx, sh, job, stageClaimed, chunks); err != nil {
		return stats, err
	}
	if err := s.claim(ctx, sh, job, chunks, settled); err != nil {
		return stats, err
	}
	return s.finishJob(ctx, sh, job, chunks)
}

// outputsSettle is how long a job's outputs are in before it commits
// (finishJob): far longer than a query takes from its start to reading
// the commit table.
const outputsSettle = time.Second

// finishJob inserts a claimed job's outputs, commits and deletes its
// sources.
func (s *Store) finishJob(ctx context.Context, sh *shard, job uint64, chunks []jobChunk) (ageing.Stats, error) {
	stats := ageing.Stats{Chunks: len(chunks)}
	before, err := s.countAge(ctx, sh, job)
	if err != nil {
		return stats, err
	}
	stats.RowsBefore = before
	for _, g := range groupChunks(chunks) {
		q, args := s.outputSQL(g, job)
		if err := s.exec(ctx, sh, q, args...); err != nil {
			return stats, fmt.Errorf("merge %s from %s: %w", g.Site, g.spans[0][0].Format(time.RFC3339), err)
		}
	}
	if stats.RowsAfter, err = s.countAge(ctx, sh, job|sqlgen.AgeOutput); err != nil {
		return stats, err
	}
	// A query picks the parts it reads when it starts, and reads the
	// commit table for the visibility condition only after that: one that
	// started before the outputs were inserted and read the commit written
	// right after them would see neither the sources nor the outputs (a
	// report short by a day was seen once on two shards under load). The
	// commit waits until every query that started before the outputs
	// existed has read the commit table.
	select {
	case <-time.After(outputsSettle):
	case <-ctx.Done():
		return stats, ctx.Err()
	}
	if err := s.commitJob(ctx, sh, job); err != nil {
		return stats, err
	}
	if err := s.recordJob(ctx, sh, job, stageCommitted, chunks); err != nil {
		return stats, err
	}
	return stats, s.deleteSources(ctx, sh, job, chunks)
}

// deleteSources deletes a committed job's sources and marks it done.
func (s *Store) deleteSources(ctx context.Context, sh *shard, job uint64, chunks []jobChunk) error {
	for _, t := range []string{s.table, s.rollups} {
		if err := s.exec(ctx, sh, "ALTER TABLE "+t+" DELETE WHERE age = ?", job); err != nil {
			return err
		}
	}
	if err := s.waitBoth(ctx, sh); err != nil {
		return err
	}
	return s.recordJob(ctx, sh, job, stageDone, chunks)
}

// recoverJobs finishes the jobs a pass left unfinished on the shard: one
// not committed loses its outputs and makes them again from its sources,
// still claimed; one committed loses its sources.
func (s *Store) recoverJobs(ctx context.Context, sh *shard) error {
	jobs, err := s.unfinishedJobs(ctx, sh)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		// A claim or a delete issued before the cut is still running.
		if err := s.waitBoth(ctx, sh); err != nil {
			return err
		}
		committed, err := s.isCommitted(ctx, sh, j.job)
		if err != nil {
			return err
		}
		s.log.Warn("clickhouse: finishing a merge of aged rows cut short", "addr", sh.addr, "committed", committed)
		if committed {
			if err := s.deleteSources(ctx, sh, j.job, j.chunks); err != nil {
				return err
			}
			continue
		}
		for _, t := range []string{s.table, s.rollups} {
			if err := s.exec(ctx, sh, "ALTER TABLE "+t+" DELETE WHERE age = ?", j.job|sqlgen.AgeOutput); err != nil {
				return err
			}
		}
		if err := s.waitBoth(ctx, sh); err != nil {
			return err
		}
		if _, err := s.finishJob(ctx, sh, j.job, j.chunks); err != nil {
			return err
		}
	}
	return nil
}

type unfinished struct {
	job    uint64
	chunks []jobChunk
}

func (s *Store) unfinishedJobs(ctx context.Context, sh *shard) ([]unfinished, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	rows, err := sh.conn.Query(ctx, fixed("unfinishedJobs"), uint8(stageDone))
	if err != nil {
		return nil, fmt.Errorf("read unfinished merges: %w", err)
	}
	defer rows.Close()
	var out []unfinished
	for rows.Next() {
		var u unfinished
		var text string
		if err := rows.Scan(&u.job, &text); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(text), &u.chunks); err != nil {
			return nil, fmt.Errorf("merge %d: chunks: %w", u.job, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (s *Store) recordJob(ctx context.Context, sh *shard, job uint64, stage uint8, chunks []jobChunk) error {
	text, err := json.Marshal(chunks)
	if err != nil {
		return err
	}
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	b, err := sh.conn.PrepareBatch(ctx, fixed("recordJob"))
	if err != nil {
		return fmt.Errorf("record merge: %w", err)
	}
	if err := b.Append(job, stage, string(text), time.Now().UTC()); err != nil {
		return errors.Join(fmt.Errorf("record merge: %w", err), b.Abort())
	}
	return send(b)
}

func (s *Store) commitJob(ctx context.Context, sh *shard, job uint64) error {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	b, err := sh.conn.PrepareBatch(ctx, fixed("commitJob"))
	if err != nil {
		return fmt.Errorf("commit merge: %w", err)
	}
	if err := b.Append(job, time.Now().UTC()); err != nil {
		return errors.Join(fmt.Errorf("commit merge: %w", err), b.Abort())
	}
	return send(b)
}

func (s *Store) isCommitted(ctx context.Context, sh *shard, job uint64) (bool, error) {
	ctx, cancel := s.timeout(ctx)
	defer cancel()
	var n uint64
	if err := sh.conn.QueryRow(ctx, "SELECT count() FROM "+sqlgen.AgeCommitsTable+" WHERE job = ?", job).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// newJob draws a job id: 62 random bits, never 0.
func newJob() (uint64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:])&(sqlgen.AgeOutput-1) | 1, nil
}

// claimable is the condition on the rows a job may claim in table: in one
// of the chunks of that table, visible and not claimed (new rows, or
// outputs of a committed job), and stored for good (settled).
func (s *Store) claimable(chunks []jobChunk, rollups bool, settled map[string]uint64) (string, []any) {
	// A pass over many days has thousands of chunks, mostly end to end:
	// their union per site keeps the condition short.
	bySite := map[string][][2]time.Time{}
	var sites []string
	for _, c := range chunks {
		if c.Rollup != rollups {
			continue
		}
		if _, ok := bySite[c.Site]; !ok {
			sites = append(sites, c.Site)
		}
		bySite[c.Site] = append(bySite[c.Site], [2]time.Time{c.From.UTC(), c.To.UTC()})
	}
	if len(sites) == 0 {
		return "", nil
	}
	var cond []string
	var args []any
	for _, site := range sites {
		for _, sp := range mergeSpans(bySite[site]) {
			cond = append(cond, "(site = ? AND ts >= ? AND ts < ?)")
			args = append(args, site, sp[0], sp[1])
		}
	}
	logs := []string{"wal_log = ''"}
	names := make([]string, 0, len(settled))
	for log := range settled {
		names = append(names, log)
	}
	slices.Sort(names)
	for _, log := range names {
		logs = append(logs, "(wal_log = ? AND wal_up_to <= ?)")
		args = append(args, log, settled[log])
	}
	out := strconv.FormatUint(sqlgen.AgeOutput, 10)
	mask := strconv.FormatUint(sqlgen.AgeOutput-1, 10)
	return "(age = 0 OR (age >= " + out + " AND bitAnd(age, " + mask + ") IN (SELECT job FROM " + sqlgen.AgeCommitsTable + ")))" +
		" AND (" + strings.Join(cond, " OR ") + ") AND (" + strings.Join(logs, " OR ") + ")", args
}

func (s *Store) countClaimable(ctx context.Context, sh *shard, chunks []jobChunk, settled map[string]uint64) (int64, error) {
	var total int64
	for _, t := range []struct {
		table   string
		rollups bool
	}{{s.table, false}, {s.rollups, true}} {
		cond, args := s.claimable(chunks, t.rollups, settled)
		if cond == "" {
			continue
		}
		var n uint64
		qctx, cancel := s.timeout(s.bigQuery(ctx))
		err := sh.conn.QueryRow(qctx, "SELECT count() FROM "+t.table+" WHERE "+cond, clampTimes(args)...).Scan(&n)
		cancel()
		if err != nil {
			return 0, fmt.Errorf("count rows to merge: %w", err)
		}
		total += int64(n)
	}
	return total, nil
}

// claim sets the age of the job's rows to the job, and waits until the
// mutations are done.
func (s *Store) claim(ctx context.Context, sh *shard, job uint64, chunks []jobChunk, settled map[string]uint64) error {
	for _, t := range []struct {
		table   string
		rollups bool
	}{{s.table, false}, {s.rollups, true}} {
		cond, args := s.claimable(chunks, t.rollups, settled)
		if cond == "" {
			continue
		}
		if err := s.exec(ctx, sh, "ALTER TABLE "+t.table+" UPDATE age = ? WHERE "+cond, append([]any{job}, args...)...); err != nil {
			return fmt.Errorf("claim rows to merge: %w", err)
		}
	}
	// Both tables' mutations run side by side; the outputs wait for both.
	return s.waitBoth(ctx, sh)
}

// waitBoth waits until neither table has a mutation left to do.
func (s *Store) waitBoth(ctx context.Context, sh *shard) error {
	for _, t := range []string{s.table, s.rollups} {
		if err := s.waitMutationsOn(ctx, sh, t); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) countAge(ctx context.Context, sh *shard, age uint64) (int64, error) {
	var total int64
	for _, t := range []string{s.table, s.rollups} {
		var n uint64
		qctx, cancel := s.timeout(ctx)
		err := sh.conn.QueryRow(qctx, "SELECT count() FROM "+t+" WHERE age = ?", age).Scan(&n)
		cancel()
		if err != nil {
			return 0, err
		}
		total += int64(n)
	}
	return total, nil
}

// exec runs a statement on the shard with the statement timeout and room
// for long conditions.
func (s *Store) exec(ctx context.Context, sh *shard, q string, args ...any) error {
	ctx, cancel := s.timeout(s.bigQuery(ctx))
	defer cancel()
	return sh.conn.Exec(ctx, q, clampTimes(args)...)
}

// bigQuery allows statements as long as a merge's conditions make them.
func (s *Store) bigQuery(ctx context.Context) context.Context {
	return clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_query_size": maxQueryBytes}))
}

// chunkGroup is chunks merged by one statement: one site, table and
// grain (and zone offset for hours), their spans in time order.
type chunkGroup struct {
	Site   string
	Rollup bool
	Grain  ageing.Grain
	Offset int
	spans  [][2]time.Time
}

// maxSpans bounds the spans of one statement (its length and its multiIf).
const maxSpans = 256

// groupChunks gathers the chunks that one statement can merge: the
// chunks never overlap, so a row of the claimed rows falls in exactly one
// span, and a statement per chunk would only repeat the scan.
func groupChunks(chunks []jobChunk) []chunkGroup {
	type key struct {
		site   string
		rollup bool
		grain  ageing.Grain
		offset int
	}
	byKey := map[key]*chunkGroup{}
	var order []key
	for _, c := range chunks {
		k := key{c.Site, c.Rollup, c.Grain, 0}
		if c.Grain == ageing.Hour {
			k.offset = c.Offset
		}
		g, ok := byKey[k]
		if !ok {
			g = &chunkGroup{Site: c.Site, Rollup: c.Rollup, Grain: c.Grain, Offset: k.offset}
			byKey[k] = g
			order = append(order, k)
		}
		g.spans = append(g.spans, [2]time.Time{c.From.UTC(), c.To.UTC()})
	}
	var out []chunkGroup
	for _, k := range order {
		g := byKey[k]
		slices.SortFunc(g.spans, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
		for part := range slices.Chunk(g.spans, maxSpans) {
			h := *g
			h.spans = part
			out = append(out, h)
		}
	}
	return out
}

// where is the condition on a group's claimed rows.
func (g chunkGroup) where(job uint64) (string, []any) {
	spans := mergeSpans(g.spans)
	conds := make([]string, len(spans))
	args := []any{job, g.Site}
	for i, sp := range spans {
		conds[i] = "(ts >= ? AND ts < ?)"
		args = append(args, sp[0], sp[1])
	}
	return "age = ? AND site = ? AND (" + strings.Join(conds, " OR ") + ")", args
}

// mergeSpans returns the union of the spans as disjoint spans in time
// order, joining those that touch or overlap.
func mergeSpans(spans [][2]time.Time) [][2]time.Time {
	s := slices.Clone(spans)
	slices.SortFunc(s, func(a, b [2]time.Time) int { return a[0].Compare(b[0]) })
	var out [][2]time.Time
	for _, sp := range s {
		if n := len(out); n > 0 && !sp[0].After(out[n-1][1]) {
			if sp[1].After(out[n-1][1]) {
				out[n-1][1] = sp[1]
			}
			continue
		}
		out = append(out, sp)
	}
	return out
}

// dayBucket is the start of the span a row falls in: the spans are
// disjoint and in time order, so the first span ending after ts is it.
func (g chunkGroup) dayBucket() (string, []any) {
	if len(g.spans) == 1 {
		// multiIf takes at least three arguments.
		return "toDateTime(?, 'UTC')", []any{g.spans[0][0]}
	}
	var b strings.Builder
	var args []any
	b.WriteString("toDateTime(multiIf(")
	for _, sp := range g.spans[:len(g.spans)-1] {
		b.WriteString("ts < ?, ?, ")
		args = append(args, sp[1], sp[0])
	}
	b.WriteString("?), 'UTC')")
	args = append(args, g.spans[len(g.spans)-1][0])
	return b.String(), args
}

// outputSQL is the INSERT of a group's merged rows: the claimed rows'
// groups, ts at the chunks' grain, the generalised columns emptied, the
// sums checked to fit the columns (a sum that does not fails the merge
// rather than wrap).
func (s *Store) outputSQL(g chunkGroup, job uint64) (string, []any) {
	if g.Rollup {
		return s.rollupOutputSQL(g, job)
	}
	var bucket string
	var args []any
	if g.Grain == ageing.Hour {
		// Hours of the zone start where ts + offset is a whole hour.
		bucket = "toDateTime(intDiv(toInt64(toUInt32(ts)) + ?, 3600) * 3600 - ?, 'UTC')"
		args = []any{int64(g.Offset), int64(g.Offset)}
	} else {
		bucket, args = g.dayBucket()
	}
	counters := map[string]bool{}
	for _, name := range rollup.Counters {
		counters[name] = true
	}
	cols := []string{"site", bucket + " AS b"}
	group := []string{"site", "b"}
	for _, col := range sqlgen.Columns[2:] {
		switch {
		case counters[col]:
			cols = append(cols, "toInt32(sum("+col+") + throwIf(sum("+col+") > 2147483647 OR sum("+col+") < -2147483648))")
		case g.Grain == ageing.DayGeneral && slices.Contains(ageing.GeneralisedColumns, col):
			cols = append(cols, "''")
		default:
			cols = append(cols, col)
			group = append(group, col)
		}
	}
	cols = append(cols, strconv.Itoa(int(g.Grain)), "?")
	args = append(args, job|sqlgen.AgeOutput)
	where, wargs := g.where(job)
	q := "INSERT INTO " + s.table + " (" + strings.Join(sqlgen.Columns, ", ") + ", grain, age) SELECT " + strings.Join(cols, ", ") +
		" FROM " + s.table + " WHERE " + where + " GROUP BY " + strings.Join(group, ", ")
	return q, append(args, wargs...)
}

// rollupOutputSQL groups each day's claimed rollup rows into one row per
// dimension and value at the day's start, leaving out the generalised
// dimensions for DayGeneral.
func (s *Store) rollupOutputSQL(g chunkGroup, job uint64) (string, []any) {
	sums := make([]string, len(rollup.Counters))
	for i, name := range rollup.Counters {
		sums[i] = "toInt64(sum(" + name + "))"
	}
	bucket, args := g.dayBucket()
	where, wargs := g.where(job)
	if g.Grain == ageing.DayGeneral {
		where += " AND dim NOT IN (" + ageing.GeneralisedDimsSQL() + ")"
	}
	q := "INSERT INTO " + s.rollups + " (site, ts, grain, dim, value, " + strings.Join(rollup.Counters, ", ") + ", age) SELECT site, " + bucket + " AS b, " +
		strconv.Itoa(int(ageing.Day)) + ", dim, value, " + strings.Join(sums, ", ") + ", ? FROM " + s.rollups +
		" WHERE " + where + " GROUP BY site, b, dim, value"
	args = append(args, job|sqlgen.AgeOutput)
	return q, append(args, wargs...)
}
