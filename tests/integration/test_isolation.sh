#!/usr/bin/env bash
# Isolation between channels (issue 20, item 3; docs/RELIABILITY.md): a
# receiver that accepts connections and never answers, with 300 reminders
# queued for it, holds only its own share of the transfers; reminders for
# a healthy receiver due after that backlog still arrive within their
# second.  (Before: every slot went to the backlog, oldest first, and the
# healthy ones waited for its timeouts: 5 to 20 s late.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"

# The hanging receiver: accepts, reads nothing, answers nothing; logs a
# line per connection.
"$PY" - "$T/hang.port" "$T/hang.log" <<'PY' &
import os, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(1024)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
log = open(sys.argv[2], "a", buffering=1)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    log.write("accepted\n")
PY
PIDS+=($!)
wait_until 10 '[ -s "$T/hang.port" ]' || { fail "hanging receiver starts"; finish; exit 1; }
HANG="http://127.0.0.1:$(cat "$T/hang.port")"
start_receiver http http && H="http://127.0.0.1:$PORT" || { fail "receiver starts"; finish; exit 1; }

ALL='hours = "00:00-24:00"; days = "mon-sun";'
make_conf <<CONF
channels = (
  { name = "hang"; type = "webhook"; url = "$HANG/"; },
  { name = "well"; type = "webhook"; url = "$H/ok/well"; }
);
people = (
  { handle = "hang"; notify = [ "hang" ]; $ALL },
  { handle = "well"; notify = [ "well" ]; $ALL }
);
delivery = { attempts = 3; backoff = "1s"; max_backoff = "4s"; timeout = "3s"; };
CONF
start_nudged || { finish; exit 1; }

# 300 for the hanging receiver due in 2 s, then a healthy one each second
# from 3 s on: each is due after the whole backlog.
{
	echo "owner,account,text,at"
	for i in $(seq 300); do echo "hang,Acme,Backlog $i,+2s"; done
	for i in 1 2 3 4 5 6; do echo "well,Acme,Healthy $i,+$((i + 2))s"; done
} >"$T/load.csv"
"$NUDGE" import --followups "$T/load.csv" >/dev/null || fail "import the load"

# The positive case first: the backlog really hangs (connections taken,
# attempts timing out) while the healthy ones are due.
wait_until 15 '[ "$(count "$T/hang.log" accepted)" -ge 10 ]' &&
	ok "the hanging receiver holds connections ($(count "$T/hang.log" accepted))" ||
	fail "the hanging receiver holds connections" "$(tail -3 "$LOG")"
wait_for "$LOG" "via hang failed: attempt 1 of 3" 15 &&
	ok "the backlog's attempts time out" || fail "the backlog's attempts time out" "$(tail -3 "$LOG")"

wait_until 40 '[ "$(count "$T/http.log" "\"path\": \"/ok/well\"")" -ge 6 ]'
"$PY" "$HERE/healthy_late.py" "$DB" "$T/http.log" >"$T/late.txt"
read -r nwant ngot worst latest <"$T/late.txt"
[ "$nwant" = 6 ] && [ "$ngot" = 6 ] && ok "all 6 healthy reminders arrived" || fail "healthy reminders arrived" "$(cat "$T/late.txt")"
awk -v l="$worst" 'BEGIN { exit !(l >= 0 && l < 1.6) }' &&
	ok "each within its second of due, beside the backlog (worst ${worst}s)" ||
	fail "healthy on time beside a hanging receiver" "latest: $latest"
# The hanging channel kept to its share: never more connections at once
# than half of the 64 places (two network channels).
held=$(sqlite3 "$DB" "SELECT count(*) FROM deliveries WHERE channel = 'hang' AND state = 'sending'")
[ "$held" -le 64 ] && ok "the hanging channel has at most its share out ($held)" || fail "hanging channel within its share" "$held sending"

kill -TERM "${PIDS[2]}"; wait "${PIDS[2]}" 2>/dev/null
contains "$LOG" "stopped" "nudged stops cleanly"
san_clean "$LOG"
finish
