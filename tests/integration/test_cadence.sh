#!/usr/bin/env bash
# Stay in touch, replayed with NUDGE_NOW and `nudged --once`: a quiet
# account's reminder goes to its owner inside working hours; a touch
# withdraws a reminder that is due but not yet sent, and starts the clock
# again; paused accounts wait; a deal won, a promise kept and a follow-up
# done are touches; `nudge accounts` puts the overdue first.
. "$(dirname "$0")/lib.sh"

make_log_conf Europe/Stockholm <<CONF
people = (
  { handle = "anna"; hours = "09:00-17:00"; days = "mon-fri"; },
  { handle = "bo"; hours = "09:00-17:00"; days = "mon-fri"; }
);
cadences = (
  { name = "key"; every = "30d"; accounts = [ "Acme AB", "Beta", "Gamma", "Delta" ]; owner = "anna"; },
  { name = "others"; every = "90d"; }
);
CONF
once() { NUDGE_NOW="$1" "$NUDGED" --once -c "$T/nudge.conf" >"$T/once.log" 2>&1 || fail "nudged --once at $1" "$(tail -3 "$T/once.log")"; }
sent() { count "$T/once.log" "REMINDER for anna: Stay in touch with $1:"; }
remind() { sqlite3 "$DB" "SELECT datetime(remind_at, 'unixepoch') FROM followups f JOIN accounts a ON a.id = f.account_id WHERE a.name = '$1' AND f.state = 'pending' AND f.rule = 'cadence:key'"; }

# Touched on Friday 2026-01-02 at 15:00: 30 days on is Sunday 02-01, so
# the reminder waits for Monday 09:00, the start of anna's hours.
export NUDGE_NOW="2026-01-02T15:00:00+01:00"
for a in "Acme AB" Beta Gamma Delta; do
	"$NUDGE" contact "$a" --with Eva >/dev/null || fail "contact $a"
done
r=$(remind "Acme AB")
[ "$r" = "2026-02-02 08:00:00" ] && ok "a quiet account's reminder: 30 days on, moved into working hours (Monday 09:00 local)" || fail "reminder moment" "$r"
"$NUDGE" account pause Gamma >/dev/null || fail "pause Gamma"
"$NUDGE" account pause Delta --until 2026-03-01 >/dev/null || fail "pause Delta"
[ -z "$(remind Gamma)" ] && ok "a paused account has no reminder" || fail "paused Gamma" "$(remind Gamma)"
r=$(remind Delta)
[ "$r" = "2026-03-02 08:00:00" ] && ok "paused until Sunday 03-01: reminded on the Monday after" || fail "Delta's moment" "$r"
once "2026-01-20T10:00:00+01:00"
[ "$(grep -c REMINDER "$T/once.log")" = 0 ] && ok "nothing goes out while the accounts are not quiet" || fail "early" "$(cat "$T/once.log")"

# 09:00 Monday: both reminders are due, neither sent yet.  Beta is
# called first: its reminder is withdrawn; Acme's, in the same run, goes.
once "2026-02-02T08:59:00+01:00"
[ "$(sent "Acme AB")" = 0 ] && ok "not a minute before anna's hours" || fail "sent before hours" "$(cat "$T/once.log")"
NUDGE_NOW="2026-02-02T09:00:10+01:00" "$NUDGE" contact Beta --note "called" >"$T/out" || fail "contact Beta"
contains "$T/out" "stay in touch by Wed 2026-03-04 09:00" "the touch starts the clock again"
once "2026-02-02T09:00:20+01:00"
[ "$(sent "Acme AB")" = 1 ] && ok "Acme AB, quiet for 30 days, is reminded of at 09:00" || fail "Acme's reminder" "$(cat "$T/once.log")"
[ "$(sent Beta)" = 0 ] && ok "Beta's reminder, due but not yet sent when the touch came, is withdrawn" || fail "Beta reminded" "$(cat "$T/once.log")"
w=$(sqlite3 "$DB" "SELECT state || ' ' || note FROM followups WHERE occurrence LIKE 'cadence:account:2:%' ORDER BY id LIMIT 1")
[ "$w" = "cancelled withdrawn: a touch moved its moment" ] && ok "the withdrawn reminder says why" || fail "withdrawn" "$w"
once "2026-02-02T09:30:00+01:00"
[ "$(grep -c REMINDER "$T/once.log")" = 0 ] && ok "a reminder goes once" || fail "twice" "$(cat "$T/once.log")"

# Who is going quiet: the overdue first.
export NUDGE_NOW="2026-02-10T12:00:00+01:00"
"$NUDGE" accounts >"$T/acc"
head -2 "$T/acc" | tail -1 | grep -q "^Acme AB .*OVERDUE 8 days" && ok "nudge accounts: the overdue account first, with its days" || fail "accounts order" "$(cat "$T/acc")"
contains "$T/acc" "paused" "paused accounts are shown as paused"
"$NUDGE" accounts --quiet --format csv >"$T/csv"
[ "$(wc -l <"$T/csv")" = 2 ] && grep -q '^"Acme AB",.*,"anna","Eva","38","key","30d","anna",' "$T/csv" && ok "--quiet --format csv: the overdue one, with its last touch and by whom" || fail "csv" "$(cat "$T/csv")"
"$NUDGE" accounts --owner bo --json >"$T/json"
[ "$(jq length "$T/json")" = 0 ] && ok "--owner bo: none of anna's" || fail "--owner" "$(cat "$T/json")"

# A deal won, a promise kept and a follow-up done are touches.
"$NUDGE" deal add "Roof" --account "Acme AB" --owner bo >/dev/null
"$NUDGE" deal won 1 >/dev/null
by=$("$NUDGE" accounts --json | jq -r '.[] | select(.account == "Acme AB") | "\(.by) \(.days_since) \(.overdue)"')
[ "$by" = "bo 0 false" ] && ok "a deal won is a touch: by its owner, the clock reset" || fail "deal won touch" "$by"
"$NUDGE" promise add "Send offer" --account Omega --owner bo --due "2026-02-20" >/dev/null
NUDGE_NOW="2026-02-11T12:00:00+01:00" "$NUDGE" promise kept 1 >/dev/null
NUDGE_NOW="2026-02-11T12:00:00+01:00" "$NUDGE" followup add "Check in" --account Psi --owner anna --in 1h >/dev/null
NUDGE_NOW="2026-02-11T14:00:00+01:00" "$NUDGE" followup done 1 >/dev/null
n=$(sqlite3 "$DB" "SELECT group_concat(source || ':' || owner, ' ') FROM (SELECT source, owner FROM contacts WHERE source <> 'contact' ORDER BY id)")
[ "$n" = "deal:bo promise:bo followup:anna" ] && ok "a promise kept and a follow-up done are touches too" || fail "touches" "$n"

# Bad input writes nothing.
before=$(db_dump "$DB")
expect_status 2 "contact without an owner where no cadence names one" -- "$NUDGE" contact "Zeta"
expect_status 2 "contact --at in the future" -- "$NUDGE" contact "Acme AB" --at "+2d"
expect_status 2 "pause of an unknown account" -- "$NUDGE" account pause "Nobody"
expect_status 2 "pause --until in the past" -- "$NUDGE" account pause Beta --until 2026-01-01
expect_status 2 "accounts --format xml" -- "$NUDGE" accounts --format xml
[ "$before" = "$(db_dump "$DB")" ] && ok "refused input wrote nothing" || fail "refused input wrote"

finish
