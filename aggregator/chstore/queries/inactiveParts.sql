SELECT name FROM system.parts WHERE database = ? AND table = ? AND active = 0
