#!/usr/bin/env bash
# Output that fits (issue 21, part 3): with COLUMNS=80 every line of
# report, agenda and the three lists is at most 80 columns wide on a
# database of long titles (wide and combining characters too), the text
# column cut with "…" and never inside a character; an empty list says so
# on a terminal, prints nothing into a pipe and [] with --json.
. "$(dirname "$0")/lib.sh"

make_log_conf Europe/Stockholm <<CONF
people = (
  { handle = "anna"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "kenji_takahashi"; timezone = "Asia/Tokyo"; hours = "00:00-24:00"; days = "mon-sun"; }
);
CONF
export NUDGE_NOW=2027-06-01T09:00:00+02:00
N=$NUDGE

# widest FILE: the display width of FILE's widest line (east Asian wide
# characters 2, combining marks 0), and that it is valid UTF-8.
widest() {
	/usr/bin/python3 - "$1" <<'PY'
import sys, unicodedata
w = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    n = sum(0 if unicodedata.combining(ch) else
            2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
    w = max(w, n)
print(w)
PY
}
# fits NAME CMD...: every line of CMD's output is at most 80 columns.
fits() {
	local name=$1 w; shift
	COLUMNS=80 "$@" >"$T/out" 2>"$T/err" || { fail "$name" "exit $?: $(head -c 300 "$T/err")"; return; }
	w=$(widest "$T/out") || { fail "$name" "not UTF-8: $(head -c 300 "$T/out" | od -c | head -3)"; return; }
	if [ "$w" -le 80 ]; then ok "$name fits 80 columns ($w)"; else fail "$name fits 80 columns" "$w wide: $(awk 'length > 80' "$T/out" | head -2)"; fi
}

# Empty first: a terminal hears "no deals", a pipe nothing, --json [].
# (A list reads; it never makes the database.)
$N db migrate >/dev/null || fail "db migrate"
script -qec "$N deal list" /dev/null >"$T/tty.out" 2>&1
contains "$T/tty.out" "no deals" "an empty deal list says so on a terminal"
script -qec "$N promise list" /dev/null >"$T/tty.out" 2>&1
contains "$T/tty.out" "no promises" "an empty promise list says so on a terminal"
script -qec "$N followup list" /dev/null >"$T/tty.out" 2>&1
contains "$T/tty.out" "no follow-ups" "an empty follow-up list says so on a terminal"
$N deal list >"$T/pipe.out" && [ ! -s "$T/pipe.out" ] && ok "an empty list prints nothing into a pipe" || fail "empty list into a pipe" "$(cat "$T/pipe.out")"
[ "$($N deal list --json | tr -d ' \n')" = "[]" ] && ok "an empty list is [] with --json" || fail "empty --json"

long="Send the revised offer for the whole roof, gutters, the chimney flashing and all of the scaffolding, with the photos"
wide="屋根の修理の見積もりを送る、写真と足場の費用も含めて、来週の月曜日までに必ず"
comb="Ålands Åkeri: Re\u0301sume\u0301 of the café renovation and the façade, signed copies for Ängelholm and Öland"
acct="Acme Roofing and Scaffolding Aktiebolag (Stockholm branch)"
for who in anna kenji_takahashi; do
	$N deal add "$long" --account "$acct" --owner $who --closes +20d >/dev/null &&
	$N deal add "$wide" --account "$acct" --owner $who >/dev/null &&
	$N promise add "$long" --owner $who --account "$acct" --due +3d >/dev/null &&
	$N promise add "$(printf "$comb")" --owner $who --deal 1 --due +2d >/dev/null &&
	$N followup add "$wide" --owner $who --account "$acct" --in 2h >/dev/null &&
	$N followup add "$long" --owner $who --deal 2 --in 40s >/dev/null ||
		fail "seed $who" "$(cat "$T/err" 2>/dev/null)"
done
$N promise kept 1 >/dev/null

fits "report" $N report
fits "agenda" $N agenda --days 30
fits "promise list" $N promise list
fits "deal list" $N deal list
fits "followup list" $N followup list

# The cut is at a character: the wide title keeps whole characters, and
# a line shorter than 80 (a wider terminal) is not cut at all.
COLUMNS=80 $N followup list >"$T/out"
grep -q "屋根の修理.*…" "$T/out" && ok "a wide title is cut with … between characters" || fail "wide cut" "$(grep 屋根 "$T/out" | head -1)"
COLUMNS=300 $N deal list >"$T/out"
grep -qF "$long" "$T/out" && ok "a wide terminal shows the whole title" || fail "COLUMNS=300" "$(head -3 "$T/out")"
# Columns do not shift with the length of the relative time.
COLUMNS=80 $N agenda --days 30 | grep -E '^  [0-9]' | awk '{ print index($0, "#") }' | sort -u >"$T/cols"
[ "$(wc -l <"$T/cols")" = 1 ] && ok "agenda columns stay put" || fail "agenda columns shift" "$(cat "$T/cols" | tr '\n' ' ')"
# Time zones (issue 21, part 3): one timeline, days and times in the
# configuration's zone (Stockholm), and beside an item of kenji's (Tokyo)
# his own clock; anna's, in the viewer's zone, has none.  --tz ZONE moves
# the timeline, and then anna's item carries her clock.
json_id() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
a=$($N --json followup add "Stockholm nine" --owner anna --account Z --at "2027-06-05 09:00" | json_id)
k=$($N --json followup add "Tokyo nine" --owner kenji_takahashi --account Z --at "2027-06-05 09:00" | json_id)
l=$($N --json followup add "Tokyo one" --owner kenji_takahashi --account Z --at "2027-06-06 01:00" | json_id)
COLUMNS=200 $N agenda --days 30 | sed -n '/^Sat 2027-06-05/,/^$/p' >"$T/tz.out"
grep -qE "^  02:00 .* #$k +kenji_t.* \(09:00 JST\) Tokyo nine — Z$" "$T/tz.out" &&
	grep -qE "^  09:00 .* #$a +anna +Stockholm nine — Z$" "$T/tz.out" &&
	[ "$(grep -n 'Tokyo nine' "$T/tz.out" | cut -d: -f1)" -lt "$(grep -n 'Stockholm nine' "$T/tz.out" | cut -d: -f1)" ] &&
	ok "the agenda's times are Stockholm's, kenji's item says 09:00 JST" || fail "agenda in the viewer's zone" "$(cat "$T/tz.out")"
grep -qE "^  18:00 .* #$l +kenji_t.* \(Sun 01:00 JST\) Tokyo one — Z$" "$T/tz.out" &&
	ok "his clock names the day when it is another" || fail "Sun 01:00 JST" "$(cat "$T/tz.out")"
COLUMNS=200 $N agenda --days 30 --tz Asia/Tokyo | sed -n '/^Sat 2027-06-05/,/^$/p' >"$T/tz.out"
grep -qE "^  09:00 .* #$k +kenji_t.* Tokyo nine — Z$" "$T/tz.out" && ! grep -q "JST" "$T/tz.out" &&
	grep -qE "^  16:00 .* #$a +anna +\(09:00 CEST\) Stockholm nine — Z$" "$T/tz.out" &&
	ok "--tz Asia/Tokyo: Tokyo's times, anna's item says 09:00 CEST" || fail "agenda --tz" "$(cat "$T/tz.out")"
at=$($N agenda --days 30 --tz Asia/Tokyo --json | /usr/bin/python3 -c 'import json,sys; print([i["at"] for i in json.load(sys.stdin) if i["id"] == int(sys.argv[1]) and i["kind"] == "followup"][0])' "$a")
[ "$at" = "2027-06-05T16:00:00+09:00" ] &&
	ok "--tz with --json: times with ZONE's offset" || fail "agenda --tz --json" "$($N agenda --days 30 --tz Asia/Tokyo --json | head -30)"

# Relative times agree with the absolute ones: due in 40 s is "in 40
# seconds", and the gap to the target is not "0 working minutes".
$N promise add "Call back" --owner anna --account A --due 2027-06-01T09:00:40+02:00 >"$T/p.out" 2>&1
contains "$T/p.out" "09:00 (in 40 seconds)" "due in 40 s says so"
contains "$T/p.out" "40 working seconds before" "the gap is in working seconds"
grep -q "0 working minutes" "$T/p.out" && fail "no '0 working minutes'" "$(cat "$T/p.out")" || ok "no '0 working minutes'"
finish
