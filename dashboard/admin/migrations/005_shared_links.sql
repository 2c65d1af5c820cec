-- Shared links: a secret, revocable, read-only link to one site's
-- dashboard. Only the SHA-256 of the secret is kept, and the password, when
-- there is one, as the same Argon2id hash as an account's.
CREATE SEQUENCE shared_links_id START 1;
CREATE TABLE shared_links (
    id            BIGINT    PRIMARY KEY DEFAULT nextval('shared_links_id'),
    domain        VARCHAR   NOT NULL,
    name          VARCHAR   NOT NULL,
    secret_hash   VARCHAR   NOT NULL UNIQUE,
    password_hash VARCHAR   NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
