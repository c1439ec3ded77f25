#!/usr/bin/env bash
# The systemd unit: clean under `systemd-analyze verify`, hardened to an
# overall exposure of at most 1.2 under `systemd-analyze security`, runs no
# program a minimal Debian lacks, and its reload command reloads nudged.
. "$(dirname "$0")/lib.sh"

if ! command -v systemd-analyze >/dev/null; then
	fail "systemd-analyze is installed (scripts/deps.sh --test installs systemd)"
	finish; exit
fi
# The unit as installed, pointing at this build's daemon.
unit="$T/nudged.service"
sed "s|@SBINDIR@|$ROOT/$BUILD|" "$ROOT/systemd/nudged.service.in" >"$unit"
out=$(systemd-analyze verify --man=no "$unit" 2>&1)
[ -z "$out" ] && ok "systemd-analyze verify is clean" || fail "systemd-analyze verify" "$out"
score=$(systemd-analyze security --offline=true "$unit" 2>/dev/null |
	sed -n 's/.*Overall exposure level for nudged.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 1.2) }' \
	&& ok "exposure $score <= 1.2" || fail "exposure at most 1.2" "got '$score'"
grep -q '^Type=notify' "$unit" && grep -q '^RestartPreventExitStatus=78' "$unit" &&
	grep -q '^ExecReload=' "$unit" && ok "notify type, no restart loop on a bad config (78), reload by SIGHUP" ||
	fail "unit basics"

# Every other program the unit runs is on a minimal Debian: shipped by an
# Essential package, which the nudge package need not depend on (verify
# fails on a path that is missing, as /bin/kill is without procps).
progs=$(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\(\/[^ ]*\).*/\1/p' "$unit" | grep -v "^$ROOT/")
[ -n "$progs" ] && ok "the unit runs programs besides nudged: $(echo $progs)" ||
	fail "the unit's Exec lines name other programs" "$(grep '^Exec' "$unit")"
for p in $progs; do
	pkg=$(dpkg -S "$p" 2>/dev/null | grep -v '^diversion' | head -1 | cut -d: -f1)
	ess=$(dpkg-query -W -f='${Essential}' "$pkg" 2>/dev/null)
	[ "$ess" = yes ] && ok "$p comes with Essential package $pkg" ||
		fail "$p comes with an Essential package" "package '${pkg:-none}', Essential '${ess:-?}'"
done

# ExecReload as systemd runs it: MAINPID set, a word of its own "$MAINPID"
# substituted, the quotes grouping words.
make_conf <<CONF
channels = ( { name = "log"; type = "log"; } );
CONF
start_nudged -v && ok "nudged starts"
MAINPID=$DPID
reload=$(sed -n 's/^ExecReload=[-@:+!]*//p' "$unit")
eval "set -- $reload"
MAINPID=$MAINPID "$@" && ok "ExecReload runs: $reload" || fail "ExecReload runs" "$reload"
wait_for "$LOG" "configuration reloaded" 5 && ok "and nudged reloads its configuration" ||
	fail "ExecReload reloads nudged" "$(tail -3 "$LOG")"
finish
