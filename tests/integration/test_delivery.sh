#!/usr/bin/env bash
# Delivery end to end against real servers on 127.0.0.1 (ephemeral ports):
# an HTTP receiver that verifies Standard Webhooks signatures and plays
# faults by path, and an SMTP server (aiosmtpd).  Each case is one person
# with one channel, so they run side by side while the daemon keeps serving
# the others.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"

make_hook_secret

start_receiver http http --secret "$SECRET" && H="http://127.0.0.1:$PORT" &&
start_receiver smtp smtp && SP=$PORT || { fail "receivers start"; finish; exit 1; }
# A port nobody listens on: bind, learn, close.
REFUSED=$(free_port)

write_conf() {   # $1 = URL for the crash case, $2 = hook-ok's URL
make_conf <<CONF
channels = (
  { name = "log"; type = "log"; },
  { name = "hook-ok"; type = "webhook"; format = "json"; url = "${2:-$H/ok/json}"; secret_file = "hook.secret"; },
  { name = "slack"; type = "webhook"; format = "slack"; url = "$H/ok/slack"; },
  { name = "hook-fail1"; type = "webhook"; url = "$H/fail/1/x"; secret_file = "hook.secret"; },
  { name = "hook-410"; type = "webhook"; url = "$H/status/410"; secret_file = "hook.secret"; },
  { name = "hook-429"; type = "webhook"; url = "$H/retry-after/1/429"; secret_file = "hook.secret"; },
  { name = "hook-refused"; type = "webhook"; url = "http://127.0.0.1:$REFUSED/"; secret_file = "hook.secret"; },
  { name = "hook-hang"; type = "webhook"; url = "$H/hang"; secret_file = "hook.secret"; },
  { name = "hook-crash"; type = "webhook"; url = "$1"; secret_file = "hook.secret"; },
  { name = "mail"; type = "email"; url = "smtp://127.0.0.1:$SP"; from = "nudge <nudge@example.com>"; tls = "none"; }
);
people = (
  { handle = "ok";      notify = [ "hook-ok" ];      hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "chat";    notify = [ "slack" ];        hours = "00:00-24:00"; days = "mon-sun"; name = "Anna <Lind> & co"; },
  { handle = "flaky";   notify = [ "hook-fail1" ];   hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "gone";    notify = [ "hook-410" ];     hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "busy";    notify = [ "hook-429" ];     hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "nobody";  notify = [ "hook-refused" ]; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "slow";    notify = [ "hook-hang" ];    hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "crash";   notify = [ "hook-crash" ];   hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "carl";    notify = [ "mail" ]; email = "carl@example.com"; name = "Carl Öberg";
    hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "bounce";  notify = [ "mail" ]; email = "reject550@example.com"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "later";   notify = [ "mail" ]; email = "temp450@example.com"; hours = "00:00-24:00"; days = "mon-sun"; }
);
delivery = { attempts = 3; backoff = "1s"; max_backoff = "2s"; timeout = "2s"; };
CONF
}
write_conf "$H/hang"
start_nudged -v

add() { "$NUDGE" followup add "$2" --owner "$1" --account "Acme" --in "${3:-1s}" >/dev/null || fail "followup add for $1"; }
state() { sqlite3 "$DB" "SELECT d.state || ' ' || d.attempts FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = '$1'"; }
check_state() { wait_state "$1" "$2" "$3" && ok "$4" || fail "$4" "state '$(state "$1")', wanted '$2'; $(grep -F "$1" "$LOG" | tail -2)"; }

# The crash case first and alone: it needs its request in flight when we
# kill, and no other delivery half-done (that one would be retried, with
# the same id, and count two attempts).
add crash "Crash test"

# A crash while sending: SIGKILL while the request is in flight, restart
# pointing the channel at a receiver that answers: the same delivery id
# arrives again.
if wait_for "$T/http.log" '"path": "/hang"' 10; then
	kill -KILL "$DPID"; wait "$DPID" 2>/dev/null
	write_conf "$H/ok/after-crash"
	"$NUDGED" -v -c "$T/nudge.conf" >>"$LOG" 2>&1 &
	PIDS+=($!); DPID=$!
	wait_for "$LOG" "queued again with their ids" 10 && ok "a restart requeues the interrupted delivery" || fail "requeue after crash" "$(tail -3 "$LOG")"
	check_state crash "delivered 2" 10 "the interrupted delivery is delivered after the restart"
	ids=$($PY - "$T/http.log" <<'PY'
import json, sys
ids = [json.loads(l)["headers"].get("webhook-id") for l in open(sys.argv[1]) if '"/hang"' in l or "after-crash" in l]
print(len(ids), len(set(ids)))
PY
)
	[ "$ids" = "2 1" ] && ok "both attempts carry the same webhook-id" || fail "same webhook-id across the crash" "$ids"
else
	fail "the crash case request arrives"
fi

t0=$(date +%s.%N)
add ok "Signed JSON reminder ✓"
add chat "Ping <@here> & friends"
add flaky "Fails once"
add gone "Receiver says gone"
add busy "Receiver says slow down"
add nobody "Nobody listens"
add carl "Ring Carl about the roof — åäö"
add bounce "Mail that bounces"
add later "Mail that waits"
add slow "Receiver never answers"
check_state ok "delivered 1" 10 "JSON webhook delivered"
$PY - "$T/http.log" "$t0" >"$T/ok.txt" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"] == "/ok/json":
        b = json.loads(r["body"])
        print("sig", r["sig_ok"])
        print("id", r["headers"].get("webhook-id") == b["data"]["delivery_id"])
        print("text", b["data"]["text"])
        print("owner", b["data"]["owner"]["handle"])
        print("account", b["data"]["account"]["name"])
        print("type", b["type"])
        print("ts", r["headers"].get("webhook-timestamp", "").isdigit())
        print("late", r["t"] - float(sys.argv[2]))
PY
contains "$T/ok.txt" "sig True" "the webhook signature verifies (Standard Webhooks)"
contains "$T/ok.txt" "id True" "webhook-id is the delivery id in the body"
contains "$T/ok.txt" "text Signed JSON reminder ✓" "the body carries the text (UTF-8 intact)"
contains "$T/ok.txt" "owner ok" "and the owner"
contains "$T/ok.txt" "account Acme" "and the account"
contains "$T/ok.txt" "ts True" "webhook-timestamp is unix seconds"
late=$(awk '/^late/ {print $2}' "$T/ok.txt")
awk -v l="$late" 'BEGIN { exit !(l < 2.6) }' && ok "due in 1s, arrived after ${late}s (within its second)" || fail "on time" "arrived after ${late}s"

check_state chat "delivered 1" 10 "Slack-format webhook delivered"
$PY - "$T/http.log" >"$T/slack.txt" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["path"] == "/ok/slack":
        b = json.loads(r["body"])
        print("fallback", b["text"].split(" · due ")[0], b["mrkdwn"])
        print("blocks", [x["type"] for x in b["blocks"]])
        print("section", b["blocks"][1]["text"])
        print("context", b["blocks"][2]["elements"][0]["text"])
PY
contains "$T/slack.txt" 'fallback Reminder for Anna &lt;Lind&gt; &amp; co: Ping &lt;@here&gt; &amp; friends — Acme False' "Slack's fallback text: every field escaped, mrkdwn off"
contains "$T/slack.txt" "blocks ['header', 'section', 'context']" "Slack body is Block Kit: header, section, context"
contains "$T/slack.txt" "section {'type': 'plain_text', 'text': 'Ping &lt;@here&gt; &amp; friends'}" "the reminder in a plain_text section, escaped"
contains "$T/slack.txt" "context Acme" "the account in the context"

check_state flaky "delivered 2" 10 "500 then success: delivered on attempt 2"
check_state busy "delivered 2" 10 "429 with Retry-After: retried, then delivered"
check_state gone "dead 1" 10 "410 is dead at once"
sqlite3 "$DB" "SELECT last_error FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'gone'" | grep -q "HTTP 410" \
	&& ok "the dead delivery keeps its last error" || fail "last error HTTP 410"
check_state nobody "dead 3" 15 "connection refused: retried, dead after 3 attempts"
sqlite3 "$DB" "SELECT last_error FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'nobody'" | grep -qi "connect" \
	&& ok "with the connect error as its reason" || fail "refused reason"

check_state slow "dead 3" 20 "a receiver that never answers times out, retried, then dead"
sqlite3 "$DB" "SELECT last_error FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'slow'" | grep -qi "timed out" \
	&& ok "with the timeout as its reason" || fail "timeout reason"
check_state carl "delivered 1" 10 "email delivered over SMTP"
$PY - "$T/smtp.log" >"$T/mail.txt" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print("rcpt", r["rcpt_tos"])
    print("from", r["mail_from"])
    print("subject", r["subject"])
    print("msgid", r["message_id"])
    print("body", r["body"].strip().splitlines()[0])
PY
contains "$T/mail.txt" "rcpt ['carl@example.com']" "to the owner's address"
contains "$T/mail.txt" "from nudge@example.com" "from the channel's sender"
contains "$T/mail.txt" "subject Ring Carl about the roof — åäö" "the UTF-8 subject survives"
contains "$T/mail.txt" "body Ring Carl about the roof — åäö" "the UTF-8 body survives"
mid=$(sqlite3 "$DB" "SELECT delivery_id FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'carl'")
contains "$T/mail.txt" "msgid <$mid@example.com>" "Message-ID is built from the stable delivery id"
check_state bounce "dead 1" 10 "SMTP 550 is dead at once"
sqlite3 "$DB" "SELECT last_error FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'bounce'" | grep -q "SMTP 550" \
	&& ok "with the SMTP reply as its reason" || fail "550 reason"
check_state later "dead 3" 15 "SMTP 450 retries (3 attempts, then dead)"

expect_status 1 "nudge status exits 1 with dead deliveries" -- "$NUDGE" status
contains "$T/out" "dead       5" "status counts the dead"
contains "$T/out" "HTTP 410" "and shows their last errors"
grep -q "$(cat "$T/hook.secret")" "$LOG" && fail "the secret never appears in the log" || ok "the secret never appears in the log"
grep -q "follow-up .* via hook-fail1 failed: attempt 1 of 3" "$LOG" && ok "each failed attempt is logged with attempt and reason" || fail "attempt log line"

# A reload that moves a channel: the easy handles nudged keeps set up for
# a channel (daemon/deliver.c) are set up again after a reload, so the
# next reminder goes to the new address and nothing more to the old one.
write_conf "$H/ok/after-crash" "$H/ok/moved"
kill -HUP "$DPID"
wait_for "$LOG" "configuration reloaded" 5 || fail "reload to move hook-ok" "$(tail -3 "$LOG")"
add ok "After the move"
add ok "After the move, again" 2s
wait_for "$T/http.log" 'After the move, again' 10
$PY - "$T/http.log" >"$T/moved.txt" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if "After the move" in r["body"]:
        print(r["path"], r["sig_ok"])
PY
[ "$(sort -u "$T/moved.txt")" = "/ok/moved True" ] && [ "$(wc -l <"$T/moved.txt")" -eq 2 ] \
	&& ok "after a reload that moves a channel, reminders go to its new URL, signed" \
	|| fail "reload moves a channel" "$(cat "$T/moved.txt")"

# A round the database refuses loses no outcome (here a trigger refuses to
# mark a delivery delivered): the ended transfer is kept, and once the
# database takes it again the next round records it delivered, without
# sending it twice.  Before, its row stayed `sending` until a restart.
SQL() { sqlite3 -cmd ".timeout 5000" "$DB" "$@"; }
refused() { SQL "SELECT d.state || ' ' || d.attempts FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.text = 'Refused once'"; }
SQL "CREATE TRIGGER refuse_delivered BEFORE UPDATE OF state ON deliveries WHEN NEW.state = 'delivered' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
add ok "Refused once"
wait_for "$LOG" "refused by the test" 10 && [ "$(refused)" = "sending 1" ] \
	&& ok "a round the database refuses leaves the row sending" \
	|| fail "the database refuses the outcome" "state '$(refused)'; $(tail -2 "$LOG")"
# A later round is refused too (after the backoff: said at debug level,
# the fault once), so "logged once" and "sent once" below count across
# refused rounds.
wait_for "$LOG" "still failing (error), attempt 2" 10 && [ "$(refused)" = "sending 1" ] \
	&& ok "the next round is refused too, and the row stays sending" \
	|| fail "a second refused round" "$(tail -2 "$LOG"), state '$(refused)'"
[ "$(count "$LOG" "refused by the test")" = 1 ] && ok "the refusal is said once, not at every round" \
	|| fail "refusal said once" "$(count "$LOG" "refused by the test") lines"
SQL "DROP TRIGGER refuse_delivered"
wait_until 10 '[ "$(refused)" = "delivered 1" ]'
[ "$(refused)" = "delivered 1" ] && ok "once the database takes it, the kept outcome is recorded: delivered, attempt 1" \
	|| fail "kept outcome recorded" "state '$(refused)'"
n=$(grep -c 'Refused once' "$T/http.log")
[ "$n" = 1 ] && ok "and the reminder was sent once" || fail "sent once while the database refused" "$n requests"
fid=$(SQL "SELECT id FROM followups WHERE text = 'Refused once'")
n=$(grep -c "delivered follow-up $fid via" "$LOG")
[ "$n" = 1 ] && ok "its outcome is logged once, not at every refused round" || fail "outcome logged once" "$n lines"
finish
