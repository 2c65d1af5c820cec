-- Claims a TOTP time step in one statement: only a step later than the
-- last one used updates the row, so two requests racing with the same code
-- cannot both succeed.
UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?;
