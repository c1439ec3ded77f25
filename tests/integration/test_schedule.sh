#!/usr/bin/env bash
# Scheduling by the clock, replayed with NUDGE_NOW and `nudged --once`:
# working hours, the playbook's rules, digests, escalation, catch-up after
# downtime, and idempotence when the same moment is handled twice.
. "$(dirname "$0")/lib.sh"

make_log_conf Europe/Stockholm <<CONF
holidays = [ "2026-12-24" ];
people = (
  { handle = "anna"; hours = "08:00-17:00"; days = "mon-fri"; },
  { handle = "dora"; hours = "08:00-17:00"; days = "mon-fri"; digest = "08:30"; },
  { handle = "erik"; hours = "09:00-18:00"; days = "mon-fri"; },
  { handle = "ctl"; hours = "00:00-24:00"; days = "mon-sun"; }
);
rules = (
  { name = "second-chocolate"; on = "deal.won"; after = "3bd"; at = "10:00"; second_chocolate = true;
    gestures = [ "a note", "a tip" ];
    message = "Come back to {{account}} with {{gesture}}: how is {{deal}}?"; },
  { name = "pre-close"; on = "deal.closing"; before = "2bd"; at = "09:00";
    message = "{{deal}} with {{account}} closes soon: make it easy to say yes."; },
  { name = "overdue"; on = "promise.overdue"; after = "1h"; repeat = "1d";
    escalate_to = "erik"; escalate_after = 1;
    message = "Overdue by {{days_overdue}} days: {{promise}} ({{account}})"; }
);
CONF
once() { NUDGE_NOW="$1" "$NUDGED" --once -c "$T/nudge.conf" >"$T/once.log" 2>&1 || fail "nudged --once at $1" "$(tail -3 "$T/once.log")"; }
# once_control MOMENT: nudged --once at MOMENT, with a control: a
# follow-up of ctl's (all hours, every day) due then.  That it goes out
# shows the run handled MOMENT and sends what is due, so what it did not
# send it would not have sent.  sent counts the others.  Returns 1 when
# the control did not go out: the check that follows fails too.
once_control() {
	NUDGE_NOW="$1" "$NUDGE" followup add "Control at $1" --owner ctl --account Ctl --at "$1" >/dev/null || fail "control follow-up at $1"
	once "$1"
	if grep -q "REMINDER for ctl: Control at $1" "$T/once.log"; then
		ok "control: nudged --once at $1 sends what is due then"
	else
		fail "control: nudged --once at $1 sends what is due then" "$(cat "$T/once.log")"
		return 1
	fi
}
sent() { grep -v "REMINDER for ctl: " "$T/once.log" | grep -c "REMINDER"; }

# Won on Friday 2026-12-18 at 15:00: 3 business days later is Wednesday
# 12-23 at 10:00 (12-24 is a holiday, but not in the way).
export NUDGE_NOW="2026-12-18T15:00:00+01:00"
"$NUDGE" deal add "Roof" --account Acme --owner anna >/dev/null
"$NUDGE" deal won 1 >/dev/null
once "2026-12-18T15:00:30+01:00"
r=$(sqlite3 "$DB" "SELECT datetime(remind_at, 'unixepoch') FROM followups WHERE rule = 'second-chocolate'")
[ "$r" = "2026-12-23 09:00:00" ] && ok "second chocolate: 3 business days later at 10:00 local" || fail "second chocolate moment" "$r"
once_control "2026-12-23T09:59:00+01:00" &&
[ "$(sent)" = 0 ] && ok "nothing goes out a minute early" || fail "early" "$(cat "$T/once.log")"
once "2026-12-23T10:00:00+01:00"
contains "$T/once.log" "REMINDER for anna: Come back to Acme with a note: how is Roof?" "it goes out at its moment, with the first gesture for the account"
once_control "2026-12-23T10:05:00+01:00" &&
[ "$(sent)" = 0 ] && ok "handling the same moment again sends nothing twice" || fail "sent twice" "$(cat "$T/once.log")"

# Saturday 03:00 goes out Monday at the start of hours.
export NUDGE_NOW="2026-12-11T12:00:00+01:00"
"$NUDGE" followup add "Weekend thought" --owner anna --account Acme --at "2026-12-12 03:00" >/dev/null
once_control "2026-12-12T03:00:00+01:00" &&
[ "$(sent)" = 0 ] && ok "not on Saturday" || fail "sent on Saturday"
once "2026-12-14T08:00:00+01:00"
contains "$T/once.log" "REMINDER for anna: Weekend thought" "Monday 08:00 instead"

# Digest: dora's follow-ups of the day arrive as one message at 08:30.
export NUDGE_NOW="2026-12-14T07:00:00+01:00"
"$NUDGE" followup add "Call Bo" --owner dora --account Acme --at "10:00" >/dev/null
"$NUDGE" followup add "Send photos" --owner dora --account Beta --at "14:00" >/dev/null
once_control "2026-12-14T08:29:00+01:00" &&
[ "$(sent)" = 0 ] && ok "no digest before 08:30" || fail "early digest"
once "2026-12-14T08:30:00+01:00"
contains "$T/once.log" "REMINDER for dora: Your digest (2):" "one digest at 08:30 with both"
[ "$(sent)" = 1 ] && ok "and no single nudges" || fail "single nudges besides the digest" "$(cat "$T/once.log")"

# Whatever the seconds of their due times, dora's items of one day share
# the digest moment: one message, not one per second it started in.  (The
# 08:30:30 run holds what was due by then: with 08:30:17 and 08:30:42 as
# the moments, each went out as a "Your digest (1)".)
export NUDGE_NOW="2026-12-15T07:00:00+01:00"
"$NUDGE" followup add "Call Cid" --owner dora --account Acme --at "2026-12-15T10:00:17+01:00" >/dev/null
"$NUDGE" followup add "Mail Cid" --owner dora --account Acme --at "2026-12-15T14:00:42+01:00" >/dev/null
once "2026-12-15T08:30:30+01:00"
cp "$T/once.log" "$T/digest.log"
once_control "2026-12-15T08:31:00+01:00"
cat "$T/once.log" >>"$T/digest.log"
contains "$T/digest.log" "REMINDER for dora: Your digest (2):" "items due at different seconds: one digest with both"
n=$(count "$T/digest.log" "REMINDER for dora: Your digest")
[ "$n" = 1 ] && ok "and only that one digest" || fail "digest split by seconds" "$n digests: $(cat "$T/digest.log")"

# Escalation: overdue repeats every day; from the second reminder erik
# hears of it too.
export NUDGE_NOW="2026-12-14T09:00:00+01:00"
"$NUDGE" promise add "Fix the gutter" --owner anna --account Acme --due "2026-12-15 12:00" >/dev/null
once "2026-12-14T09:01:00+01:00"
once "2026-12-15T13:00:00+01:00"
contains "$T/once.log" "REMINDER for anna: Overdue by 0 days: Fix the gutter (Acme)" "first overdue reminder, an hour after due"
once "2026-12-16T13:00:00+01:00"
contains "$T/once.log" "REMINDER for anna: Overdue by 1 days" "repeated a day later"
contains "$T/once.log" "REMINDER for erik: Escalated (anna's, reminder 2): Overdue by 1 days" "escalated to erik"
# An outcome is logged once it has happened: at 14:00 that day.
NUDGE_NOW="2026-12-16T14:00:00+01:00" "$NUDGE" promise kept 1 --at "2026-12-16 14:00" >/dev/null || fail "promise kept"
once_control "2026-12-17T13:00:00+01:00" &&
! grep -q "Overdue" "$T/once.log" && ok "keeping the promise stops the repeats" || fail "no more overdue reminders after kept" "$(cat "$T/once.log")"

# A renegotiated promise: the old date's reminders are cancelled, the new
# date gets its own (a new round of occurrence keys).
export NUDGE_NOW="2027-02-01T09:00:00+01:00"
pid=$("$NUDGE" --json promise add "Paint the porch" --owner anna --account Acme --due "2027-02-03 12:00" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
once "2027-02-01T09:00:30+01:00"
"$NUDGE" promise renegotiate "$pid" --due "2027-02-10 12:00" >/dev/null
once_control "2027-02-03T14:00:00+01:00" &&
! grep -q "Paint the porch" "$T/once.log" && ok "no reminder for the old date" || fail "no reminder for the old date" "$(cat "$T/once.log")"
once "2027-02-10T13:30:00+01:00"
contains "$T/once.log" "REMINDER for anna: Overdue by 0 days: Paint the porch (Acme)" "the new date has its own reminders"

# deal.closing: two business days before the expected close, at 09:00,
# skipping the weekend; a deal won before that moment is not nudged.
export NUDGE_NOW="2027-01-04T10:00:00+01:00"
"$NUDGE" deal add "Garage" --account Acme --owner anna --closes "2027-01-11 15:00" >/dev/null
id=$("$NUDGE" --json deal add "Fence" --account Acme --owner anna --closes "2027-01-12" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
once "2027-01-04T10:00:30+01:00"
r=$(sqlite3 "$DB" "SELECT datetime(remind_at, 'unixepoch') FROM followups WHERE rule = 'pre-close' AND text LIKE 'Garage%'")
[ "$r" = "2027-01-07 08:00:00" ] && ok "deal.closing: 2 business days before Monday's close is Thursday 09:00" || fail "pre-close moment" "$r"
NUDGE_NOW="2027-01-05T10:00:00+01:00" "$NUDGE" deal won "$id" --at "2027-01-05 10:00" >/dev/null || fail "deal won"
once "2027-01-07T09:00:00+01:00"
contains "$T/once.log" "REMINDER for anna: Garage with Acme closes soon: make it easy to say yes." "the pre-close touch goes out at its moment"
once_control "2027-01-08T09:00:00+01:00" &&
! grep -q "Fence with Acme closes soon" "$T/once.log" && ok "a deal already won gets no pre-close touch" || fail "a deal already won gets no pre-close touch" "$(cat "$T/once.log")"
[ "$(sqlite3 "$DB" "SELECT state FROM followups WHERE rule = 'pre-close' AND deal_id = $id")" = cancelled ] \
	&& ok "its pre-close touch is cancelled" || fail "pre-close cancelled on won"

# Catch-up: reminders that fell due days ago while nudged was down are
# folded into one message per person.
export NUDGE_NOW="2026-12-01T09:00:00+01:00"
"$NUDGE" followup add "Old one" --owner erik --account Acme --at "2026-12-02 10:00" >/dev/null
"$NUDGE" followup add "Older one" --owner erik --account Beta --at "2026-12-02 11:00" >/dev/null
once "2026-12-21T09:00:00+01:00"
contains "$T/once.log" "REMINDER for erik: Missed while nudged was offline (2):" "missed reminders folded into one"
n=$(grep -c "REMINDER for erik" "$T/once.log")
[ "$n" = 1 ] && ok "one message, not a flood" || fail "flood" "$n messages"
# More to fold than the scheduler's short batch of due follow-ups (128):
# still one message per person, with every item counted.  Mixed in due
# order with anna's single reminders, so each batch holds some of each.
# (Under 500 due in all: a fold is one batch of SCHEDULE_BATCH at most.)
export NUDGE_NOW="2027-03-01T07:00:00+01:00"
once "$NUDGE_NOW"       # what earlier cases left due goes first
{
	echo "owner,account,text,at"
	for i in $(seq 1 200); do
		printf 'erik,Acme,Missed %d,2027-03-02T10:%02d:%02d+01:00\n' "$i" $((i / 60)) $((i % 60))
		[ "$i" -le 150 ] && printf 'dora,Acme,Digest item %d,2027-03-15T08:%02d:%02d+01:00\n' "$i" $((i / 60)) $((i % 60))
		[ "$i" -le 100 ] && printf 'anna,Acme,Single %d,2027-03-15T08:%02d:%02d+01:00\n' "$i" $((i / 60)) $((i % 60))
	done
} >"$T/many.csv"
"$NUDGE" import --followups "$T/many.csv" >/dev/null || fail "import of the fold corpus"
# Every digest item is due at 08:30:00, whatever its second.
once "2027-03-15T08:31:00+01:00"
n=$(sed -n 's/.*REMINDER for erik: Missed while nudged was offline (\([0-9]*\)):.*/\1/p' "$T/once.log")
[ -n "$n" ] && [ "$n" -ge 200 ] && ok "200 missed reminders: one message with all of them" || fail "missed fold" "count '$n'"
contains "$T/once.log" "REMINDER for dora: Your digest (150):" "a digest of 150: one message with all 150"
n=$(grep -c "REMINDER for erik" "$T/once.log"); m=$(grep -c "REMINDER for dora" "$T/once.log")
[ "$n" = 1 ] && [ "$m" = 1 ] && ok "one message each, across scheduling batches" || fail "folds split" "erik $n, dora $m"
n=$(grep -c "REMINDER for anna: Single" "$T/once.log")
[ "$n" = 100 ] && ok "the single reminders among them all go out" || fail "singles" "$n of 100"
finish
