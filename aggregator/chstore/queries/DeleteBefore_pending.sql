SELECT count() FROM system.mutations WHERE database = ? AND table = ? AND is_done = 0
