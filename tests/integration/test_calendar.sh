#!/usr/bin/env bash
# The calendar feed end to end: `nudge calendar show` for a person with a
# promise, a follow-up and the second chocolate (made by nudged from a
# won deal), read by an independent parser (Python's icalendar): the
# events, their times in the person's zone, the VTIMEZONE, the alarms,
# the text as typed; the same feed twice; the secret address shown once,
# stored only as its hash, revoked and made anew.
. "$(dirname "$0")/lib.sh"

make_log_conf Europe/Stockholm <<CONF
people = (
  { handle = "anna"; name = "Anna Berg"; hours = "08:00-17:00"; },
  { handle = "bo"; timezone = "America/New_York"; hours = "08:00-17:00"; }
);
rules = (
  { name = "second-chocolate"; on = "deal.won"; after = "1bd"; at = "10:00";
    second_chocolate = true;
    message = "Come back to {{account}} with more: how is {{deal}}?"; }
);
CONF
n() { "$NUDGE" "$@" >/dev/null 2>"$T/err" || fail "nudge $*" "$(cat "$T/err")"; }

# Monday 2 November 2026, 09:00 in Stockholm.
export NUDGE_NOW="2026-11-02T09:00:00+01:00"
n promise add "Send the offer; prices, terms" --owner anna --account "Acme, Inc" --due "2026-11-06 17:00" --to Bo
n followup add 'Ring Åsa: "which roof?"; see C:\offers' --owner anna --account "Acme, Inc" --at "2026-11-03 11:00"
n deal add Roof --account "Acme, Inc" --owner anna
n deal won 1
n promise add "Photos" --owner bo --account Beta --due "2026-11-06 17:00"
NUDGE_NOW="2026-11-02T09:00:30+01:00" "$NUDGED" --once -c "$T/nudge.conf" >"$T/once.log" 2>&1 ||
	fail "nudged --once" "$(tail -3 "$T/once.log")"

expect_status 0 "calendar show anna" -- "$NUDGE" calendar show anna
cp "$T/out" "$T/anna.ics"
expect_status 0 "calendar show bo" -- "$NUDGE" calendar show bo
cp "$T/out" "$T/bo.ics"

dbid=$(sqlite3 "$DB" "SELECT database_id FROM daemon WHERE id = 1")
# The independent reading: each check prints "ok NAME" or "FAIL NAME: why".
/usr/bin/python3 - "$T/anna.ics" "$T/bo.ics" "$dbid" >"$T/py.out" 2>&1 <<'PY'
import sys, datetime as dt
from zoneinfo import ZoneInfo
import icalendar

def check(name, cond, why=""):
    print(("ok " if cond else "FAIL ") + name + ("" if cond else ": " + str(why)))

def read(path):
    return icalendar.Calendar.from_ical(open(path, "rb").read())

anna = read(sys.argv[1])
ev = {str(e["UID"]).split(".")[0]: e for e in anna.walk("VEVENT")}
check("four events for anna", sorted(ev) == ["followup-1", "followup-2",
      "promise-due-1", "promise-target-1"], sorted(ev))
uids = [str(e["UID"]) for e in anna.walk("VEVENT")]
check("each UID names the database by its identity",
      len(sys.argv[3]) == 32 and all(u.endswith("." + sys.argv[3] + "@nudge") for u in uids), uids)
se = ZoneInfo("Europe/Stockholm")
due = ev["promise-due-1"].decoded("DTSTART")
check("the date promised at 17:00 in Stockholm",
      due == dt.datetime(2026, 11, 6, 17, 0, tzinfo=se) and
      str(ev["promise-due-1"]["DTSTART"].params["TZID"]) == "Europe/Stockholm", due)
check("the follow-up at 11:00 in Stockholm",
      ev["followup-1"].decoded("DTSTART") == dt.datetime(2026, 11, 3, 11, 0, tzinfo=se),
      ev["followup-1"].decoded("DTSTART"))
check("the second chocolate the next working day at 10:00",
      ev["followup-2"].decoded("DTSTART") == dt.datetime(2026, 11, 3, 10, 0, tzinfo=se),
      ev["followup-2"].decoded("DTSTART"))
check("the second chocolate is named",
      str(ev["followup-2"]["SUMMARY"]) == "Second chocolate: Come back to Acme, Inc with more: how is Roof?",
      ev["followup-2"]["SUMMARY"])
check("the text as typed", str(ev["followup-1"]["SUMMARY"]) ==
      'Ring Åsa: "which roof?"; see C:\\offers', ev["followup-1"]["SUMMARY"])
desc = str(ev["promise-due-1"]["DESCRIPTION"])
check("the promise's context", "Promise 1 to Acme, Inc: Send the offer; prices, terms" in desc
      and "Promised to Bo" in desc, desc)
check("the deal's context", "Deal 1: Roof (won)" in str(ev["followup-2"]["DESCRIPTION"]),
      ev["followup-2"]["DESCRIPTION"])
trig = {k: [a.decoded("TRIGGER") for a in e.walk("VALARM")] for k, e in ev.items()}
check("an alarm each, before the event", trig == {
      "followup-1": [-dt.timedelta(minutes=15)], "followup-2": [-dt.timedelta(minutes=15)],
      "promise-target-1": [-dt.timedelta(hours=1)], "promise-due-1": [-dt.timedelta(days=1)]}, trig)
check("every event has a DTSTAMP", all("DTSTAMP" in e for e in ev.values()))

# The VTIMEZONE on its own (not Python's zoneinfo) gives the offsets:
# the observance whose last onset is latest before the wall time.  (Its
# to_tz() trips on an UNTIL in UTC beside a local DTSTART, which RFC 5545
# asks for: dateutil refuses the mix, so the rules are read here with
# ignoretz.)
from dateutil.rrule import rrulestr
def offset_at(vtz, local):
    best = None
    for c in vtz.subcomponents:
        start = c["DTSTART"].dt
        onsets = [start]
        if "RRULE" in c:
            rule = rrulestr(c["RRULE"].to_ical().decode(), dtstart=start, ignoretz=True)
            onsets.append(rule.before(local, inc=True))
        rdates = c.get("RDATE", [])
        for r in rdates if isinstance(rdates, list) else [rdates]:
            onsets += [d.dt for d in r.dts]
        onsets = [o for o in onsets if o is not None and o <= local]
        if onsets and (best is None or max(onsets) > best[0]):
            best = (max(onsets), c["TZOFFSETTO"].td)
    return best[1] if best else None

tzs = anna.walk("VTIMEZONE")
check("one VTIMEZONE, Europe/Stockholm", len(tzs) == 1 and str(tzs[0]["TZID"]) == "Europe/Stockholm",
      [str(t["TZID"]) for t in tzs])
winter = offset_at(tzs[0], dt.datetime(2026, 11, 6, 17, 0))
summer = offset_at(tzs[0], dt.datetime(2026, 7, 1, 12, 0))
check("the VTIMEZONE says +01:00 in November and +02:00 in July",
      winter == dt.timedelta(hours=1) and summer == dt.timedelta(hours=2), (winter, summer))

bo = read(sys.argv[2])
ny = ZoneInfo("America/New_York")
bev = list(bo.walk("VEVENT"))
check("bo's feed is in New York", [str(t["TZID"]) for t in bo.walk("VTIMEZONE")] == ["America/New_York"]
      and any(e.decoded("DTSTART") == dt.datetime(2026, 11, 6, 17, 0, tzinfo=ny) for e in bev),
      [e.decoded("DTSTART") for e in bev])
check("bo's feed holds only bo's", all("Photos" in str(e["SUMMARY"]) for e in bev),
      [str(e["SUMMARY"]) for e in bev])
PY
while read -r word rest; do
	case $word in
	ok) ok "$rest" ;;
	FAIL) fail "${rest%%:*}" "${rest#*: }" ;;
	*) fail "python: $word $rest" ;;
	esac
done <"$T/py.out"
[ "$(count "$T/py.out" ok)" -eq 15 ] && ok "every check of the feed ran" || fail "checks ran" "$(cat "$T/py.out")"

# Rendered again a day later: the same bytes (UIDs, DTSTAMPs).
NUDGE_NOW="2026-11-03T09:00:00+01:00" "$NUDGE" calendar show anna >"$T/again.ics"
cmp -s "$T/anna.ics" "$T/again.ics" && ok "the same feed a day later" || fail "the feed changed" "$(diff "$T/anna.ics" "$T/again.ics" | head -5)"
grep -q $'\r$' "$T/anna.ics" && ok "lines end in CRLF" || fail "CRLF"

# The secret address: a token, shown once, kept only as its SHA-256.
expect_status 0 "calendar url anna" -- "$NUDGE" calendar url anna
url=$(cat "$T/out")
tok=${url#/cal/}; tok=${tok%.ics}
[[ $url =~ ^/cal/[0-9a-f]{64}\.ics$ ]] && ok "the address is /cal/TOKEN.ics" || fail "address" "$url"
hash=$(printf '%s' "$tok" | sha256sum | cut -d' ' -f1)
files=("$DB" "$DB-wal")
grep -qa "$hash" "${files[@]}" 2>/dev/null && ok "the token's hash is in the database" || fail "hash not found"
grep -qa "$tok" "${files[@]}" 2>/dev/null && fail "the token is in the database in clear" || ok "the token is not in the database in clear"
live() { sqlite3 "$DB" "SELECT count(*) FROM calendar_tokens WHERE token_hash = '$1' AND revoked_at IS NULL"; }
[ "$(live "$hash")" = 1 ] && ok "the address is live" || fail "live" "$(live "$hash")"

before=$(db_dump "$DB")
expect_status 2 "asked again, the address is not shown" -- "$NUDGE" calendar url anna
contains "$T/err" "cannot be shown again" "says why"
contains "$T/err" "calendar url anna --new" "says how to get a new one"
[ "$before" = "$(db_dump "$DB")" ] && ok "the refusal wrote nothing" || fail "the refusal wrote"

expect_status 0 "calendar revoke anna" -- "$NUDGE" calendar revoke anna
contains "$T/out" "revoked" "says it is revoked"
[ "$(live "$hash")" = 0 ] && ok "the revoked address no longer works" || fail "still live"
expect_status 0 "revoking again" -- "$NUDGE" calendar revoke anna
contains "$T/out" "anna has no calendar address" "says there is none"
expect_status 0 "a new address after revoking" -- "$NUDGE" --json calendar url anna
tok2=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$T/out")
tok2=${tok2#/cal/}; tok2=${tok2%.ics}
[ -n "$tok2" ] && [ "$tok2" != "$tok" ] && ok "a different token" || fail "new token" "$tok2"
hash2=$(printf '%s' "$tok2" | sha256sum | cut -d' ' -f1)
expect_status 0 "calendar url anna --new" -- "$NUDGE" calendar url anna --new
[ "$(live "$hash2")" = 0 ] && ok "--new revokes the one before" || fail "--new left the old one live"

finish
