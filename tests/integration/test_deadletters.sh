#!/usr/bin/env bash
# Dead letters are actionable: a delivery a real receiver refused for good
# (HTTP 410) keeps `nudge status` non-zero, `nudge delivery list --dead`
# says why, and once the receiver is fixed `nudge delivery retry` sends it
# again with the same webhook-id (status goes back to zero); or it is
# dismissed as handled.  Every action is in the delivery's history.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"

make_hook_secret
start_receiver http http --secret "$SECRET" --fixed-file "$T/fixed" && H="http://127.0.0.1:$PORT" \
	|| { fail "receiver starts"; finish; exit 1; }
# A failing delivery waits a minute between tries: a retry that comes
# sooner is the operator's.
make_conf <<CONF
channels = (
  { name = "hook"; type = "webhook"; url = "$H/broken/410"; secret_file = "hook.secret"; },
  { name = "flaky"; type = "webhook"; url = "$H/status/500"; secret_file = "hook.secret"; }
);
people = (
  { handle = "anna"; notify = [ "hook" ]; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "flo"; notify = [ "flaky" ]; hours = "00:00-24:00"; days = "mon-sun"; }
);
delivery = { attempts = 3; backoff = "1m"; max_backoff = "1m"; timeout = "2s"; };
CONF
start_nudged -l d.log
ME=$(id -un)

# state ID: "STATE ATTEMPTS" of delivery ID, as `delivery show --json` says.
state() {
	"$NUDGE" delivery show "$1" --json 2>/dev/null | $PY -c \
	    'import json,sys; d=json.load(sys.stdin); print(d["state"], d["attempts"])' 2>/dev/null
}
# ids_of TEXT: the webhook-ids of the receiver's requests for TEXT, in order.
ids_of() {
	$PY - "$T/http.log" "$1" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if sys.argv[2] in json.loads(r["body"])["data"]["text"]:
        print(r["headers"].get("webhook-id"))
PY
}
add() { "$NUDGE" followup add "$2" --owner "$1" --account Acme --in 1s >/dev/null || fail "followup add $2"; }
dead_count() { "$NUDGE" delivery list --dead --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

expect_status 0 "status exits 0 with nothing dead" -- "$NUDGE" status
script -qec "$NUDGE delivery list" /dev/null >"$T/tty.out" 2>&1
contains "$T/tty.out" "no deliveries" "an empty delivery list says so on a terminal"

# --- dead, listed with its error, status non-zero ---
add anna "Call Bo"
wait_until 15 '[ "$(state 1)" = "dead 1" ]' && ok "the 410 makes delivery 1 dead" || fail "dead" "$(state 1); $(tail -3 "$T/d.log")"
expect_status 1 "status exits 1 while a dead letter is not handled" -- "$NUDGE" status
contains "$T/out" "dead: delivery 1, follow-up 1 via hook after 1 attempts: HTTP 410" "status names the delivery to act on"
expect_status 0 "delivery list --dead" -- "$NUDGE" delivery list --dead
grep -E '^1 +1 +hook +dead +1 +- +HTTP 410$' "$T/out" >/dev/null && ok "list --dead shows id, follow-up, channel, state, attempts, next, error" \
	|| fail "list --dead" "$(cat "$T/out")"
"$NUDGE" delivery list --dead --json >"$T/dead.json"
$PY - "$T/dead.json" <<'PY' >"$T/dead.txt"
import json, sys
d = json.load(open(sys.argv[1]))
print(len(d), d[0]["id"], d[0]["state"], d[0]["attempts"], d[0]["last_error"], d[0]["next_attempt_at"], d[0]["delivery_id"].startswith("nudge-") and d[0]["delivery_id"].endswith("-1-0-" + d[0]["channel"].encode().hex()))
PY
contains "$T/dead.txt" "1 1 dead 1 HTTP 410 None True" "list --dead --json carries the same"

# --- refusals: exit 2, nothing written ---
before=$(db_dump "$DB")
expect_status 2 "retry of an unknown id is refused" -- "$NUDGE" delivery retry 99
contains "$T/err" "no delivery with id 99" "saying there is none"
expect_status 2 "retry with no id" -- "$NUDGE" delivery retry
expect_status 2 "--all-dead is not for dismiss" -- "$NUDGE" delivery dismiss 1 --all-dead
expect_status 2 "a bad id" -- "$NUDGE" delivery dismiss x1
expect_status 2 "a note with a control character" -- "$NUDGE" delivery dismiss 1 --note $'bell\a'
[ "$before" = "$(db_dump "$DB")" ] && ok "the refusals wrote nothing" || fail "refusals wrote nothing"

# --- the receiver is fixed: the retry delivers, with the same webhook-id ---
touch "$T/fixed"
expect_status 0 "delivery retry 1" -- "$NUDGE" delivery retry 1 --note "receiver fixed"
contains "$T/out" "delivery 1 queued again, due now" "retry says what it did"
# nudged is woken: it sleeps until its next due moment, a minute away.
wait_until 10 '[ "$(state 1)" = "delivered 1" ]' && ok "the retried delivery is delivered at once, on a fresh attempt count" \
	|| fail "retried and delivered" "$(state 1); $(tail -3 "$T/d.log")"
ids=$(ids_of "Call Bo" | sort | uniq -c | awk '{print $1}')
[ "$ids" = 2 ] && ok "the receiver saw both attempts with the same webhook-id" || fail "same webhook-id" "$(ids_of "Call Bo")"
expect_status 0 "status exits 0 again after the retry" -- "$NUDGE" status
before=$(db_dump "$DB")
expect_status 2 "a delivered one is not retried" -- "$NUDGE" delivery retry 1
contains "$T/err" "delivery 1 is delivered: only a dead or failing delivery can be retried" "saying why"
expect_status 2 "nor dismissed" -- "$NUDGE" delivery dismiss 1
contains "$T/err" "delivery 1 is delivered, not dead" "saying why"
[ "$before" = "$(db_dump "$DB")" ] && ok "and nothing is written" || fail "nothing written"

# --- dismiss: handled, status zero, the dead letter stays on record ---
rm -f "$T/fixed"
add anna "Mail the quote"
wait_until 15 '[ "$(state 2)" = "dead 1" ]' && ok "delivery 2 is dead" || fail "dead 2" "$(state 2)"
expect_status 1 "status exits 1 again" -- "$NUDGE" status
expect_status 0 "delivery dismiss 2" -- "$NUDGE" delivery dismiss 2 --note "sent it by hand"
contains "$T/out" "delivery 2 dismissed" "dismiss says what it did"
expect_status 0 "status exits 0 after the dismissal" -- "$NUDGE" status
[ "$(dead_count)" = 0 ] && ok "list --dead no longer shows it" || fail "list --dead after dismiss" "$(dead_count)"
"$NUDGE" delivery list >"$T/all.txt"
grep -qE '^2 +2 +hook +dismissed +1 ' "$T/all.txt" && ok "the list shows it dismissed" || fail "dismissed in list" "$(cat "$T/all.txt")"
expect_status 2 "a dismissed one is not dismissed twice" -- "$NUDGE" delivery dismiss 2
contains "$T/err" "delivery 2 is already dismissed" "saying so"

# --- --all-dead: every dead one not dismissed, each with its own id ---
add anna "First of two"
add anna "Second of two"
wait_until 15 '[ "$(dead_count)" = 2 ]' && ok "two more are dead" || fail "two dead" "$(dead_count)"
touch "$T/fixed"
expect_status 0 "delivery retry --all-dead" -- "$NUDGE" delivery retry --all-dead --json
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted((x["id"], x["state"], x["attempts"]) for x in d))' "$T/out" >"$T/all.txt"
contains "$T/all.txt" "[(3, 'queued', 0), (4, 'queued', 0)]" "--all-dead --json: the two dead ones, queued with a fresh count"
wait_until 10 '[ "$(state 3)" = "delivered 1" ] && [ "$(state 4)" = "delivered 1" ]' && ok "both delivered" \
	|| fail "both delivered" "$(state 3) / $(state 4)"
a=$(ids_of "First of two" | sort -u | wc -l); b=$(ids_of "Second of two" | sort -u | wc -l)
[ "$a $b" = "1 1" ] && [ "$(ids_of "First of two" | wc -l)" = 2 ] && ok "each with the webhook-id of its first attempt" || fail "ids kept" "$a $b"
[ "$(state 2)" = "dismissed 1" ] && ok "the dismissed one was left alone" || fail "dismissed left" "$(state 2)"
expect_status 0 "status exits 0" -- "$NUDGE" status
expect_status 0 "--all-dead with nothing dead does nothing" -- "$NUDGE" delivery retry --all-dead
contains "$T/out" "no dead deliveries to retry" "and says so"

# --- a failing delivery: listed, retried now by the operator ---
add flo "Flaky one"
wait_until 15 '[ "$(state 5)" = "retry 1" ]' && ok "a 500 leaves delivery 5 failing" || fail "failing" "$(state 5)"
expect_status 0 "delivery list --failing" -- "$NUDGE" delivery list --failing
grep -E '^5 +5 +flaky +retry +1 +[A-Z][a-z]{2} [0-9-]{10} [0-9:]{5} +HTTP 500$' "$T/out" >/dev/null && ok "list --failing shows its next attempt and error" \
	|| fail "list --failing" "$(cat "$T/out")"
# The list fits the terminal (issue 21): the last error takes what is
# left, cut with "…" on a narrow terminal and whole on a wide one.
widest() { $PY -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$1"; }
COLUMNS=80 "$NUDGE" delivery list >"$T/out"
w=$(widest "$T/out")
[ "$w" -le 80 ] && [ "$(wc -l <"$T/out")" -ge 3 ] && ok "delivery list fits 80 columns ($w)" || fail "delivery list fits 80 columns" "$(cat "$T/out")"
COLUMNS=72 "$NUDGE" delivery list >"$T/out"
w=$(widest "$T/out")
[ "$w" -le 72 ] && grep -q '^2 .*dismissed .* HTT.*…$' "$T/out" && ok "on 72 columns ($w) the error is cut with …" || fail "error cut" "$w: $(cat "$T/out")"
err2=$("$NUDGE" delivery show 2 --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["last_error"])')
COLUMNS=300 "$NUDGE" delivery list | grep -qE -- "^2 .* $err2\$" && ok "a wide terminal shows the whole error ($err2)" || fail "COLUMNS=300" "$err2"
expect_status 0 "delivery retry of a failing one" -- "$NUDGE" delivery retry 5
wait_until 10 '[ "$(ids_of "Flaky one" | wc -l)" = 2 ]' && ok "it is tried again at once, not a minute later" \
	|| fail "failing retried" "$(ids_of "Flaky one" | wc -l)"
wait_until 10 '[ "$(state 5)" = "retry 1" ]' && ok "on a fresh attempt count" || fail "fresh count" "$(state 5)"

# --- the history: who, when, what, the note ---
"$NUDGE" delivery show 1 --json >"$T/h1.json"
$PY - "$T/h1.json" "$ME" <<'PY' >"$T/h1.txt"
import json, sys
d = json.load(open(sys.argv[1]))
for h in d["history"]:
    print(h["event"], h["by"] == sys.argv[2], bool(h["at"]), h["note"], h["was"], h["attempts"], h["last_error"])
PY
contains "$T/h1.txt" "delivery.retried True True receiver fixed dead 1 HTTP 410" "show --json: the retry, by whom, when, the note, what it was"
expect_status 0 "delivery show 2" -- "$NUDGE" delivery show 2
contains "$T/out" "delivery 2  dismissed" "show names the state"
contains "$T/out" "delivery.dismissed  $ME" "the dismissal and who"
contains "$T/out" "note: sent it by hand" "and the note"
contains "$T/out" "error      HTTP 410" "the error stays on record"
"$NUDGE" delivery show 3 --json | $PY -c 'import json,sys; d=json.load(sys.stdin); print([h["event"] for h in d["history"]], d["history"][0]["note"])' >"$T/h3.txt"
contains "$T/h3.txt" "['delivery.retried'] None" "--all-dead is in each one's history"
san_clean "$T/d.log"
finish
