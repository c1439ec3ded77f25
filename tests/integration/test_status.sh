#!/usr/bin/env bash
# What an operator is told, and what nudge leaves alone: `nudge status`
# asks the scheduler's lock, not the clock, and names each state (never
# started, running, stuck, stopped, crashed) at once; a SQLite file that
# is not nudge's is refused untouched; reading never makes a database;
# config check says when the database's directory is missing.
. "$(dirname "$0")/lib.sh"

make_conf <<CONF
channels = ( { name = "log"; type = "log"; } );
people = ( { handle = "anna"; notify = [ "log" ]; hours = "00:00-24:00"; days = "mon-sun"; } );
CONF

# --- reading never makes a database ---
for cmd in "agenda" "deal list" "promise list" "followup list" "report" "export" "status" "db check" "db backup $T/b.db"; do
	expect_status 1 "with no database yet, '$cmd' fails" -- "$NUDGE" $cmd
	contains "$T/err" "no nudge database here yet" "'$cmd' says there is none yet"
	contains "$T/err" "nudge db migrate" "'$cmd' says how to make one"
done
ls "$T"/nudge.db* >/dev/null 2>&1 && fail "reading made no database" "$(ls "$T")" || ok "reading made no database"
expect_status 1 "nudge -d typo.db agenda fails" -- "$NUDGE" -d "$T/typo.db" agenda
ls "$T"/typo.db* >/dev/null 2>&1 && fail "nudge -d typo.db agenda creates nothing" "$(ls "$T")" || ok "nudge -d typo.db agenda creates nothing"
# The same path, written to, is made: what reading did not do it would.
expect_status 0 "a write makes the database" -- "$NUDGE" -d "$T/typo.db" deal add Roof --account Acme --owner anna
[ -s "$T/typo.db" ] && ok "the write made typo.db" || fail "the write made typo.db"
[ "$(sqlite3 "$T/typo.db" 'PRAGMA application_id')" = 1314210887 ] \
	&& ok "a new database carries nudge's application_id" || fail "application_id" "$(sqlite3 "$T/typo.db" 'PRAGMA application_id')"

# --- somebody else's file is refused, byte for byte as it was ---
sqlite3 "$T/other.db" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');"
printf 'not a database at all\n' >"$T/text.db"
sqlite3 "$T/app.db" "PRAGMA application_id = 42; CREATE TABLE events (x);"
for f in other.db text.db app.db; do
	sum=$(sha256sum <"$T/$f")
	for cmd in "deal list" "agenda" "status" "db check" "db migrate" "deal add Roof --account Acme --owner anna" "followup add Call --owner anna --account Acme --in 1h" "export"; do
		expect_status 2 "$f: '$cmd' is refused" -- "$NUDGE" -d "$T/$f" $cmd
	done
	contains "$T/err" "nudge leaves it as it is" "$f: the refusal says it is left alone"
	[ "$(sha256sum <"$T/$f")" = "$sum" ] && ok "$f is byte for byte as it was" || fail "$f changed"
done
[ "$(sqlite3 "$T/other.db" "SELECT count(*) FROM sqlite_master")" = 1 ] && ok "no nudge table was added to other.db" \
	|| fail "tables added to other.db" "$(sqlite3 "$T/other.db" .tables)"
printf 'title,account,owner\nGutter,Beta,anna\n' >"$T/deals.csv"
expect_status 2 "import into other.db is refused" -- "$NUDGE" -d "$T/other.db" import --deals "$T/deals.csv"

# --- config check: the database's directory must exist ---
expect_status 1 "config check with the database in a missing directory" -- "$NUDGE" -d "$T/nowhere/nudge.db" config check
contains "$T/err" "database directory $T/nowhere does not exist" "config check names the missing directory"
contains "$T/err" "install -d" "and says what to do"
expect_status 0 "config check with the directory there" -- "$NUDGE" config check
contains "$T/out" "configuration OK" "config check says OK then"

# --- status: never started, running, stuck, stopped, crashed ---
expect_status 0 "a follow-up makes the database" -- "$NUDGE" followup add "Call Bo" --owner anna --account Acme --in 2h
expect_status 1 "status before nudged ever ran exits 1" -- "$NUDGE" status
contains "$T/out" "daemon     never started" "status names never started"

start_nudged() {
	"$NUDGED" -c "$T/nudge.conf" >>"$T/d.log" 2>&1 &
	NPID=$!
	PIDS+=("$NPID")
	wait_count "$T/d.log" "ready" "$1" 10 || fail "nudged starts" "$(tail -3 "$T/d.log")"
}
start_nudged 1
expect_status 0 "status with nudged running exits 0" -- "$NUDGE" status --json
contains "$T/out" '"state": "running"' "status says running"
contains "$T/out" "\"pid\": $NPID" "with nudged's pid"
contains "$T/out" '"alive": true' "and alive"

# Stuck: the lock held (SIGSTOP) and the heartbeat old.  The clock moved
# 4 minutes on stands for 4 minutes of waiting.
kill -STOP "$NPID"
expect_status 0 "stopped by SIGSTOP, at first it still looks running" -- "$NUDGE" status
contains "$T/out" "daemon     running" "running while its heartbeat is fresh"
later=$(date -d '+4 minutes' '+%Y-%m-%dT%H:%M:%S%z')
expect_status 1 "a heartbeat 4 minutes old with the lock held: status exits 1" -- env NUDGE_NOW="$later" "$NUDGE" status --json
contains "$T/out" '"state": "stuck"' "status says stuck"
contains "$T/out" '"alive": true' "stuck is still alive"
kill -CONT "$NPID"

kill -TERM "$NPID"
wait "$NPID" 2>/dev/null
t0=$(date +%s%N)
expect_status 1 "status right after nudged stopped exits 1" -- "$NUDGE" status
t1=$(date +%s%N)
contains "$T/out" "daemon     stopped" "status says stopped (the heartbeat is seconds old)"
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 1000 ] && ok "and says so within a second ($ms ms)" || fail "status took $ms ms"
expect_status 1 "status --json after the stop" -- "$NUDGE" status --json
contains "$T/out" '"state": "stopped"' "--json says stopped"
contains "$T/out" '"alive": false' "--json says not alive"

start_nudged 2
expect_status 0 "running again" -- "$NUDGE" status
kill -KILL "$NPID"
wait "$NPID" 2>/dev/null
expect_status 1 "status right after SIGKILL exits 1" -- "$NUDGE" status
contains "$T/out" "daemon     crashed" "status says crashed"
expect_status 1 "status --json after SIGKILL" -- "$NUDGE" status --json
contains "$T/out" '"state": "crashed"' "--json says crashed"
# Status probes the lock, never makes it: nudged made nudge.db's.
[ -e "$DB.lock" ] && ok "nudged made its lock file" || fail "no lock file from nudged"
expect_status 1 "status of typo.db, where nudged never ran" -- "$NUDGE" -d "$T/typo.db" status
contains "$T/out" "daemon     never started" "it was never started there"
[ -e "$T/typo.db.lock" ] && fail "status made a lock file" || ok "status makes no lock file"
finish
