-- OAuth authorization codes and refresh tokens, as SHA-256 digests only.

CREATE TABLE oauth_codes (
    id              TEXT PRIMARY KEY,
    installation_id TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    redirect_uri    TEXT    NOT NULL,
    scopes          TEXT    NOT NULL,
    challenge       TEXT    NOT NULL,
    expires_at_ms   BIGINT  NOT NULL,
    digest          TEXT    NOT NULL,
    used            BOOLEAN NOT NULL
);

CREATE TABLE refresh_tokens (
    id              TEXT PRIMARY KEY,
    installation_id TEXT    NOT NULL,
    user_id         TEXT    NOT NULL,
    scopes          TEXT    NOT NULL,
    family          TEXT    NOT NULL,
    access_token_id TEXT    NOT NULL,
    digest          TEXT    NOT NULL,
    used            BOOLEAN NOT NULL,
    revoked         BOOLEAN NOT NULL
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family);
