-- Tokens issued with a secret: users' personal access tokens and services' tokens for the
-- decision API. Only the SHA-256 of each secret is stored (hex); the secret is shown once,
-- when the token is issued, and kept nowhere.

CREATE TABLE tokens (
    id            TEXT PRIMARY KEY,
    holder_type   TEXT    NOT NULL,
    user_id       TEXT,
    service_name  TEXT,
    org_id        TEXT,
    digest        TEXT    NOT NULL,
    expires_at_ms BIGINT,
    revoked       BOOLEAN NOT NULL
);
CREATE INDEX tokens_by_user ON tokens (user_id);
