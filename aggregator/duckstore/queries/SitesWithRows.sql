SELECT name FROM sites ORDER BY name
