-- What the nodes of a deployment share through the store (package cluster):
-- each site's configuration as the dashboard saved it (a JSON document of
-- settings, never visitor data), and the leases, such as the one that lets
-- exactly one node run the jobs. An embedded store has one process, but the
-- same tables keep every store alike.
CREATE TABLE site_records (
    domain  VARCHAR NOT NULL PRIMARY KEY,
    config  VARCHAR NOT NULL,
    removed BOOLEAN NOT NULL,
    version BIGINT  NOT NULL
);
CREATE TABLE leases (
    name   VARCHAR   NOT NULL PRIMARY KEY,
    holder VARCHAR   NOT NULL,
    until  TIMESTAMP NOT NULL
);
