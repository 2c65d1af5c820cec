-- The rollup dimensions a goal reads (aggregator/rollup GoalViews and
-- GoalEvents). rollups_built records how many rollup dimensions its rows
-- were built for: the 23 of migration 006 until now, so a store built
-- before derives its rollup rows again on its next start (rollups.go).
ALTER TABLE rollups_built ADD COLUMN dims UTINYINT DEFAULT 23;
