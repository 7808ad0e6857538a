-- Easel's first schema: the changelog (one row per committed command, its events as JSON),
-- the organizations' versions for optimistic concurrency, and the audit log.

CREATE TABLE easel_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE changelog (
    revision INTEGER PRIMARY KEY AUTOINCREMENT,
    org      TEXT    NOT NULL,
    at_ms    INTEGER NOT NULL,
    action   TEXT    NOT NULL,
    events   TEXT    NOT NULL
) STRICT;

CREATE INDEX changelog_by_org ON changelog (org, revision);

CREATE TABLE org_versions (
    org     TEXT PRIMARY KEY,
    version INTEGER NOT NULL
) STRICT;

CREATE TABLE audit (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    revision INTEGER,
    org      TEXT    NOT NULL,
    at_ms    INTEGER NOT NULL,
    actor    TEXT,
    action   TEXT    NOT NULL,
    target   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL,
    code     TEXT,
    changes  TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_by_org_time ON audit (org, at_ms, id);
