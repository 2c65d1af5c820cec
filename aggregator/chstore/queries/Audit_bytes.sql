-- The bytes on disk of the database's active parts on this server.
SELECT sum(bytes_on_disk) FROM system.parts WHERE database = ? AND active
