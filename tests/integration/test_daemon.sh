#!/usr/bin/env bash
# nudged end to end: it starts on a fresh database, a CLI write wakes it,
# reminders reach the log channel on time, rules fire, one daemon per
# database, a bad config exits 78, SIGHUP with a broken config keeps the
# old one, SIGTERM stops it cleanly.
. "$(dirname "$0")/lib.sh"

make_log_conf UTC <<CONF
people = ( { handle = "anna"; timezone = "Asia/Tokyo"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "log" ]; } );
rules = ( { name = "thank-you"; on = "deal.won"; after = "1s";
            message = "Say thank you to {{account}} for {{deal}}."; } );
CONF

start_nudged -v && ok "nudged starts on a fresh database"

expect_status 1 "a second nudged on the same database refuses" -- "$NUDGED" -c "$T/nudge.conf"
contains "$T/err" "already" "and says another one runs"

expect_status 0 "followup add --in 2s" -- "$NUDGE" followup add "Call Bo" --owner anna --account Acme --in 2s
start=$SECONDS
if wait_for "$LOG" "REMINDER for anna: Call Bo" 6; then
	ok "the reminder arrives on the log channel (after $((SECONDS - start))s)"
else
	fail "the reminder arrives" "$(tail -5 "$LOG")"
fi
contains "$LOG" "delivered follow-up 1 via log" "the delivery outcome is logged"
# Log lines carry UTC stamps, also after nudged worked in anna's zone
# (it sets TZ for that: local time in the log would be Tokyo's).
stamp=$(grep -m1 "delivered follow-up 1 via log" "$LOG" | cut -d' ' -f1)
skew=$(( $(date -u +%s) - $(date -u -d "$stamp" +%s 2>/dev/null || echo 0) ))
if [[ $stamp =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] && (( skew >= 0 && skew < 120 )); then
	ok "log lines are stamped in UTC ($stamp)"
else
	fail "log lines are stamped in UTC" "stamp '$stamp', $skew s from now"
fi

expect_status 0 "deal add" -- "$NUDGE" deal add "Roof" --account Acme --owner anna
expect_status 0 "deal won" -- "$NUDGE" deal won 1
wait_for "$LOG" "Say thank you to Acme for Roof" 6 && ok "the deal.won rule fires" || fail "the deal.won rule fires" "$(tail -5 "$LOG")"

expect_status 0 "status with the daemon running" -- "$NUDGE" status --json
contains "$T/out" '"alive": true' "status says alive"

expect_status 0 "notify-test queues a test reminder" -- "$NUDGE" notify-test anna
wait_for "$LOG" "REMINDER for anna: Test reminder for anna from nudge notify-test" 5 \
	&& ok "the daemon sends the test reminder at once" || fail "notify-test delivered" "$(tail -3 "$LOG")"
expect_status 2 "notify-test for an unknown person" -- "$NUDGE" notify-test zed

# A backup taken while the daemon delivers a burst is consistent.
{ echo "owner,account,text,at"; for i in $(seq 1 2000); do echo "anna,Burst,Burst $i,2026-01-01 00:00"; done; } >"$T/burst.csv"
expect_status 0 "import a burst of 2000 follow-ups already due" -- "$NUDGE" import --followups "$T/burst.csv"
wait_for "$LOG" "Burst" 5
expect_status 0 "db backup while the daemon delivers" -- "$NUDGE" db backup "$T/backup.db"
[ "$(sqlite3 "$T/backup.db" "PRAGMA integrity_check")" = ok ] && ok "the backup passes the integrity check" || fail "backup integrity"
n=$(sqlite3 "$T/backup.db" "SELECT count(*) FROM followups WHERE text LIKE 'Burst %'")
[ "$n" = 2000 ] && ok "the backup holds the whole burst" || fail "backup burst count" "$n"
# Each notified follow-up has its own outbox row, or was folded into a
# message that has one.
bad=$(sqlite3 "$T/backup.db" "SELECT count(*) FROM followups f WHERE f.state = 'notified' AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.followup_id = coalesce(f.folded_into, f.id))")
[ "$bad" = 0 ] && ok "every notified follow-up in the backup has its outbox row" || fail "backup consistency" "$bad"
expect_status 1 "db backup never overwrites" -- "$NUDGE" db backup "$T/backup.db"
# Folded, the burst makes fewer than 2000 deliveries: wait until no
# follow-up of it is pending and nothing is queued, sending or retrying.
burst_left() { sqlite3 "$T/nudge.db" "SELECT (SELECT count(*) FROM followups WHERE text LIKE 'Burst %' AND state = 'pending') + (SELECT count(*) FROM deliveries WHERE state IN ('queued', 'sending', 'retry'))" 2>/dev/null; }
wait_until 60 '[ "$(burst_left)" = 0 ]'
[ "$(burst_left)" = 0 ] && [ "$(sqlite3 "$T/nudge.db" "SELECT count(*) FROM deliveries WHERE state != 'delivered'")" = 0 ] \
	&& ok "the whole burst is delivered" || fail "burst delivered" "$(burst_left) follow-ups or deliveries left"
grep -q "folding them into one message" "$LOG" && ok "a long-missed burst is folded, not flooded" || true

# Replaying: restart the daemon; nothing is scheduled or sent twice.
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null
contains "$LOG" "stopped" "SIGTERM stops it cleanly"
"$NUDGED" -c "$T/nudge.conf" -v >"$LOG.2" 2>&1 &
PIDS+=($!)
DPID=$!
wait_for "$LOG.2" "ready" 10 || fail "nudged restarts" "$(cat "$LOG.2")"
n=$(sqlite3 "$T/nudge.db" "SELECT count(*) FROM followups WHERE rule = 'thank-you'")
[ "$n" = 1 ] && ok "a restart does not duplicate rule follow-ups" || fail "no duplicates after restart" "count $n"
# What was sent before would go out again in the first rounds after the
# start, ahead of anything due later: a follow-up due a second after the
# restart is sent (the daemon delivers, and has handled those rounds), and
# it is the only reminder in the new log.
expect_status 0 "a follow-up due after the restart" -- "$NUDGE" followup add "After the restart" --owner anna --account Acme --in 1s
wait_for "$LOG.2" "REMINDER for anna: After the restart" 10 && ok "it is sent by the restarted daemon" || fail "sent after a restart" "$(tail -3 "$LOG.2")"
[ "$(count "$LOG.2" REMINDER)" = 1 ] && ok "nothing is sent twice after a restart" || fail "nothing is sent twice after a restart" "$(grep REMINDER "$LOG.2" | head -3)"

# SIGHUP with a broken config: keep running on the old one.
cp "$T/nudge.conf" "$T/good.conf"
echo 'bogus_key = 1;' >>"$T/nudge.conf"
kill -HUP "$DPID"
wait_for "$LOG.2" "keeping the running configuration" 5 && ok "SIGHUP with a broken config keeps the old one" || fail "SIGHUP broken config" "$(tail -3 "$LOG.2")"
expect_status 0 "still serving after the failed reload" -- "$NUDGE" -c "$T/good.conf" followup add "After reload" --owner anna --account Acme --in 1s
wait_for "$LOG.2" "REMINDER for anna: After reload" 5 && ok "reminders still arrive" || fail "reminders after failed reload"
kill -0 "$DPID" && ok "the daemon is still running" || fail "the daemon is still running"

expect_status 78 "nudged --check-config on a bad config exits 78" -- "$NUDGED" --check-config -c "$T/nudge.conf"
contains "$T/err" "bogus_key" "and names the key"
expect_status 0 "nudged --check-config on the example config" -- "$NUDGED" --check-config -c "$ROOT/etc/nudge.conf"
cp "$T/good.conf" "$T/nudge.conf"

# --once: handle what is due and exit (cron users, tests).
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null
"$NUDGE" followup add "Once" --owner anna --account Acme --in 1s >/dev/null
# Wall-clock time passes until it is due (no daemon runs to send it).
due=$(sqlite3 "$T/nudge.db" "SELECT remind_at FROM followups WHERE text = 'Once'")
wait_until 10 '[ "$(date +%s)" -ge "${due:-0}" ]' && [ -n "$due" ] || fail "the follow-up for --once falls due" "remind_at '$due'"
expect_status 0 "nudged --once" -- "$NUDGED" --once -c "$T/nudge.conf"
contains "$T/err" "REMINDER for anna: Once" "--once delivers what is due"
finish
