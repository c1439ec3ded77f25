#!/usr/bin/env bash
# A dead delivery is never silent: with `ops` set, that channel hears of
# it (which delivery, whose, why, and what it said), once per delivery.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"

start_receiver http http && H="http://127.0.0.1:$PORT" || { fail "receiver starts"; finish; exit 1; }
make_hook_secret
make_conf <<CONF
ops = "log";
channels = (
  { name = "log"; type = "log"; },
  { name = "gone"; type = "webhook"; url = "$H/status/410"; secret_file = "hook.secret"; }
);
# All hours: the test must not depend on when it runs.
people = ( { handle = "anna"; notify = [ "gone" ]; hours = "00:00-24:00"; days = "mon-sun"; } );
delivery = { attempts = 3; backoff = "1s"; timeout = "2s"; };
CONF
start_nudged -l d.log
expect_status 0 "a follow-up due now" -- "$NUDGE" followup add "Call Bo" --owner anna --account Acme --in 1s
wait_for "$T/d.log" "is DEAD" 15 && ok "the 410 delivery is dead" || fail "dead" "$(cat "$T/d.log")"
wait_for "$T/d.log" "REMINDER for anna: Delivery nudge-" 10 \
	&& ok "the ops channel hears of the dead delivery" || fail "ops told" "$(cat "$T/d.log")"
contains "$T/d.log" "via gone is dead after 1 attempts: HTTP 410" "it says which channel and why"
contains "$T/d.log" "It said: Call Bo" "and what the reminder said"
first=$(sqlite3 "$T/nudge.db" "SELECT delivery_id FROM deliveries WHERE channel = 'gone' ORDER BY id LIMIT 1")
expect_status 1 "status exits 1 on a dead delivery" -- "$NUDGE" status

# A delivery whose follow-up cannot be read (gone while foreign keys were
# off) fails visibly: dead after its attempts, and ops hears of it by its
# id; the others go on being delivered.  (Telling ops once stopped every
# delivery round here.)
now=$(date +%s)
sqlite3 -cmd ".timeout 5000" "$T/nudge.db" "PRAGMA foreign_keys = OFF; INSERT INTO deliveries (followup_id, channel, delivery_id, next_attempt_at, created_at, updated_at) VALUES (9999, 'gone', 'nudge-9999-0-676f6e65', $now, $now, $now);" \
	|| fail "an outbox row without its follow-up"
expect_status 0 "a follow-up after it (and a wake-up)" -- "$NUDGE" followup add "After the orphan" --owner anna --account Acme --in 1s
wait_for "$T/d.log" "Delivery nudge-9999-0-676f6e65 of follow-up 9999 for (unknown) via gone is dead after 3 attempts: no follow-up with id 9999" 15 \
	&& ok "an outbox row without its follow-up is dead after its attempts, and ops hears of it" || fail "orphan told to ops" "$(tail -5 "$T/d.log")"
contains "$T/d.log" "It said: (it cannot be read)" "saying its text cannot be read"
wait_for "$T/d.log" "It said: After the orphan" 15 && ok "and delivery goes on for the others" || fail "delivery goes on" "$(tail -5 "$T/d.log")"
# Once per dead delivery: by now nudged has run many rounds since the
# first one died and told ops of two more (shown above), and of the first
# still once.
n=$(count "$T/d.log" "REMINDER for anna: Delivery $first of ")
[ -n "$first" ] && [ "$n" = 1 ] && ok "once per dead delivery" || fail "ops told once" "$n messages about '$first'"
finish
