INSERT INTO ageing_state (site, location, hour_before, day_before, general_before, rollup_day_before, version)
