-- 0010: each database's own identity, and the follow-ups a folded
-- message carried found without a scan.
--
-- database_id: 128 random bits as 32 lower-case hex digits, from the
-- kernel's getrandom() (nudge_random_id(), which lib/migrate.c gives the
-- connection that migrates).  It is part of every delivery id made from
-- now on (lib/outbox.c), so two installs, or a database and a copy rebuilt
-- beside it from CSV files, never send the same webhook-id or Message-ID
-- for different reminders.  A database made from now on gets it at
-- creation, as every migration runs then; an import of an export into an
-- empty database takes the export's (lib/restore.c).  Rows already in
-- the outbox keep the ids they have: a retry sends the same id as before.
ALTER TABLE daemon ADD COLUMN database_id TEXT;
UPDATE daemon SET database_id = nudge_random_id() WHERE id = 1;

-- The items of a folded message (a digest, the list of reminders missed
-- while nudged was down) are listed in its webhook body with their ids.
-- Partial: only folded follow-ups are in it, so no other write of the
-- table pays for it; `folded_into = ?` implies NOT NULL, so SQLite uses it.
CREATE INDEX followups_folded ON followups(folded_into)
	WHERE folded_into IS NOT NULL;
