SELECT name FROM system.columns WHERE database = ? AND table = ?
