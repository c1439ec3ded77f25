-- 0003: which folded message (a digest, or the list of reminders missed
-- while nudged was down) carried a follow-up.  A folded follow-up has no
-- delivery rows of its own; this column is how `nudge followup show` and
-- the consistency checks find the message that did reach the person.
ALTER TABLE followups ADD COLUMN folded_into INTEGER REFERENCES followups(id);
