#!/usr/bin/env bash
# Receiver faults (issue 6, item 2): each fault a receiver can throw ends
# as the retry policy says (nudge.conf(5) DELIVERY, daemon/deliver.c): the
# right state, the right number of attempts (counted by nudged and by the
# receiver) and the error text in deliveries.last_error, while healthy
# deliveries keep arriving on time.  test_delivery.sh covers the rest of
# the list: 500 once then success, 410, 429 with Retry-After, connection
# refused, a receiver that never answers, SMTP 450 and 550, a crash while
# sending.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"

make_hook_secret
start_receiver http http --secret "$SECRET" && H="http://127.0.0.1:$PORT" &&
start_receiver smtp smtp && S="smtp://127.0.0.1:$PORT" || { fail "receivers start"; finish; exit 1; }

# One person per fault, each on a channel of its own.
#  owner      url or mail address       ends as        error text in last_error / the log
FAULTS="
e500       $H/status/500               dead 3         HTTP 500
e503       $H/retry-after/3/503        delivered 2    HTTP 503
e503long   $H/retry-after/86400/503    delivered 2    retrying in 4s: HTTP 503
e408       $H/status/408               dead 3         HTTP 408
e301       $H/status/301               dead 1         HTTP 301
ecut       $H/cut                      dead 3         transfer closed with 90 bytes remaining
eclose     $H/close                    dead 3         Empty reply from server
egarbage   $H/garbage                  dead 3         HTTP/0.9
eslow      $H/slowbody/10              dead 3         timed out
m421       temp421@example.com         dead 3         SMTP 421
m450once   once450@example.com         delivered 2    SMTP 450
mdrop      dropdata@example.com        dead 3         response reading failed
mdroponce  droponce@example.com        delivered 2    -
"
ALL='hours = "00:00-24:00"; days = "mon-sun";'
channels="  { name = \"well\"; type = \"webhook\"; url = \"$H/ok/well\"; secret_file = \"hook.secret\"; },
  { name = \"mail\"; type = \"email\"; url = \"$S\"; from = \"nudge@example.com\"; tls = \"none\"; }"
people="  { handle = \"well\"; notify = [ \"well\" ]; $ALL },
  { handle = \"wellmail\"; notify = [ \"mail\" ]; email = \"ok@example.com\"; $ALL }"
while read -r owner target _; do
	case $owner in
	e*) channels+=",
  { name = \"$owner\"; type = \"webhook\"; url = \"$target\"; secret_file = \"hook.secret\"; }"
	    people+=",
  { handle = \"$owner\"; notify = [ \"$owner\" ]; $ALL }";;
	m*) people+=",
  { handle = \"$owner\"; notify = [ \"mail\" ]; email = \"$target\"; $ALL }";;
	esac
done <<<"$FAULTS"
make_conf <<CONF
channels = (
$channels
);
people = (
$people
);
delivery = { attempts = 3; backoff = "1s"; max_backoff = "4s"; timeout = "2s"; };
CONF
start_nudged || { finish; exit 1; }

add() { "$NUDGE" followup add "$2" --owner "$1" --account Acme --in "${3:-1s}" >/dev/null || fail "followup add for $1"; }
q() { sqlite3 "$DB" "$1"; }
state() { q "SELECT d.state || ' ' || d.attempts FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = '$1'"; }

while read -r owner _; do [ -n "$owner" ] && add "$owner" "Fault $owner"; done <<<"$FAULTS"

# Meanwhile: a healthy webhook and a healthy mail every second while the
# faults retry and time out; each must arrive within its second.  (The
# sleep spaces them out: it is the scenario, what passes is checked below.)
for i in 1 2 3 4 5 6 7 8; do
	add well "Healthy $i"
	add wellmail "Healthy mail $i"
	sleep 1
done

ntried=0
while read -r owner _ want_state want_attempts error; do
	[ -n "$owner" ] || continue
	ntried=$((ntried + 1))
	if wait_state "$owner" "$want_state $want_attempts" 25; then
		ok "$owner: $want_state after $want_attempts attempt(s)"
	else
		fail "$owner: $want_state after $want_attempts attempt(s)" "got '$(state "$owner")'; $(grep -F "via $owner " "$LOG" | tail -2)"
		continue
	fi
	[ "$error" = - ] && continue
	if [ "$want_state" = dead ]; then
		last=$(q "SELECT d.last_error FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = '$owner'")
		case $last in *"$error"*) ok "$owner: last_error says '$error'";; *) fail "$owner: last_error says '$error'" "it says '$last'";; esac
	else
		# Delivered clears last_error: the failed attempt is in the log.
		fid=$(q "SELECT id FROM followups WHERE owner = '$owner'")
		grep -E "follow-up $fid via [a-z0-9]+ failed: attempt 1 of 3, .*$error" "$LOG" >/dev/null \
			&& ok "$owner: the failed attempt is logged with '$error'" || fail "$owner: failed attempt logged" "$(grep -F "follow-up $fid " "$LOG")"
	fi
done <<<"$FAULTS"

# What the receivers saw: one request (or message) per attempt, every
# attempt with the same delivery id.
$PY - "$T/http.log" "$T/smtp.log" >"$T/seen.txt" <<'PY'
import json, sys, collections
reqs = collections.defaultdict(list)
for l in open(sys.argv[1]):
    r = json.loads(l)
    reqs[r["path"]].append((r["t"], r["headers"].get("webhook-id"), r["sig_ok"]))
for path, v in sorted(reqs.items()):
    if path.startswith("/ok/well"):
        continue
    ids = {i for _, i, _ in v}
    gaps = [round(b[0] - a[0], 2) for a, b in zip(v, v[1:])]
    print("http", path, len(v), len(ids), all(s for _, _, s in v), gaps)
mails = collections.defaultdict(list)
for l in open(sys.argv[2]):
    r = json.loads(l)
    mails[r["rcpt_tos"][0].split("@")[0]].append((r["message_id"], r["dropped"]))
for who, v in sorted(mails.items()):
    if who != "ok":
        print("smtp", who, len(v), len({m for m, _ in v}), [d for _, d in v])
PY
seen() {  # NAME PATTERN
	grep -qE -- "$2" "$T/seen.txt" && ok "$1" || fail "$1" "$(cat "$T/seen.txt")"
}
seen "500: the receiver saw 3 signed requests with one webhook-id" "^http /status/500 3 1 True"
seen "408: 3 requests, one webhook-id" "^http /status/408 3 1 True"
seen "301: one request, redirects are not followed" "^http /status/301 1 1 True"
seen "cut mid-response: 3 requests, one webhook-id" "^http /cut 3 1 True"
# curl itself tries again once on a fresh connection when a reused one
# dies without an answer: at least 3 requests, still one webhook-id.
seen "closed without an answer: 3 or more requests, one webhook-id" "^http /close ([3-9]|[1-9][0-9]) 1 True"
seen "not HTTP: 3 requests, one webhook-id" "^http /garbage 3 1 True"
seen "slow body: 3 requests, one webhook-id" "^http /slowbody/10 3 1 True"
# Retry-After 3 with backoff 1s: the second try waits for the receiver,
# more than 2 s (the attempt time is rounded down to the second).
gap=$(awk '$2 == "/retry-after/3/503" { gsub(/[\[\]]/, "", $6); print $6 }' "$T/seen.txt")
awk -v g="$gap" 'BEGIN { exit !(g > 2.0 && g < 5.0) }' && ok "503: Retry-After: 3 is honoured (second try after ${gap}s)" || fail "503 Retry-After honoured" "gap '$gap'; $(cat "$T/seen.txt")"
# Retry-After is honoured up to max_backoff (4 s here), not for a day.
gap=$(awk '$2 == "/retry-after/86400/503" { gsub(/[\[\]]/, "", $6); print $6 }' "$T/seen.txt")
awk -v g="$gap" 'BEGIN { exit !(g > 3.0 && g < 6.0) }' && ok "503 with Retry-After: 86400 waits max_backoff (${gap}s), not a day" || fail "Retry-After capped at max_backoff" "gap '$gap'"
seen "SMTP drop after DATA: 3 messages, one Message-ID" "^smtp dropdata 3 1 \[True, True, True\]"
seen "SMTP drop once: sent again with the same Message-ID" "^smtp droponce 2 1 \[True, False\]"
seen "SMTP 450 once: one message, after the retry" "^smtp once450 1 1 \[False\]"
# m421 is dead after its 3 attempts (above) while mail to the same server
# got through (450 once, drop once): had one of its messages been taken,
# the receiver would have logged it.
[ -z "$(grep '^smtp temp421' "$T/seen.txt")" ] && ok "SMTP 421: no message got through" || fail "SMTP 421 got through"

# The healthy ones, on time despite everything above: all 16 in the
# receivers' logs first (they are due long before the faults end).
healthy_in() { [ "$(count "$T/http.log" '"path": "/ok/well"')" -ge 8 ] && [ "$(count "$T/smtp.log" ok@example.com)" -ge 8 ]; }
wait_until 20 healthy_in
"$PY" "$HERE/healthy_late.py" "$DB" "$T/http.log" "$T/smtp.log" >"$T/healthy.txt"
read -r nwant ngot worst latest <"$T/healthy.txt"
[ "$nwant" = 16 ] && [ "$ngot" = 16 ] && ok "all 16 healthy reminders arrived during the faults" || fail "healthy reminders arrived" "$(cat "$T/healthy.txt")"
awk -v l="$worst" 'BEGIN { exit !(l >= 0 && l < 1.6) }' && ok "each within its second (worst ${worst}s after due)" || fail "healthy on time" "latest: $latest"

expect_status 1 "nudge status exits 1 with dead deliveries" -- "$NUDGE" status
ndead=$(grep -c ' dead ' <<<"$FAULTS")
contains "$T/out" "dead       $ndead" "status counts the $ndead dead"
kill -0 "${PIDS[2]}" && ok "nudged is still running" || fail "nudged is still running"
kill -TERM "${PIDS[2]}"; wait "${PIDS[2]}" 2>/dev/null
contains "$LOG" "stopped" "nudged stops cleanly"
san_clean "$LOG"
echo "faults tried: $ntried (plus 9 in test_delivery.sh)"
finish
