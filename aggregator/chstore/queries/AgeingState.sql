-- The site's latest promise (ReplacingMergeTree merges versions only
-- eventually: the latest is read with argMax).
SELECT argMax(location, version), argMax(hour_before, version), argMax(day_before, version),
       argMax(general_before, version), argMax(rollup_day_before, version)
FROM ageing_state WHERE site = ? GROUP BY site
