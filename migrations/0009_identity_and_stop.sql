-- 0009: a nudge database says it is one, and a clean stop is recorded.
--
-- application_id (the SQLite header's bytes 68-71) is "NUDG": nudge
-- refuses a SQLite file whose id is another's (lib/store_ident.c), and
-- file(1) and others can tell what the file is.  Older nudge databases
-- get it here; a database made from now on gets it at creation, as every
-- migration runs then.  The pragma is written in this step's transaction.
PRAGMA application_id = 1314210887;

-- When nudged last stopped cleanly (after SIGTERM, its deliveries in
-- flight drained); NULL while it runs or after a crash.  `nudge status`
-- tells a stop from a crash by it (lib/runstate.c).
ALTER TABLE daemon ADD COLUMN stopped_at INTEGER;
