-- What the nodes of a deployment share through the store (package
-- cluster), kept on the first shard like the log positions: each site's
-- configuration as the dashboard saved it (a JSON document of settings,
-- never visitor data; the latest version wins), and the claims of the
-- leases, such as the one that lets exactly one node run the jobs.
-- ClickHouse has no transaction: a lease goes to the first claim of an
-- epoch, stamped by the server when it is stored (chstore/coord.go explains
-- why that is safe).
CREATE TABLE IF NOT EXISTS site_records (
    domain  String,
    config  String,
    removed UInt8,
    version Int64
) ENGINE = ReplacingMergeTree(version)
ORDER BY domain;
CREATE TABLE IF NOT EXISTS lease_claims (
    name   String,
    epoch  UInt64,
    holder String,
    kind   UInt8,
    at     DateTime('UTC') DEFAULT now(),
    seq    UInt64,
    until  DateTime('UTC')
) ENGINE = MergeTree
ORDER BY (name, epoch, at, seq);
