#!/usr/bin/env bash
# Concurrency (issue 6, item 3): WORKERS `nudge` processes writing N
# records each (one record per process: follow-ups falling due at once and
# promises, alternately) while nudged runs and delivers the follow-ups.
# Every record is there afterwards, every process exited 0 and printed
# nothing on stderr (no SQLITE_BUSY, no "database is locked"), and the
# daemon delivered every follow-up without a warning.
#
# NUDGE_CONC_WORKERS (8) and NUDGE_CONC_N (1000 per worker; 100 when the
# binaries are a sanitizer build, BUILD=*asan*, where each process takes
# several times as long to start) set the size.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"
WORKERS=${NUDGE_CONC_WORKERS:-8}
case $BUILD in *asan*|*san*) N=${NUDGE_CONC_N:-100};; *) N=${NUDGE_CONC_N:-1000};; esac

make_conf <<CONF
channels = ( { name = "log"; type = "log"; } );
people = ( { handle = "anna"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "log" ]; } );
CONF
"$NUDGE" deal add "Concurrency" --account "Conc AB" --owner anna >/dev/null || fail "seed the database"
start_nudged || { finish; exit 1; }

worker() {
	local w=$1 i rc
	for i in $(seq 1 "$N"); do
		if [ $((i % 2)) = 1 ]; then
			"$NUDGE" followup add "Conc $w-$i" --owner anna --account "Conc AB" --in 1s >/dev/null 2>>"$T/err.$w"
		else
			"$NUDGE" promise add "Conc $w-$i" --owner anna --deal 1 --due +30d >/dev/null 2>>"$T/err.$w"
		fi
		rc=$?
		[ $rc = 0 ] || echo "worker $w record $i: exit $rc" >>"$T/fail.$w"
	done
}
t=$SECONDS
wpids=()
for w in $(seq 1 "$WORKERS"); do
	: >"$T/err.$w"
	worker "$w" &
	wpids+=($!)
done
for p in "${wpids[@]}"; do wait "$p"; done
took=$((SECONDS - t))
total=$((WORKERS * N))
nfu=$((WORKERS * ((N + 1) / 2)))

cat "$T"/fail.* >"$T/fails" 2>/dev/null
[ ! -s "$T/fails" ] && ok "all $total nudge processes exited 0 (${took}s)" || fail "every process exits 0" "$(wc -l <"$T/fails") failed: $(head -3 "$T/fails")"
cat "$T"/err.* >"$T/errs"
[ ! -s "$T/errs" ] && ok "none printed anything on stderr" || fail "no stderr" "$(sort "$T/errs" | uniq -c | sort -rn | head -3)"
grep -qiE "busy|locked" "$T/errs" && fail "no SQLITE_BUSY / database is locked" "$(grep -iE "busy|locked" "$T/errs" | head -2)" || ok "no SQLITE_BUSY, no 'database is locked'"
got=$(sqlite3 "$DB" "SELECT (SELECT count(DISTINCT text) FROM followups WHERE text LIKE 'Conc %') + (SELECT count(DISTINCT text) FROM promises WHERE text LIKE 'Conc %')")
rows=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM followups WHERE text LIKE 'Conc %') + (SELECT count(*) FROM promises WHERE text LIKE 'Conc %')")
[ "$got" = "$total" ] && [ "$rows" = "$total" ] && ok "all $total records are in the database, each once" || fail "all records present" "$got distinct, $rows rows, wanted $total"

delivered() { sqlite3 "$DB" "SELECT count(*) FROM deliveries WHERE state = 'delivered'" 2>/dev/null; }
wait_until 60 '[ "$(delivered)" -ge "$nfu" ]'
n=$(sqlite3 "$DB" "SELECT count(*) FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE d.state = 'delivered' AND f.text LIKE 'Conc %'")
[ "$n" = "$nfu" ] && ok "nudged delivered all $nfu follow-ups meanwhile" || fail "all follow-ups delivered" "$n of $nfu"
grep -q "warning" "$LOG" && fail "nudged logged no warning" "$(grep warning "$LOG" | head -3)" || ok "nudged logged no warning (no busy database, no failed batch)"
kill -0 "$DPID" && ok "nudged is still running" || fail "nudged is still running"
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null
contains "$LOG" "stopped" "nudged stops cleanly"
san_clean "$LOG"
[ "$(sqlite3 "$DB" "PRAGMA integrity_check")" = ok ] && ok "integrity check" || fail "integrity check"
echo "concurrency: $WORKERS workers x $N records = $total processes in ${took}s, 0 busy"
finish
