INSERT INTO lease_claims (name, epoch, holder, kind, seq, until)
