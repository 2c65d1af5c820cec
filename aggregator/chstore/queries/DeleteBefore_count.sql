SELECT count() FROM {table} WHERE site = ? AND ts < ?
