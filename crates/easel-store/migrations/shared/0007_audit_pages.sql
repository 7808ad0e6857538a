-- The audit log is paged by id within an organization, oldest or newest first: this index
-- lets a page start at its cursor and read only its own rows in either order (both
-- backends walk a B-tree backwards as readily as forwards).
CREATE INDEX audit_by_org_id ON audit (org, id);
