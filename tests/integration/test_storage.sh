#!/usr/bin/env bash
# Storage faults (issue 20, item 4; docs/RELIABILITY.md): a database file
# removed or replaced under nudged is noticed within a heartbeat, said in
# one line, and nudged exits 1 (systemd starts it again on the right
# file); a full disk is backed off (one line when it begins, one when it
# clears, little CPU) and the work waiting is written once there is room.
. "$(dirname "$0")/lib.sh"

FULL="$T/full"
trap 'umount "$FULL" 2>/dev/null; cleanup' EXIT

# conf DIR: a log channel (nothing on the network), the database in DIR.
conf() {
	mkdir -p "$1" "$T/run"
	cat >"$T/nudge.conf" <<CONF
database = "$1/nudge.db";
runtime_dir = "run";
channels = ( { name = "log"; type = "log"; } );
people = ( { handle = "anna"; notify = [ "log" ]; hours = "00:00-24:00"; days = "mon-sun"; } );
CONF
}
export NUDGE_CONFIG="$T/nudge.conf"
add() { "$NUDGE" followup add "$1" --owner anna --account Acme --in "${2:-1s}" >/dev/null || fail "followup add $1"; }
# With a watchdog of 2 s nudged beats every second: the bound below.
start_nudged() {
	LOG="$T/$1.log"
	WATCHDOG_USEC=2000000 "$NUDGED" -c "$T/nudge.conf" >"$LOG" 2>&1 &
	NPID=$!
	PIDS+=($NPID)
	wait_for "$LOG" "ready" 10 || fail "nudged starts" "$(cat "$LOG")"
}
# exits_1 NAME TEXT: nudged exits 1 within 3 s with one line saying TEXT.
exits_1() {
	if wait_until 3 '! kill -0 $NPID 2>/dev/null'; then
		wait $NPID; rc=$?
		[ $rc = 1 ] && ok "$1: nudged exits 1 within a heartbeat" || fail "$1: nudged exits 1" "exit $rc; $(tail -3 "$LOG")"
	else
		fail "$1: nudged exits within a heartbeat" "still running; $(tail -3 "$LOG")"
		kill $NPID 2>/dev/null
	fi
	[ "$(count "$LOG" "$2")" = 1 ] && ok "$1: one line says so" || fail "$1: one line says '$2'" "$(tail -3 "$LOG")"
}

# 1. The database's directory removed.  First it works.
conf "$T/data"
start_nudged gone
add "Before the removal"
wait_for "$LOG" "REMINDER for anna: Before the removal" 10 && ok "gone: a reminder goes out first" || fail "gone: reminder first" "$(tail -3 "$LOG")"
rm -rf "$T/data"
exits_1 "directory removed" "is gone (No such file or directory)"

# 2. The database file replaced by another (a restore from a backup).
conf "$T/data2"
start_nudged replaced
add "Before the replacement"
wait_for "$LOG" "REMINDER for anna: Before the replacement" 10 && ok "replaced: a reminder goes out first" || fail "replaced: reminder first"
cp "$T/data2/nudge.db" "$T/data2/copy.db" && mv "$T/data2/copy.db" "$T/data2/nudge.db"
exits_1 "file replaced" "was replaced by another file"

# 3. The disk full, on a small tmpfs (root only: skipped otherwise).
mkdir -p "$FULL"
if ! mount -t tmpfs -o size=4m tmpfs "$FULL" 2>"$T/mount.err"; then
	echo "  skip disk full: cannot mount a tmpfs here ($(cat "$T/mount.err"))"
	finish
	exit
fi
conf "$FULL/db"
start_nudged full
for i in 1 2 3 4 5; do add "Full $i" 3s; done
# Before the fault nudge status is healthy: the positive case of the
# fault's line below.
"$NUDGE" status >"$T/status" 2>&1 && ! grep -q fault "$T/status" &&
	ok "full: status healthy before the fault" || fail "full: status before" "$(cat "$T/status")"
due=$(sqlite3 "$FULL/db/nudge.db" "SELECT max(remind_at) FROM followups")
dd if=/dev/zero of="$FULL/fill" bs=64k 2>/dev/null
wait_for "$LOG" "database or disk is full" 10 && ok "full: the fault is met (and said)" || fail "full: the fault is met" "$(tail -3 "$LOG")"
cpu() { awk '{ print $14 + $15 }' "/proc/$NPID/stat"; }
cpu0=$(cpu)
# Five seconds of the fault: the backoff tries at 1, 2 and 4 s.
wait_until 15 '[ "$(date +%s)" -ge $((due + 6)) ]'
cpu1=$(cpu)
n=$(grep -c "nudged\[warning\]" "$LOG")
[ "$n" -le 2 ] && ok "full: $n warning line(s) over 5 s of the fault" || fail "full: at most 2 warnings" "$n; $(sort "$LOG" | uniq -c | sort -rn | head -2)"
ticks=$((cpu1 - cpu0))
[ "$ticks" -le 30 ] && ok "full: nudged used $ticks ticks of CPU over the fault" || fail "full: CPU stays low" "$ticks ticks"
kill -0 $NPID && ok "full: nudged keeps running" || fail "full: nudged keeps running"
# nudge status says it, from the lock file nudged wrote in place (the
# database cannot take it): exit 1, the fault named, in --json too.
"$NUDGE" status >"$T/status" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "fault    database fault (disk full)" "$T/status" &&
	ok "full: nudge status names the fault and exits 1" || fail "full: status names the fault" "exit $rc: $(cat "$T/status")"
"$NUDGE" --json status 2>/dev/null | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)["daemon"]; sys.exit(0 if d["state"] == "running" and "disk full" in d["fault"] else 1)' &&
	ok "full: status --json carries the fault" || fail "full: --json fault" "$("$NUDGE" --json status 2>&1)"
delivered() { sqlite3 "$FULL/db/nudge.db" "SELECT count(*) FROM deliveries WHERE state = 'delivered'" 2>/dev/null; }
[ "$(delivered)" = 0 ] && ok "full: nothing written while full" || fail "full: nothing written" "$(delivered)"
rm -f "$FULL/fill"
# The backoff is at most 30 s; after 7 s of fault the next try is within 8.
wait_until 40 '[ "$(delivered)" = 5 ]' && ok "full: room again, the 5 reminders go out and are written" || fail "full: written after room" "$(delivered) delivered; $(tail -3 "$LOG")"
wait_for "$LOG" "the fault (disk full) cleared" 5 && ok "full: one line says the fault cleared" || fail "full: cleared line" "$(tail -3 "$LOG")"
"$NUDGE" status >"$T/status" 2>&1 && ! grep -q fault "$T/status" &&
	ok "full: status healthy again" || fail "full: status after" "$(cat "$T/status")"
kill -TERM $NPID; wait $NPID 2>/dev/null
contains "$LOG" "stopped" "full: nudged stops cleanly"
finish
