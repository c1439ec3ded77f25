-- 0006: the second chocolate's checks find an account's follow-ups of a
-- rule through an index.  `once_per` and the rotation of gestures count
-- them for every deal won (lib/rules.c), and without an index each count
-- read every follow-up: 140 ms at 1,000,000, in the scheduler's
-- transaction.  Partial: follow-ups made by hand or imported have no
-- rule and pay nothing for it.
CREATE INDEX followups_account_rule ON followups(account_id, rule)
    WHERE rule IS NOT NULL;
