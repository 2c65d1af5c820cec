DELETE FROM goals WHERE domain = ?;
