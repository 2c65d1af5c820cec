-- Rollup rows start at a quarter or a day; retention's cut-off is the
-- start of a day of the site, so no rollup row straddles it.
DELETE FROM rollups WHERE site_id = ? AND ts < ?;
