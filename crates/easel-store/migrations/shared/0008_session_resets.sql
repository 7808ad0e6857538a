-- Sessions an organization reset: a session acting in that organization that began at or
-- before `at_ms` is ended there (and only there).

CREATE TABLE session_resets (
    org_id   TEXT   NOT NULL,
    user_id  TEXT   NOT NULL,
    at_ms    BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
