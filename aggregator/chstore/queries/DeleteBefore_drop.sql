ALTER TABLE {table} DROP PARTITION {partition}
