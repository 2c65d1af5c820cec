INSERT INTO rollups_built (built, version)
