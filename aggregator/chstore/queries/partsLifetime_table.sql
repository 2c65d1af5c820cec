SELECT engine_full FROM system.tables WHERE database = ? AND name = ?
