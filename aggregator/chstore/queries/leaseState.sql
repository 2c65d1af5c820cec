SELECT epoch, holder, kind, at, seq, until FROM lease_claims
WHERE name = ? AND epoch = (SELECT max(epoch) FROM lease_claims WHERE name = ?)
ORDER BY at, holder, seq
