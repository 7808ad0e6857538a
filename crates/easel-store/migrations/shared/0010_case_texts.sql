-- What a legal case and a hold are about: a case's description, a hold's name and
-- description (rows written before are empty). A deleted case has no rows.

ALTER TABLE cases ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE legal_holds ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE legal_holds ADD COLUMN description TEXT NOT NULL DEFAULT '';
