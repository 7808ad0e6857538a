-- What an organization's directory (SCIM) says of each member, kept per membership: the
-- external id, names, enterprise attributes and when the profile was made and last
-- changed; and the addresses it lists, in order. A membership without a profile has no
-- rows. Tables written before this migration are rebuilt at the start that applies it.

CREATE TABLE member_profiles (
    org_id             TEXT   NOT NULL,
    user_id            TEXT   NOT NULL,
    external_id        TEXT,
    formatted_name     TEXT,
    given_name         TEXT,
    family_name        TEXT,
    display_name       TEXT,
    preferred_language TEXT,
    employee_number    TEXT,
    cost_center        TEXT,
    organization       TEXT,
    division           TEXT,
    department         TEXT,
    manager_id         TEXT,
    manager_name       TEXT,
    created_at_ms      BIGINT NOT NULL,
    modified_at_ms     BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX member_profiles_by_external_id ON member_profiles (org_id, external_id);

CREATE TABLE member_emails (
    org_id     TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    position   BIGINT  NOT NULL,
    value      TEXT    NOT NULL,
    kind       TEXT,
    is_primary BOOLEAN NOT NULL,
    PRIMARY KEY (org_id, user_id, position)
);
