-- A session acts in the one organization it was started for (NULL: every organization of
-- its user, for sessions an unrestricted service started). Personal tokens use the
-- existing `tokens.org_id` the same way.

ALTER TABLE sessions ADD COLUMN org_id TEXT;
