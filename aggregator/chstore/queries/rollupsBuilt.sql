-- Whether the rollup rows are built: the latest mark, 0 when none.
SELECT argMax(built, version) FROM rollups_built
