SELECT toUInt32(max(version)) FROM schema_migrations
