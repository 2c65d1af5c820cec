-- The store's tables on one server and their engines.
SELECT name, engine FROM system.tables WHERE database = ? ORDER BY name
