DELETE FROM goals WHERE domain = ? AND id = ?;
