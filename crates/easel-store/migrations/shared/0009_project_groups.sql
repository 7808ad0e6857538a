-- User groups say what they are for, and may be assigned to projects at a project role:
-- their members reach the project's boards as project members do.

ALTER TABLE user_groups ADD COLUMN description TEXT NOT NULL DEFAULT '';

CREATE TABLE project_groups (
    project_id TEXT NOT NULL,
    group_id   TEXT NOT NULL,
    role       TEXT NOT NULL,
    PRIMARY KEY (project_id, group_id)
);
CREATE INDEX project_groups_by_group ON project_groups (group_id);
