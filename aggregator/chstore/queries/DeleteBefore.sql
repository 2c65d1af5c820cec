-- An asynchronous mutation: it rewrites the parts holding matching rows;
-- DeleteBefore waits for it through system.mutations.
ALTER TABLE {table} DELETE WHERE site = ? AND ts < ?
