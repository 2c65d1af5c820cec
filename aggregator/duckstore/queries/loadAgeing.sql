SELECT site_id, location, hour_before, day_before, general_before, rollup_day_before FROM ageing;
