-- 0004: the outbox's state index holds only the rows still to deliver.
-- Delivered rows were nearly all of deliveries_state_next, so it grew with
-- the history and every delivery moved its entry twice (queued -> sending
-- -> delivered).  Now a delivered row leaves the index: the index stays
-- the size of the backlog.  Queries that want it say state <> 'delivered'
-- (SQLite uses a partial index only for a query that repeats its WHERE
-- term); lib/outbox.c does.
DROP INDEX deliveries_state_next;
CREATE INDEX deliveries_open ON deliveries(state, next_attempt_at)
    WHERE state <> 'delivered';
