DELETE FROM sites WHERE domain = ?;
