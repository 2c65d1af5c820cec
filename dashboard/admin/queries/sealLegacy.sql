SELECT id, totp_secret FROM users WHERE totp_secret <> '' AND NOT starts_with(totp_secret, ?)
