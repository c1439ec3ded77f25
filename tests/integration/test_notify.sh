#!/usr/bin/env bash
# nudged speaks systemd's notify protocol: READY=1 when it serves,
# WATCHDOG=1 at half of WATCHDOG_USEC with a STATUS= line (queued, failing,
# dead, next due), RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 at
# SIGTERM.  A real datagram socket stands in for systemd's.
. "$(dirname "$0")/lib.sh"

SOCK="$T/notify.sock"
MSGS="$T/notify.log"
# Each datagram on one line, fields joined by '|'.
"$PY" -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    out.write("listening\n")
    while True:
        out.write(s.recv(4096).decode().strip().replace("\n", "|") + "\n")
' "$SOCK" "$MSGS" &
PIDS+=($!)
wait_for "$MSGS" "listening" 10 || { fail "notify receiver starts"; finish; exit 1; }

make_conf <<CONF
people = ( { handle = "anna"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "log" ]; } );
channels = ( { name = "log"; type = "log"; } );
CONF
LOG="$T/nudged.log"

# WATCHDOG_USEC of 2 s: a beat every second.
NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=2000000 "$NUDGED" -c "$T/nudge.conf" >"$LOG" 2>&1 &
PIDS+=($!)
DPID=$!
wait_for "$MSGS" "READY=1" 10 && ok "READY=1 once it serves" || fail "READY=1" "$(cat "$LOG")"

"$NUDGE" followup add "Call Bo" --owner anna --account Acme --at "2030-01-02 03:04" >/dev/null
want="next due 2030-01-02T03:04:00+00:00"
wait_for "$MSGS" "$want" 5 && ok "the watchdog beat's STATUS says what is next ($want)" ||
	fail "STATUS names the next due moment" "$(tail -3 "$MSGS")"
grep -q '^WATCHDOG=1|STATUS=0 queued, 0 failing, 0 dead; next due ' "$MSGS" &&
	ok "STATUS counts queued, failing and dead deliveries" || fail "STATUS counts" "$(tail -3 "$MSGS")"
# The time from one beat to the second after it: two intervals, 2 s when
# nudged beats every second (1.5 to 2.5 s here; at every 2 s, or every
# half second, it is twice or half that).
beats0=$(count "$MSGS" WATCHDOG=1)
ms() { echo $(($(date +%s%N) / 1000000)); }
if wait_count "$MSGS" WATCHDOG=1 $((beats0 + 1)) 10 && t1=$(ms) &&
   wait_count "$MSGS" WATCHDOG=1 $((beats0 + 3)) 10 && t2=$(ms); then
	(( t2 - t1 >= 1500 && t2 - t1 <= 2500 )) && ok "a beat every second for WATCHDOG_USEC=2s (2 beats in $((t2 - t1)) ms)" ||
		fail "beats at half the watchdog interval" "2 beats in $((t2 - t1)) ms"
else
	fail "beats at half the watchdog interval" "fewer than 3 beats in 20 s: $(tail -3 "$MSGS")"
fi

kill -HUP "$DPID"
wait_for "$MSGS" "RELOADING=1" 5 && ok "RELOADING=1 at SIGHUP" || fail "RELOADING=1" "$(tail -3 "$MSGS")"
ready_again() { sed -n '/RELOADING=1/,$p' "$MSGS" | grep -q '^READY=1'; }
wait_until 5 ready_again && ok "READY=1 again after the reload" ||
	fail "READY=1 after the reload" "$(tail -3 "$MSGS")"

kill -TERM "$DPID"
wait "$DPID"; rc=$?
[ "$rc" -eq 0 ] && ok "SIGTERM: exit 0" || fail "SIGTERM: exit 0" "exit $rc"
stopping() { grep -q '^STOPPING=1' "$MSGS"; }
wait_until 5 stopping && ok "STOPPING=1 at SIGTERM" || fail "STOPPING=1" "$(tail -3 "$MSGS")"
finish
