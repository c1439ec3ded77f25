#!/usr/bin/env bash
# Crash safety (issue 6, item 1).
#
# 1. A burst of N follow-ups to a local webhook receiver while nudged is
#    killed with SIGKILL at random moments, KILLS times, and restarted each
#    time: in the end every follow-up reached the receiver at least once,
#    every copy of one carries the same webhook-id (the delivery id in the
#    database), and nothing is left undelivered.  Prints the duplicates.
# 2. SIGKILL during `nudge import` of a big CSV, at spread-out moments: the
#    database holds the whole file or none of it (and then is unchanged).
#
# The long version (make reliability-long) raises the numbers:
#   NUDGE_CRASH_N (2000), NUDGE_CRASH_KILLS (20), NUDGE_CRASH_SPREAD (20 s
#   over which the burst falls due), NUDGE_CRASH_IMPORT_ROWS (50000),
#   NUDGE_CRASH_IMPORT_KILLS (6).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"
N=${NUDGE_CRASH_N:-2000}
KILLS=${NUDGE_CRASH_KILLS:-20}
SPREAD=${NUDGE_CRASH_SPREAD:-20}
IMPORT_ROWS=${NUDGE_CRASH_IMPORT_ROWS:-50000}
IMPORT_KILLS=${NUDGE_CRASH_IMPORT_KILLS:-6}

make_hook_secret
start_receiver http http --secret "$SECRET" || { fail "receiver starts"; finish; exit 1; }
H="http://127.0.0.1:$PORT"

# The receiver takes 500 ms per request, so with nudged's 64 connections
# (128 a second against 100 falling due) there are deliveries in flight
# most of the time: kills interrupt them.
make_conf <<CONF
channels = ( { name = "hook"; type = "webhook"; url = "$H/delay/500/crash"; secret_file = "hook.secret"; } );
people = ( { handle = "anna"; notify = [ "hook" ]; hours = "00:00-24:00"; days = "mon-sun"; } );
delivery = { attempts = 100; backoff = "1s"; max_backoff = "1s"; timeout = "10s"; };
CONF

run=0
start_daemon() {
	run=$((run + 1))
	"$NUDGED" -c "$T/nudge.conf" >"$T/nudged.$run.log" 2>&1 &
	DPID=$!
	PIDS+=("$DPID")
}
start_daemon
wait_for "$T/nudged.1.log" "ready" 10 || { fail "nudged starts" "$(cat "$T/nudged.1.log")"; finish; exit 1; }

# The burst: N follow-ups falling due over SPREAD seconds from 2 s on.
$PY - "$N" "$SPREAD" >"$T/burst.csv" <<'PY'
import sys, time
n, spread = int(sys.argv[1]), float(sys.argv[2])
t0 = int(time.time()) + 2
print("owner,account,text,at")
for i in range(n):
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t0 + int(i * spread / n)))
    print(f"anna,Crash AB,Crash {i},{at}")
PY
expect_status 0 "import a burst of $N follow-ups" -- "$NUDGE" import --followups "$T/burst.csv"
wait_for "$T/http.log" "Crash" 10 || fail "the burst starts arriving"

# SIGKILL at random moments (counted from the restart, so some land while
# nudged is still starting), restarting it each time.
kills=0
while [ $kills -lt "$KILLS" ]; do
	# The scenario: a random moment to kill at (the checks wait below).
	sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.05 + (r % 146) / 100 }')"
	kill -KILL "$DPID"
	wait "$DPID" 2>/dev/null
	kills=$((kills + 1))
	start_daemon
done
wait_for "$T/nudged.$run.log" "ready" 10 || fail "nudged starts after the last kill" "$(cat "$T/nudged.$run.log")"
ok "nudged killed with SIGKILL $kills times and restarted"

delivered() { sqlite3 "$DB" "SELECT count(*) FROM deliveries WHERE state = 'delivered'" 2>/dev/null; }
wait_until 90 '[ "$(delivered)" = "$N" ]'
left=$(sqlite3 "$DB" "SELECT state, count(*) FROM deliveries WHERE state != 'delivered' GROUP BY state")
[ -z "$left" ] && [ "$(sqlite3 "$DB" "SELECT count(*) FROM deliveries")" = "$N" ] \
	&& ok "all $N deliveries are delivered in the end" || fail "all delivered" "left: $left"
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null
san_clean "$T"/nudged.*.log

# The restarts that found deliveries interrupted in flight.
interrupted=$(cat "$T"/nudged.*.log | grep -c "interrupted by a stop are queued again")
requeued=$(cat "$T"/nudged.*.log | sed -n 's/.* \([0-9]*\) deliveries interrupted by a stop.*/\1/p' | awk '{s += $1} END {print s + 0}')
[ "$interrupted" -ge $((KILLS / 4)) ] && ok "$interrupted of the kills interrupted deliveries in flight ($requeued requeued)" \
	|| fail "kills interrupted deliveries in flight" "only $interrupted"

$PY - "$T/http.log" "$DB" "$N" >"$T/crash.txt" <<'PY'
import json, sqlite3, sys, collections
n = int(sys.argv[3])
db = sqlite3.connect(sys.argv[2])
want = dict(db.execute("SELECT f.text, d.delivery_id FROM deliveries d JOIN followups f ON f.id = d.followup_id"))
ids = collections.defaultdict(set)
requests = bad_sig = mismatch = 0
for l in open(sys.argv[1]):
    r = json.loads(l)
    if not r["path"].endswith("/crash"):
        continue
    requests += 1
    body = json.loads(r["body"])
    hid = r["headers"].get("webhook-id")
    ids[body["data"]["text"]].add(hid)
    bad_sig += r["sig_ok"] is not True
    mismatch += hid != body["data"]["delivery_id"] or hid != want.get(body["data"]["text"])
print("followups", len(want))
print("missing", sum(1 for t in want if t not in ids))
print("several_ids", sum(1 for v in ids.values() if len(v) > 1))
print("mismatch", mismatch)
print("bad_sig", bad_sig)
print("requests", requests)
print("duplicates", requests - len(ids))
PY
val() { awk -v k="$1" '$1 == k { print $2 }' "$T/crash.txt"; }
[ "$(val followups)" = "$N" ] && ok "the database holds $N follow-ups, no more" || fail "follow-ups in the database" "$(val followups)"
[ "$(val missing)" = 0 ] && ok "every follow-up reached the receiver at least once" || fail "none missing" "$(val missing) missing"
[ "$(val several_ids)" = 0 ] && ok "each follow-up always came with one webhook-id" || fail "one webhook-id per follow-up" "$(val several_ids) with several"
[ "$(val mismatch)" = 0 ] && ok "the webhook-id is the delivery id in the body and the database" || fail "webhook-id matches" "$(val mismatch)"
[ "$(val bad_sig)" = 0 ] && ok "every request is signed correctly" || fail "signatures" "$(val bad_sig) bad"
[ "$(sqlite3 "$DB" "PRAGMA integrity_check")" = ok ] && ok "the database passes the integrity check" || fail "integrity check"
echo "crash: $N follow-ups, $kills kills, $(val requests) requests, $(val duplicates) duplicates (same webhook-id), $interrupted kills mid-delivery"

# 2. SIGKILL during an import.  No daemon: only the CLI's transaction.
cat >"$T/imp.conf" <<CONF
database = "imp.db";
runtime_dir = "run";
channels = ( { name = "log"; type = "log"; } );
people = ( { handle = "anna"; hours = "00:00-24:00"; days = "mon-sun"; } );
CONF
"$NUDGE" -c "$T/imp.conf" -d "$T/seed.db" deal add "Seed" --account "Seed AB" --owner anna >/dev/null &&
"$NUDGE" -c "$T/imp.conf" -d "$T/seed.db" followup add "Seed follow-up" --owner anna --account "Seed AB" --in 1d >/dev/null ||
	fail "seed database"
seed_dump=$(db_dump "$T/seed.db")
$PY - "$IMPORT_ROWS" >"$T/big.csv" <<'PY'
import sys, time
t0 = int(time.time()) + 86400
print("owner,account,text,at")
for i in range(int(sys.argv[1])):
    print(f"anna,Import {i % 100} AB,Import {i},{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t0 + i))}")
PY
imported() { sqlite3 "$1" "SELECT count(*) FROM followups WHERE text LIKE 'Import %'"; }
# How long a whole import takes here, to spread the kills over its first
# 85 % (later ones would often find it done: timing varies on a busy box).
cp "$T/seed.db" "$T/imp.db"
t=$(date +%s%N)
"$NUDGE" -c "$T/imp.conf" import --followups "$T/big.csv" >/dev/null || fail "a whole import"
ms=$((($(date +%s%N) - t) / 1000000))
[ "$(imported "$T/imp.db")" = "$IMPORT_ROWS" ] && ok "an uninterrupted import takes ${ms} ms for $IMPORT_ROWS rows" || fail "whole import count"
mid=0 none=0 whole=0 torn=0
for k in $(seq 1 "$IMPORT_KILLS"); do
	rm -f "$T"/imp.db*
	cp "$T/seed.db" "$T/imp.db"
	"$NUDGE" -c "$T/imp.conf" import --followups "$T/big.csv" >/dev/null 2>&1 &
	ipid=$!
	# The scenario: a moment spread over the import's usual run.
	sleep "$(awk -v ms="$ms" -v k="$k" -v n="$IMPORT_KILLS" 'BEGIN { printf "%.3f", 0.85 * ms * (k - 0.5) / n / 1000 }')"
	kill -0 "$ipid" 2>/dev/null && mid=$((mid + 1))
	kill -KILL "$ipid" 2>/dev/null
	wait "$ipid" 2>/dev/null
	c=$(imported "$T/imp.db")
	if [ "$c" = 0 ] && [ "$(db_dump "$T/imp.db")" = "$seed_dump" ]; then none=$((none + 1))
	elif [ "$c" = "$IMPORT_ROWS" ]; then whole=$((whole + 1))
	else torn=$((torn + 1)); fail "kill $k during import: $c of $IMPORT_ROWS rows (or other changes)"; fi
	[ "$(sqlite3 "$T/imp.db" "PRAGMA integrity_check")" = ok ] || fail "kill $k during import: integrity check"
done
[ "$torn" = 0 ] && ok "$IMPORT_KILLS kills during import: $none left nothing, $whole left the whole file, none in between" || true
[ "$mid" -ge $(((IMPORT_KILLS + 1) / 2)) ] && ok "$mid of the kills landed while the import ran" || fail "kills landed mid-import" "only $mid of $IMPORT_KILLS"
expect_status 0 "the database works after the kills" -- "$NUDGE" -c "$T/imp.conf" import --followups "$T/big.csv"
echo "import kills: $IMPORT_KILLS ($mid mid-import): $none none, $whole whole, $torn torn"
finish
