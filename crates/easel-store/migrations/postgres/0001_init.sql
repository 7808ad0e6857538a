-- Easel's first schema on PostgreSQL: the same tables as on SQLite.

CREATE TABLE easel_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE changelog (
    revision BIGSERIAL PRIMARY KEY,
    org      TEXT   NOT NULL,
    at_ms    BIGINT NOT NULL,
    action   TEXT   NOT NULL,
    events   TEXT   NOT NULL
);

CREATE INDEX changelog_by_org ON changelog (org, revision);

CREATE TABLE org_versions (
    org     TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

CREATE TABLE audit (
    id       BIGSERIAL PRIMARY KEY,
    revision BIGINT,
    org      TEXT   NOT NULL,
    at_ms    BIGINT NOT NULL,
    actor    TEXT,
    action   TEXT   NOT NULL,
    target   TEXT   NOT NULL,
    outcome  TEXT   NOT NULL,
    code     TEXT,
    changes  TEXT   NOT NULL
);

CREATE INDEX audit_by_org_time ON audit (org, at_ms, id);
