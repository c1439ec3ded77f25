#!/usr/bin/env bash
# The promise ledger end to end, replayed over three weeks with NUDGE_NOW
# and `nudged --once`: the target and why, renegotiating in time (and not
# after the due date), the second chocolate (rotation per account, one per
# account per period, done in its window with a note), `nudge report` on a
# fixture with known answers (text, CSV, JSON, the weekly trend, --plot),
# and the weekly summary.
. "$(dirname "$0")/lib.sh"

make_log_conf Europe/Stockholm <<CONF
weekly_summary = "fri 16:00";
people = (
  { handle = "anna"; hours = "08:00-17:00"; days = "mon-fri"; },
  { handle = "erik"; hours = "08:00-17:00"; days = "mon-fri"; }
);
rules = (
  { name = "second-chocolate"; on = "deal.won"; after = "1bd"; at = "10:00";
    second_chocolate = true; window = "1w"; once_per = "2d";
    gestures = [ "a note", "a tip", "a book" ];
    message = "Come back to {{account}} with {{gesture}}: how is {{deal}}?"; }
);
CONF
at() { export NUDGE_NOW="$1"; }
once() { NUDGE_NOW="$1" "$NUDGED" --once -c "$T/nudge.conf" >"$T/once.log" 2>&1 || fail "nudged --once at $1" "$(tail -3 "$T/once.log")"; }
n() { "$NUDGE" "$@" >/dev/null || fail "nudge $*" "$(cat "$T/err" 2>/dev/null)"; }
jget() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$@"; }

# Monday 2 November 2026, 09:00 in Stockholm.
at "2026-11-02T09:00:00+01:00"
expect_status 0 "promise add" -- "$NUDGE" promise add "Send the offer" --owner anna --account Acme --due "fri 17:00" --to Bo
contains "$T/out" "why     target Thu 15:00, 11 working hours before the Fri 17:00 you promised" "promise add says the target and why"

# Renegotiated in time: the new date, counted as renegotiated, in the history.
expect_status 0 "renegotiate before the due date" -- "$NUDGE" --json promise renegotiate 1 --due "2026-11-13 17:00" --note "Bo wants the new price list in it"
[ "$(jget "$T/out" 'd["due_at"]')" = "2026-11-13T17:00:00+01:00" ] && ok "the due date moved" || fail "renegotiated due" "$(cat "$T/out")"
[ "$(jget "$T/out" 'd["target_at"]')" = "2026-11-11T08:00:00+01:00" ] && ok "the target is worked out afresh" || fail "renegotiated target" "$(cat "$T/out")"
expect_status 0 "promise show" -- "$NUDGE" promise show 1
contains "$T/out" "note: Bo wants the new price list in it" "the history has the note"
contains "$T/out" "due moved from Fri 2026-11-06 17:00" "the history has the old date"
expect_status 2 "renegotiating to a past date is refused" -- "$NUDGE" promise renegotiate 1 --due "2026-10-01"
expect_status 2 "renegotiate needs --due" -- "$NUDGE" promise renegotiate 1

n promise add "Call back with the measurements" --owner anna --account Acme --due "2026-11-03 12:00"
n promise add "Deliver the drawings" --owner anna --account Acme --due "2026-11-20 17:00"
n promise add "Order the tiles" --owner anna --account Acme --due "2026-11-19 17:00"
n promise add "Install the gutter" --owner anna --account Acme --due "2026-12-04 17:00"
n promise add "Send the invoice" --owner anna --account Beta --due "2026-11-18 17:00"
n promise add "Visit" --owner anna --account Beta --due "2026-11-25 17:00"
n promise cancel 7
n promise add "Photos" --owner erik --account Beta --due "2026-11-27 17:00"
n deal add "Roof" --account Acme --owner anna
n deal won 1
n deal add "Sauna" --account Beta --owner anna
n deal won 2
once "2026-11-02T09:00:30+01:00"

# Tuesday 10:00: the second chocolates go out, each account's first gesture.
once "2026-11-03T10:00:00+01:00"
contains "$T/once.log" "REMINDER for anna: Come back to Acme with a note: how is Roof?" "second chocolate for Acme with its first gesture"
contains "$T/once.log" "REMINDER for anna: Come back to Beta with a note: how is Sauna?" "second chocolate for Beta with its own first gesture"

# Wednesday: too late for promise 2, which can now only be kept or broken.
at "2026-11-04T10:00:00+01:00"
before=$(db_dump "$DB")
expect_status 2 "renegotiating after the due date is refused" -- "$NUDGE" promise renegotiate 2 --due "2026-11-10"
contains "$T/err" "can only be kept (late) or broken" "says why"
[ "$before" = "$(db_dump "$DB")" ] && ok "the refused renegotiation wrote nothing" || fail "refused renegotiation wrote"
n promise kept 2
choc1=$(sqlite3 "$DB" "SELECT id FROM followups WHERE rule = 'second-chocolate' AND deal_id = 1")
expect_status 0 "followup done with an outcome note" -- "$NUDGE" followup done "$choc1" --note "brought photos of the finished roof"
expect_status 0 "followup show" -- "$NUDGE" followup show "$choc1"
contains "$T/out" "brought photos of the finished roof" "the note is kept"

# Thursday: two more deals with Acme.  The first gets the next gesture;
# the second, within once_per of it, gets none.
at "2026-11-05T09:00:00+01:00"
n deal add "Porch" --account Acme --owner anna
n deal won 3
at "2026-11-05T09:30:00+01:00"
n deal add "Shed" --account Acme --owner anna
n deal won 4
once "2026-11-05T09:31:00+01:00"
t=$(sqlite3 "$DB" "SELECT text FROM followups WHERE rule = 'second-chocolate' AND deal_id = 3")
[ "$t" = "Come back to Acme with a tip: how is Porch?" ] && ok "the same account gets the next gesture" || fail "gesture rotation" "$t"
c=$(sqlite3 "$DB" "SELECT count(*) FROM followups WHERE rule = 'second-chocolate' AND deal_id = 4")
[ "$c" = 0 ] && ok "at most one second chocolate per account per period" || fail "once_per" "count $c"

at "2026-11-09T09:00:00+01:00"
n promise kept 1
f1=$("$NUDGE" --json followup add "Call Bo" --owner anna --account Acme --at "2026-11-10 09:00" | jget /dev/stdin 'd["id"]')
f2=$("$NUDGE" --json followup add "Email Bo" --owner anna --account Acme --at "2026-11-11 09:00" | jget /dev/stdin 'd["id"]')
at "2026-11-10T10:00:00+01:00"
n followup done "$f1"
n followup snooze "$f2" 1d
once "2026-11-12T09:00:00+01:00"
at "2026-11-19T18:00:00+01:00"
n promise broken 4
at "2026-11-20T10:00:00+01:00"
n followup done "$(sqlite3 "$DB" "SELECT id FROM followups WHERE rule = 'second-chocolate' AND deal_id = 3")"
n promise kept 8
at "2026-11-20T16:00:00+01:00"
n promise kept 3

# Friday 16:00: the weekly summary, in the report's words.
once "2026-11-20T16:05:00+01:00"
contains "$T/once.log" "REMINDER for anna: Your week in promises and follow-ups" "the weekly summary goes out"
contains "$T/once.log" "Ledger from 2026-11-13 to 2026-11-20 16:00" "it covers the week"
once "2026-11-20T16:10:00+01:00"
grep -q "Your week" "$T/once.log" && fail "one weekly summary a week" || ok "one weekly summary a week"

# The report on Monday 23 November, with answers worked out by hand.
at "2026-11-23T10:00:00+01:00"
expect_status 0 "report --json" -- "$NUDGE" --json report --since 2026-11-01
cp "$T/out" "$T/report.json"
a='d["owners"][0]'
check() { # NAME EXPR WANT
	local got; got=$(jget "$T/report.json" "$2")
	[ "$got" = "$3" ] && ok "$1" || fail "$1" "got $got, want $3"
}
check "owners by handle" '[o["owner"] for o in d["owners"]]' "['anna', 'erik']"
check "anna: promises by outcome" "[$a['promises'][k] for k in ('kept_early','kept_on_time','kept_late','renegotiated','broken','open','overdue')]" "[1, 1, 1, 1, 1, 1, 1]"
check "anna: median days kept before due" "round($a['promises']['median_days_early'], 4)" "0.0417"
check "anna: follow-ups done, snoozed, missed" "[$a['followups'][k] for k in ('done','snoozed','missed')]" "[3, 1, 2]"
check "anna: second chocolate" "[$a['second_chocolate'][k] for k in ('won_deals','done_in_window','done_late','open')]" "[4, 1, 1, 1]"
check "anna: second-chocolate coverage" "$a['second_chocolate']['coverage']" "0.25"
check "erik: kept early" 'd["owners"][1]["promises"]["kept_early"]' "1"
check "team: sums" '[d["team"]["promises"][k] for k in ("kept_early","broken")]' "[2, 1]"
check "weekly trend" '[(w["week"][:10], w["settled"], w["on_time"]) for w in d["trend"]]' "[('2026-10-26', 0, 0), ('2026-11-02', 1, 0), ('2026-11-09', 1, 1), ('2026-11-16', 3, 1), ('2026-11-23', 0, 0)]"
check "sparkline" 'd["sparkline"]' "·▁█▃·"

expect_status 0 "report (text)" -- "$NUDGE" report --since 2026-11-01 --owner anna
contains "$T/out" "·▁█▃·" "the text report draws the trend"
grep -qE '^anna +1 +1 +1 +1 +1 +1 +1 0.0d early$' "$T/out" && grep -qE '^anna +3 +1 +2 +4 +1 +25 %$' "$T/out" && ok "the text rows" || fail "text rows" "$(grep anna "$T/out")"
expect_status 0 "report --format csv" -- "$NUDGE" report --since 2026-11-01 --format csv
[ "$(sed -n 4p "$T/out")" = '"team","2","1","1","1","1","1","1","","3","1","2","4","1","1","1","0.250"' ] \
	&& ok "CSV team row" || fail "CSV team row" "$(cat "$T/out")"
[ "$(wc -l <"$T/out")" = 4 ] && ok "CSV: header, one row per owner, team" || fail "CSV rows"
expect_status 2 "report --format xml is refused" -- "$NUDGE" report --format xml
expect_status 2 "report --since in the future is refused" -- "$NUDGE" report --since 2027-01-01
expect_status 2 "report for an unknown owner" -- "$NUDGE" report --owner zed

expect_status 0 "report --plot draws a PNG with gnuplot" -- "$NUDGE" report --since 2026-11-01 --plot "$T/trend.png"
[ "$(head -c 4 "$T/trend.png" | od -An -c | tr -d ' ')" = '211PNG' ] && ok "it is a PNG" || fail "PNG" "$(file "$T/trend.png" 2>&1)"
mkdir -p "$T/nobin"
expect_status 1 "report --plot without gnuplot" -- env PATH="$T/nobin" "$NUDGE" report --plot "$T/x.png"
contains "$T/err" "gnuplot, which is not installed" "says gnuplot is missing"
finish
