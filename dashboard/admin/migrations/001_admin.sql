-- The dashboard's own state: administrators, their sessions and second
-- factors, API tokens, sites added in the UI and per-site roles. No visitor
-- data lives here. Secrets are kept only as hashes: session ids, API tokens
-- and recovery codes as SHA-256, passwords as argon2id.
CREATE SEQUENCE users_id START 1;
CREATE TABLE users (
    id                   BIGINT    PRIMARY KEY DEFAULT nextval('users_id'),
    username             VARCHAR   NOT NULL UNIQUE,
    password_hash        VARCHAR   NOT NULL,
    -- Instance owners manage users and sites and hold every site role.
    instance_owner       BOOLEAN   NOT NULL DEFAULT false,
    must_change_password BOOLEAN   NOT NULL DEFAULT false,
    -- Base32 TOTP secret; '' while the second factor is off.
    totp_secret          VARCHAR   NOT NULL DEFAULT '',
    -- The last TOTP time step used: a code of this step or earlier is a replay.
    totp_last_step       BIGINT    NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL
);

CREATE TABLE recovery_codes (
    user_id   BIGINT  NOT NULL,
    code_hash VARCHAR NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE sessions (
    id_hash    VARCHAR   PRIMARY KEY,
    user_id    BIGINT    NOT NULL,
    csrf       VARCHAR   NOT NULL,
    -- 1: the password was right and the second factor is pending;
    -- 2: signed in.
    stage      UTINYINT  NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen  TIMESTAMP NOT NULL
);

CREATE SEQUENCE api_tokens_id START 1;
CREATE TABLE api_tokens (
    id         BIGINT    PRIMARY KEY DEFAULT nextval('api_tokens_id'),
    user_id    BIGINT    NOT NULL,
    name       VARCHAR   NOT NULL,
    hash       VARCHAR   NOT NULL UNIQUE,
    -- The token's first characters, to recognise it in the list.
    hint       VARCHAR   NOT NULL,
    -- Newline-separated site domains; '*' for every site the user may read.
    sites      VARCHAR   NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used  TIMESTAMP
);

CREATE TABLE sites (
    domain            VARCHAR   PRIMARY KEY,
    -- 'ui': added in the dashboard; 'flag': settings of a -site flag site
    -- (its time zone stays the flag's).
    origin            VARCHAR   NOT NULL CHECK (origin IN ('ui', 'flag')),
    timezone          VARCHAR   NOT NULL,
    allowed_hostnames VARCHAR   NOT NULL DEFAULT '', -- newline-separated
    respect_gpc       BOOLEAN   NOT NULL DEFAULT false,
    public            BOOLEAN   NOT NULL DEFAULT false,
    min_cell_size     INTEGER   NOT NULL DEFAULT 0,
    epsilon           DOUBLE    NOT NULL DEFAULT 0,
    round_to          INTEGER   NOT NULL DEFAULT 0,
    retention_months  INTEGER   NOT NULL DEFAULT 0,
    created_at        TIMESTAMP NOT NULL
);

CREATE TABLE memberships (
    user_id BIGINT   NOT NULL,
    domain  VARCHAR  NOT NULL,
    -- 1 viewer, 2 admin, 3 owner
    role    UTINYINT NOT NULL CHECK (role BETWEEN 1 AND 3),
    PRIMARY KEY (user_id, domain)
);
