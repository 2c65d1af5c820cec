SELECT column_name
FROM duckdb_columns()
WHERE database_name = current_database() AND table_name = ?
ORDER BY column_index;
