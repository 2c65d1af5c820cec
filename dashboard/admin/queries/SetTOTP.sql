-- Turning the second factor on or off starts replay tracking afresh.
UPDATE users SET totp_secret = ?, totp_last_step = 0 WHERE id = ?;
