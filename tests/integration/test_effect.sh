#!/usr/bin/env bash
# Does it pay off: a year replayed with NUDGE_NOW and `nudged --once`.
# Five accounts win a deal on Monday 2026-01-05; the second chocolate
# (3 working days on, window 1w) is done in time for A1, A2, A3, late for
# B2 and never for B1.  A1 buys again after 42 days, A2 after 63, B1
# after 119; A1 is touched every 25 days (cadence 30d), B1 and B2 never
# (B1's repeat deal does not count as a touch).  C1 wins in October: too
# recent.  `nudge report --effect` in text, JSON and CSV, with --horizon
# and with the configuration's effect_horizon, cadence coverage per owner
# in `nudge report`, the weekly summary's paragraph over the configured
# horizon, and bad command lines refused.
. "$(dirname "$0")/lib.sh"

make_log_conf Europe/Stockholm <<CONF
weekly_summary = "fri 16:00";
people = (
  { handle = "anna"; hours = "09:00-17:00"; days = "mon-fri"; weekly_summary = true; },
  { handle = "bo"; hours = "09:00-17:00"; days = "mon-fri"; }
);
rules = (
  { name = "second-chocolate"; on = "deal.won"; after = "3bd"; at = "10:00";
    second_chocolate = true; window = "1w"; once_per = "90d";
    message = "Back to {{account}} with something new"; }
);
cadences = (
  { name = "key"; every = "30d"; accounts = [ "A1", "B1", "B2" ]; owner = "anna"; }
);
CONF
once() { NUDGE_NOW="$1" "$NUDGED" --once -c "$T/nudge.conf" >"$T/once.log" 2>&1 || fail "nudged --once at $1" "$(tail -3 "$T/once.log")"; }
# won ACCOUNT WHEN: a deal of anna's won then.
won() {
	local id
	id=$(NUDGE_NOW="$2" "$NUDGE" deal add "Order" --account "$1" --owner anna --json | jq -r .id) || fail "deal add $1"
	NUDGE_NOW="$2" "$NUDGE" deal won "$id" >/dev/null || fail "deal won $id"
}
# choc_done ACCOUNT WHEN: its second chocolate marked done then.
choc_done() {
	local id
	id=$(sqlite3 "$DB" "SELECT f.id FROM followups f JOIN accounts a ON a.id = f.account_id WHERE a.name = '$1' AND f.rule = 'second-chocolate'")
	NUDGE_NOW="$2" "$NUDGE" followup done "$id" >/dev/null || fail "done $1's second chocolate"
}

for a in A1 A2 A3 B1 B2; do won "$a" "2026-01-05T10:00:00+01:00"; done
once "2026-01-05T10:01:00+01:00"
once "2026-01-08T10:05:00+01:00"
[ "$(count "$T/once.log" "with something new")" = 5 ] && ok "five second chocolates reminded on Thursday 10:00" || fail "second chocolates" "$(cat "$T/once.log")"
for a in A1 A2 A3; do choc_done "$a" "2026-01-08T11:00:00+01:00"; done
choc_done B2 "2026-01-20T10:00:00+01:00"
won A1 "2026-02-16T10:00:00+01:00"
won A2 "2026-03-09T10:00:00+01:00"
won B1 "2026-05-04T10:00:00+02:00"
for d in 2026-01-30 2026-02-24 2026-03-21 2026-04-15 2026-05-10 2026-06-04 2026-06-29; do
	NUDGE_NOW="${d}T12:00:00+01:00" "$NUDGE" contact A1 --with Eva >/dev/null || fail "contact A1 on $d"
done
won C1 "2026-10-20T10:00:00+02:00"

export NUDGE_NOW="2026-11-06T12:00:00+01:00"
"$NUDGE" report --effect >"$T/effect" || fail "report --effect" "$(cat "$T/effect")"
# 2 of 3 with: Wilson [0.2077, 0.9385], median (42 + 63) / 2; 1 of 2
# without: [0.0945, 0.9055]; kept 1 of 1: [0.2065, 1].
row() { grep -q -- "^$1 *$2 *$3 *$4 *$5 *$6\$" "$T/effect" && ok "text: $1: $2 accounts, $3 again, $4, $5, $6" || fail "text row $1" "$(cat "$T/effect")"; }
row "second chocolate in time" 3 2 "67 %" "21-94 %" "52.5d"
row "without it" 2 1 "50 %" "9-91 %" "119.0d"
row "kept within cadence" 1 1 "100 %" "21-100 %" "42.0d"
row "went quiet" 2 1 "50 %" "9-91 %" "119.0d"
contains "$T/effect" "Second chocolate: 3 with, 2 without; fewer than 10 is too few to tell." "text: the groups are too small to tell, in plain words"
contains "$T/effect" "2 accounts with no cadence are in neither cadence group." "text: accounts without a cadence are left out of its comparison"
contains "$T/effect" "1 account won too recently to tell (180 days not yet passed)." "text: the deal won in October is too recent"
awk 'length($0) > 80 { bad = 1 } END { exit bad }' "$T/effect" && ok "text: fits 80 columns" || fail "wider than 80" "$(cat "$T/effect")"

"$NUDGE" report --effect --json >"$T/json" || fail "report --effect --json"
j() { jq -r "$1" "$T/json"; }
[ "$(j '.second_chocolate.with | "\(.accounts) \(.bought_again) \(.share * 10000 | round) \(.interval[0] * 10000 | round) \(.interval[1] * 10000 | round) \(.median_days)"')" = "3 2 6667 2077 9385 52.5" ] && ok "JSON: with the second chocolate 2 of 3, [0.2077, 0.9385], median 52.5 days" || fail "JSON with" "$(j .second_chocolate.with)"
[ "$(j '.second_chocolate.without | "\(.accounts) \(.bought_again) \(.interval[0] * 10000 | round) \(.interval[1] * 10000 | round) \(.median_days * 10 | round) \(.too_few)"')" = "2 1 945 9055 1190 true" ] && ok "JSON: without 1 of 2, [0.0945, 0.9055], median 119.0 days (118.96: summer time), too few" || fail "JSON without" "$(j .second_chocolate.without)"
[ "$(j '"\(.cadence.kept.accounts) \(.cadence.kept.interval[0] * 10000 | round) \(.cadence.quiet.accounts) \(.cadence.no_cadence) \(.too_recent) \(.horizon_days) \(.second_chocolate.too_few)"')" = "1 2065 2 2 1 180 true" ] && ok "JSON: the cadence compared, those without one and the too recent counted" || fail "JSON cadence" "$(cat "$T/json")"

# The same figures as CSV, read with Python's csv module: a row per group,
# every number the JSON's (an empty cell where it has null).
"$NUDGE" report --effect --format csv >"$T/csv" || fail "report --effect --format csv" "$(cat "$T/csv")"
$PY - "$T/csv" "$T/json" >"$T/csvcheck" 2>&1 <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
j = json.load(open(sys.argv[2]))
groups = {"second_chocolate": ("with", "without"), "cadence": ("kept", "quiet")}
assert [(r["comparison"], r["group"]) for r in rows] == [(c, g) for c in groups for g in groups[c]], rows
num = lambda s: None if s == "" else float(s)
for r in rows:
    g = j[r["comparison"]][r["group"]]
    low, high = g["interval"] or (None, None)
    got = (int(r["accounts"]), int(r["bought_again"]), num(r["share"]), num(r["interval_low"]),
           num(r["interval_high"]), num(r["median_days"]), r["too_few"] == "true", num(r["horizon_days"]))
    want = (g["accounts"], g["bought_again"], g["share"], low, high, g["median_days"], g["too_few"], j["horizon_days"])
    assert got == want, (r, got, want)
print(len(rows), rows[0]["accounts"], rows[0]["bought_again"], rows[0]["median_days"])
PY
[ "$(cat "$T/csvcheck")" = "4 3 2 52.5" ] && ok "CSV: a row per group, each figure equal to the JSON's" || fail "CSV against JSON" "$(cat "$T/csvcheck") $(cat "$T/csv")"

# A horizon of 60 days: A2's 63 days no longer count.
"$NUDGE" report --effect --horizon 60d --json >"$T/json"
[ "$(j '"\(.second_chocolate.with.bought_again) \(.second_chocolate.without.bought_again) \(.horizon_days)"')" = "1 0 60" ] && ok "--horizon 60d: bought again within 60 days only" || fail "--horizon" "$(cat "$T/json")"
# The same from the configuration's effect_horizon; --horizon still
# overrides it for one report.
sed 's/^weekly_summary = .*/&\neffect_horizon = "60d";/' "$T/nudge.conf" >"$T/h60.conf"
NUDGE_CONFIG="$T/h60.conf" "$NUDGE" report --effect --json >"$T/json"
[ "$(j '"\(.second_chocolate.with.bought_again) \(.second_chocolate.without.bought_again) \(.horizon_days)"')" = "1 0 60" ] && ok "effect_horizon = \"60d\": the report's default horizon" || fail "effect_horizon" "$(cat "$T/json")"
NUDGE_CONFIG="$T/h60.conf" "$NUDGE" report --effect --horizon 180d --json >"$T/json"
[ "$(j '"\(.second_chocolate.with.bought_again) \(.horizon_days)"')" = "2 180" ] && ok "--horizon overrides effect_horizon" || fail "--horizon over effect_horizon" "$(cat "$T/json")"
# A period from June on has only the deal won in October.
"$NUDGE" report --effect --since 2026-06-01 --json >"$T/json"
[ "$(j '"\(.second_chocolate.with.accounts) \(.second_chocolate.without.accounts) \(.too_recent)"')" = "0 0 1" ] && ok "--since: only the deals won since" || fail "--since" "$(cat "$T/json")"

# Cadence coverage per owner: A1 quiet since 06-29 (over 30 days), B1
# since its deal in May, B2 since its follow-up in January: all overdue.
NUDGE_NOW="2026-11-06T12:30:00+01:00" "$NUDGE" contact B2 --with Olle >/dev/null
"$NUDGE" report >"$T/report"
grep -q "^anna  *3  *1  *2  *0  *33 %$" "$T/report" && ok "report: anna keeps 1 of her 3 accounts with a cadence" || fail "coverage text" "$(cat "$T/report")"
"$NUDGE" report --json | jq -c '.cadence_coverage.owners[0] | [.owner, .accounts, .kept, .quiet, .paused]' >"$T/cov"
[ "$(cat "$T/cov")" = '["anna",3,1,2,0]' ] && ok "report --json: cadence coverage per owner" || fail "coverage JSON" "$(cat "$T/cov")"

# The weekly summary says it too.
once "2026-11-06T16:01:00+01:00"
sqlite3 "$DB" "SELECT text FROM followups WHERE rule = 'weekly' AND owner = 'anna'" >"$T/weekly"
contains "$T/weekly" "Does it pay off, team-wide?  First deals won 2025-05-10 to 2026-11-06," "weekly summary: the effect paragraph, team-wide"
contains "$T/weekly" "  second chocolate in time   2 of 3 (67 %, 95 % 21-94 %)" "weekly summary: the figures with their interval"
contains "$T/weekly" "Stay in touch now:" "weekly summary: the cadence coverage"
contains "$T/weekly" "bought again within 180 days:" "weekly summary: over the default horizon"
# A week on with effect_horizon = "60d": the summary's paragraph counts
# within 60 days (A2's 63 no longer), from 60 + 365 days before.
cp "$T/h60.conf" "$T/nudge.conf"
once "2026-11-13T16:01:00+01:00"
sqlite3 "$DB" "SELECT text FROM followups WHERE rule = 'weekly' AND owner = 'anna' ORDER BY id DESC LIMIT 1" >"$T/weekly"
contains "$T/weekly" "First deals won 2025-09-14 to 2026-11-13,"$'\n'"bought again within 60 days:" "weekly summary: over the configured effect_horizon"
contains "$T/weekly" "  second chocolate in time   1 of 3" "weekly summary: the figures within it"

# Bad command lines write nothing and say what is wrong.
before=$(db_dump "$DB")
expect_status 2 "--horizon in working days" -- "$NUDGE" report --effect --horizon 10bd
contains "$T/err" "--horizon 10bd" "the message names the option and its value"
expect_status 2 "--horizon that is no duration" -- "$NUDGE" report --effect --horizon soon
expect_status 2 "--horizon without --effect" -- "$NUDGE" report --horizon 30d
expect_status 2 "--effect with --plot" -- "$NUDGE" report --effect --plot "$T/x.png"
expect_status 2 "--effect --format of no such kind" -- "$NUDGE" report --effect --format xml
sed 's/^effect_horizon = .*/effect_horizon = "120bd";/' "$T/nudge.conf" >"$T/bad.conf"
expect_status 2 "effect_horizon in business days" -- "$NUDGE" -c "$T/bad.conf" report --effect
contains "$T/err" "bad.conf:6:" "the message names the file and line"
expect_status 2 "--effect --since in the future" -- "$NUDGE" report --effect --since 2027-01-01
[ "$before" = "$(db_dump "$DB")" ] && ok "refused input wrote nothing" || fail "refused input wrote"

finish
