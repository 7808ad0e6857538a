-- The state as tables a person can query with SQL, on SQLite and PostgreSQL alike (only
-- types both know). Every accepted command updates them in the transaction that appends
-- its changelog entry, so they always show the state as of the newest revision.
--
-- Ids are the opaque strings of the API. Booleans are BOOLEAN (0 and 1 on SQLite); times
-- are milliseconds since the Unix epoch, in columns ending in _ms. Entities that are
-- deleted but whose ids stay taken (teams, projects, groups, billing groups, content) keep
-- their row with deleted = TRUE; purged boards keep their row with state = 'purged'.

CREATE TABLE organizations (
    id                   TEXT PRIMARY KEY,
    name                 TEXT    NOT NULL,
    plan                 TEXT    NOT NULL,
    guard                BOOLEAN NOT NULL,
    owner_id             TEXT,
    trash_retention_days BIGINT  NOT NULL,
    audit_retention_days BIGINT,
    app_allowlist_on     BOOLEAN NOT NULL
);

CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    email             TEXT    NOT NULL UNIQUE,
    name              TEXT    NOT NULL,
    active            BOOLEAN NOT NULL,
    last_active_ms    BIGINT,
    sessions_reset_ms BIGINT
);

CREATE TABLE memberships (
    org_id  TEXT    NOT NULL,
    user_id TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    licence TEXT    NOT NULL,
    active  BOOLEAN NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE admin_roles (
    org_id  TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id, role)
);

-- Company settings have team_id = ''; a team's settings name the team. One row per
-- top-level setting, its value as JSON.
CREATE TABLE settings (
    org_id  TEXT NOT NULL,
    team_id TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (org_id, team_id, key)
);

CREATE TABLE domains (
    org_id   TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    verified BOOLEAN NOT NULL,
    PRIMARY KEY (org_id, name)
);

CREATE TABLE app_allowlist (
    org_id TEXT NOT NULL,
    app_id TEXT NOT NULL,
    PRIMARY KEY (org_id, app_id)
);

CREATE TABLE user_groups (
    id      TEXT PRIMARY KEY,
    org_id  TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    deleted BOOLEAN NOT NULL
);
CREATE INDEX user_groups_by_org ON user_groups (org_id);

CREATE TABLE group_members (
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (user_id);

CREATE TABLE teams (
    id      TEXT PRIMARY KEY,
    org_id  TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    deleted BOOLEAN NOT NULL
);
CREATE INDEX teams_by_org ON teams (org_id);

CREATE TABLE team_members (
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_by_user ON team_members (user_id);

CREATE TABLE team_groups (
    team_id  TEXT NOT NULL,
    group_id TEXT NOT NULL,
    role     TEXT NOT NULL,
    PRIMARY KEY (team_id, group_id)
);
CREATE INDEX team_groups_by_group ON team_groups (group_id);

CREATE TABLE team_content_admins (
    team_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE projects (
    id      TEXT PRIMARY KEY,
    org_id  TEXT    NOT NULL,
    team_id TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    private BOOLEAN NOT NULL,
    deleted BOOLEAN NOT NULL
);
CREATE INDEX projects_by_team ON projects (team_id);

CREATE TABLE project_members (
    project_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    role       TEXT NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_by_user ON project_members (user_id);

-- link_digest is the SHA-256 of the public-link token (hex); password_hash is an argon2
-- hash. Neither secret is stored in the clear.
CREATE TABLE boards (
    id             TEXT PRIMARY KEY,
    org_id         TEXT    NOT NULL,
    team_id        TEXT    NOT NULL,
    project_id     TEXT,
    owner_id       TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    trashed_at_ms  BIGINT,
    team_access    TEXT    NOT NULL,
    company_access TEXT    NOT NULL,
    public_access  TEXT    NOT NULL,
    copy_access    TEXT    NOT NULL,
    sharing_access TEXT    NOT NULL,
    link_digest    TEXT,
    password_hash  TEXT,
    classification TEXT,
    template       BOOLEAN NOT NULL,
    retained       BOOLEAN NOT NULL
);
CREATE INDEX boards_by_org ON boards (org_id);
CREATE INDEX boards_by_team ON boards (team_id);
CREATE INDEX boards_by_project ON boards (project_id);
CREATE INDEX boards_by_owner ON boards (owner_id);

-- Direct grants on boards; principal_type is 'user' or 'group'.
CREATE TABLE grants (
    board_id       TEXT NOT NULL,
    principal_type TEXT NOT NULL,
    principal_id   TEXT NOT NULL,
    role           TEXT NOT NULL,
    PRIMARY KEY (board_id, principal_type, principal_id)
);
CREATE INDEX grants_by_principal ON grants (principal_type, principal_id);

CREATE TABLE board_content (
    id        TEXT PRIMARY KEY,
    board_id  TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    text      TEXT    NOT NULL,
    author_id TEXT    NOT NULL,
    deleted   BOOLEAN NOT NULL
);
CREATE INDEX board_content_by_board ON board_content (board_id);

-- target_type is 'org', 'team', 'project' or 'board'; role is the role the invitation
-- gives there (none for the organization itself).
CREATE TABLE invitations (
    id            TEXT PRIMARY KEY,
    org_id        TEXT   NOT NULL,
    email         TEXT   NOT NULL,
    target_type   TEXT   NOT NULL,
    target_id     TEXT,
    role          TEXT,
    member_kind   TEXT   NOT NULL,
    inviter_id    TEXT   NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    state         TEXT   NOT NULL
);
CREATE INDEX invitations_by_org ON invitations (org_id);

-- kind is 'access' (target: a board; value: the role asked for), 'join' (target: a team),
-- 'licence' (value: the licence asked for) or 'app' (target: the app).
CREATE TABLE requests (
    kind      TEXT NOT NULL,
    id        TEXT NOT NULL,
    org_id    TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    target_id TEXT,
    value     TEXT,
    state     TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX requests_by_org ON requests (org_id);

CREATE TABLE billing_groups (
    id      TEXT PRIMARY KEY,
    org_id  TEXT    NOT NULL,
    name    TEXT    NOT NULL,
    deleted BOOLEAN NOT NULL
);

CREATE TABLE billing_members (
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE cases (
    id     TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    name   TEXT NOT NULL
);

CREATE TABLE legal_holds (
    case_id  TEXT    NOT NULL,
    id       TEXT    NOT NULL,
    released BOOLEAN NOT NULL,
    PRIMARY KEY (case_id, id)
);

CREATE TABLE legal_hold_users (
    case_id TEXT NOT NULL,
    hold_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (case_id, hold_id, user_id)
);

-- A database that already has a changelog gets its tables filled from it on the next
-- start (the server replays the changelog anyway and writes what it finds).
INSERT INTO easel_meta (key, value)
SELECT 'tables_stale', '1' WHERE EXISTS (SELECT 1 FROM changelog);
