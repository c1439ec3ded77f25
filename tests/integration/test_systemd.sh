#!/usr/bin/env bash
# The systemd unit: clean under `systemd-analyze verify`, and hardened to an
# overall exposure of at most 1.5 under `systemd-analyze security`.
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
[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }' \
	&& ok "exposure $score <= 1.5" || fail "exposure at most 1.5" "got '$score'"
grep -q '^Type=notify' "$unit" && grep -q '^RestartPreventExitStatus=78' "$unit" &&
	grep -q '^ExecReload=' "$unit" && ok "notify type, no restart loop on a bad config (78), reload by SIGHUP" ||
	fail "unit basics"
finish
