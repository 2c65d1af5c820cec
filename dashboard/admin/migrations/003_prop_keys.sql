-- The custom property keys a site keeps, one per line (site.ParsePropKeys).
-- DuckDB adds no NOT NULL column: Sites reads a missing value as none.
ALTER TABLE sites ADD COLUMN prop_keys VARCHAR DEFAULT '';
