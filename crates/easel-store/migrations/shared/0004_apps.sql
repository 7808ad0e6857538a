-- OAuth apps, their installations and scopes, app tokens, and sessions. Client secrets and
-- tokens are stored as SHA-256 digests only.

CREATE TABLE apps (
    id              TEXT PRIMARY KEY,
    org_id          TEXT    NOT NULL,
    team_id         TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    redirect_uris   TEXT    NOT NULL,
    expiring_tokens BOOLEAN NOT NULL,
    secret_digest   TEXT,
    deleted         BOOLEAN NOT NULL,
    scope_version   BIGINT  NOT NULL
);

-- The scopes each app enables, by canonical name.
CREATE TABLE app_scopes (
    app_id TEXT NOT NULL,
    scope  TEXT NOT NULL,
    PRIMARY KEY (app_id, scope)
);

CREATE TABLE installations (
    id      TEXT PRIMARY KEY,
    app_id  TEXT    NOT NULL,
    org_id  TEXT    NOT NULL,
    team_id       TEXT    NOT NULL,
    active        BOOLEAN NOT NULL,
    -- The version of the app's scopes it was installed at, or last consented to.
    scope_version BIGINT  NOT NULL
);
CREATE INDEX installations_by_app ON installations (app_id);

-- The scopes each installation was granted (at install, and by later consent).
CREATE TABLE installation_scopes (
    installation_id TEXT NOT NULL,
    scope           TEXT NOT NULL,
    PRIMARY KEY (installation_id, scope)
);

-- An app token names its installation; its scopes are in token_scopes.
ALTER TABLE tokens ADD COLUMN installation_id TEXT;

CREATE TABLE token_scopes (
    token_id TEXT NOT NULL,
    scope    TEXT NOT NULL,
    PRIMARY KEY (token_id, scope)
);

CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    user_id        TEXT    NOT NULL,
    created_at_ms  BIGINT  NOT NULL,
    last_active_ms BIGINT  NOT NULL,
    ended          BOOLEAN NOT NULL,
    digest         TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);
