#!/usr/bin/env bash
# Email as the standards have it, checked by independent software: every
# message nudged sends to the SMTP receiver (aiosmtpd) is parsed by
# Python's email package under policy.strict with zero defects, and its
# header lines are held to RFC 5322 and 2047 (recv_smtp.py): display names
# with commas, quotes and åäö, a non-ASCII sender, a very long subject, a
# multipart/alternative body whose HTML part escapes every field.  Then the
# SMTP manners: the server's words in last_error and `nudge status`, the
# Message-ID's domain, an idle connection not used again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"

start_receiver smtp smtp || { fail "receiver starts"; finish; exit 1; }
SP=$PORT
LONG="Ring Åsa about the renewal of the roof contract — ask whether the quote from Bygg & Tak AB covers the chimney, the gutters and the skylight, or whether a second visit is needed before the end of the quarter, and note the answer"

make_conf <<CONF
channels = (
  { name = "mail"; type = "email"; url = "smtp://127.0.0.1:$SP"; from = "nudge <nudge@example.com>"; tls = "none"; },
  { name = "svensk"; type = "email"; url = "smtp://127.0.0.1:$SP"; tls = "none";
    from = "\"Påminnelse, Säljteamet\" <paminnelse@example.se>"; message_id_domain = "mail.example.net"; },
  { name = "brief"; type = "email"; url = "smtp://127.0.0.1:$SP"; from = "nudge@example.com"; tls = "none"; idle = "4s"; }
);
people = (
  { handle = "anna"; name = "Lind, Anna"; email = "anna@example.com"; notify = [ "mail" ];
    timezone = "Europe/Stockholm"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "bo"; name = "Bo \"x\" <ceo@evil.example>"; email = "bo@example.com"; notify = [ "mail" ];
    hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "asa"; name = "Åsa Öberg"; email = "asa@example.com"; notify = [ "svensk" ];
    timezone = "Europe/Stockholm"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "bounce"; email = "reject550@example.com"; notify = [ "mail" ]; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "policy"; email = "multi550@example.com"; notify = [ "mail" ]; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "idle"; name = "Idle Ida"; email = "ida@example.com"; notify = [ "brief" ]; hours = "00:00-24:00"; days = "mon-sun"; }
);
rules = (
  { name = "promise-check"; on = "promise.due"; before = "2d"; notify = [ "mail" ];
    message = "Check on \"{{promise}}\" for {{account}}"; }
);
delivery = { attempts = 2; backoff = "1s"; max_backoff = "1s"; timeout = "5s"; };
CONF
start_nudged

add() { "$NUDGE" followup add "$2" --owner "$1" --account "${4:-Acme & Co <AB>}" --in "${3:-1s}" >/dev/null || fail "followup add for $1"; }
state() { sqlite3 "$DB" "SELECT group_concat(d.state || ' ' || d.attempts) FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = '$1'"; }
check_state() { wait_state "$1" "$2" "$3" && ok "$4" || fail "$4" "state '$(state "$1")', wanted '$2'; $(grep -F "$1" "$LOG" | tail -2)"; }
# mail WHO: what recv_smtp.py logged of the messages to WHO's address, as
# lines "key value" (see the Python below).
mail() {
	$PY - "$T/smtp.log" "$1" <<'PY'
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if sys.argv[2] not in r["rcpt_tos"]:
        continue
    print("defects", r["defects"])
    print("checks", r["checks"])
    print("to", r["to_addresses"])
    print("from", r["from_addresses"])
    print("subject", r["subject"])
    print("subject_chars", len(r["subject"]))
    print("msgid", r["message_id"])
    print("type", r["content_type"], r["parts"])
    # Python keeps the wire's CRLF in a decoded part.
    print("body", r["body"].replace("\r\n", "\n").replace("\n", " | "))
    print("html", r["html"].replace("\r\n", "\n").replace("\n", " "))
PY
}

"$NUDGE" deal add "Roof <renewal>" --account "Acme & Co <AB>" --owner anna --value 12000 --currency SEK >/dev/null || fail "deal add"
DEAL=$(sqlite3 "$DB" "SELECT id FROM deals")
"$NUDGE" followup add "Call Anna about the \"roof\" <b>now</b>" --owner anna --deal "$DEAL" --in 1s >/dev/null || fail "followup add for anna"
add bo "Bo's reminder & more"
add asa "$LONG"
add bounce "Mail that bounces"
add policy "Mail the policy refuses"
"$NUDGE" promise add "Send the quote" --owner anna --account "Acme & Co <AB>" --due "+2d" --to "Bo Berg" >/dev/null 2>&1 || fail "promise add"

check_state anna "delivered 1,delivered 1" 15 "anna's reminders (a deal's, a promise's) are delivered"
check_state bo "delivered 1" 10 "bo's reminder is delivered"
check_state asa "delivered 1" 10 "åsa's reminder is delivered"
mail anna@example.com >"$T/anna.txt"
mail bo@example.com >"$T/bo.txt"
mail asa@example.com >"$T/asa.txt"

n=$(grep -c "^defects \[\]$" "$T/anna.txt" "$T/bo.txt" "$T/asa.txt" | awk -F: '{s += $2} END {print s}')
[ "$n" = 4 ] && ok "all 4 messages parse under email.policy.strict with zero defects" \
	|| fail "zero defects under policy.strict" "$(grep -h '^defects' "$T"/{anna,bo,asa}.txt)"
n=$(grep -c "^checks \[\]$" "$T/anna.txt" "$T/bo.txt" "$T/asa.txt" | awk -F: '{s += $2} END {print s}')
[ "$n" = 4 ] && ok "header lines: no encoded word over 75 characters, no line over 78, no 8-bit byte" \
	|| fail "header lines by RFC 5322/2047" "$(grep -h '^checks' "$T"/{anna,bo,asa}.txt)"

contains "$T/anna.txt" "to [['Lind, Anna', 'anna@example.com']]" "'Lind, Anna' is one recipient with her name, not two"
contains "$T/bo.txt" "to [['Bo \"x\" <ceo@evil.example>', 'bo@example.com']]" "a name with quotes and an address in it stays a name: the one recipient is bo@example.com"
contains "$T/asa.txt" "to [['Åsa Öberg', 'asa@example.com']]" "'Åsa Öberg' arrives whole (RFC 2047)"
contains "$T/asa.txt" "from [['Påminnelse, Säljteamet', 'paminnelse@example.se']]" "a non-ASCII sender with a comma arrives whole"
contains "$T/anna.txt" "from [['nudge', 'nudge@example.com']]" "the channel's sender"

contains "$T/asa.txt" "subject_chars 100" "a long subject is shortened to 100 characters"
grep -q "^subject Ring Åsa about the renewal .*[^ ]…$" "$T/asa.txt" && ok "on a character boundary, with …" \
	|| fail "shortened with …" "$(grep '^subject' "$T/asa.txt")"
grep -qF "body $LONG |" "$T/asa.txt" && ok "the body has the whole text" || fail "whole text in the body" "$(grep '^body' "$T/asa.txt")"
contains "$T/bo.txt" "subject Bo's reminder & more" "a short subject is the text as it is"

grep -q "^type multipart/alternative \['multipart/alternative', 'text/plain', 'text/html'\]$" "$T/anna.txt" \
	&& ok "multipart/alternative of text/plain and text/html, no multipart/mixed" || fail "MIME structure" "$(grep '^type' "$T/anna.txt")"
deal_mail=$(grep -A9 '^defects' "$T/anna.txt" | grep '^body Call Anna')
for want in 'For:     Lind, Anna (anna)' 'Account: Acme & Co <AB>' 'Deal:    Roof <renewal> (open, 12000.00 SEK)' \
    'Due:     ' '(Europe/Stockholm)' "nudge followup done" "nudge followup snooze"; do
	case "$deal_mail" in *"$want"*) ok "the text part says '$want'" ;;
	*) fail "the text part says '$want'" "$deal_mail" ;; esac
done
grep -q '^body Check on "Send the quote" .*Promise: Send the quote, to Bo Berg, due ' "$T/anna.txt" \
	&& ok "a promise's reminder names the promise, to whom, and when it is due" || fail "promise row" "$(grep '^body Check' "$T/anna.txt")"
html=$(grep '^html .*Call Anna' "$T/anna.txt")
for want in 'Call Anna about the &quot;roof&quot; &lt;b&gt;now&lt;/b&gt;' 'Acme &amp; Co &lt;AB&gt;' 'Roof &lt;renewal&gt; (open, 12000.00 SEK)' \
    'Lind, Anna (anna)' 'nudge followup done'; do
	case "$html" in *"$want"*) ok "the HTML part says '$want', escaped" ;;
	*) fail "the HTML part says '$want'" "$html" ;; esac
done
case "$html" in *"<b>now"*|*"<AB>"*|*"<renewal>"*) fail "no field goes into the HTML unescaped" "$html" ;;
*) ok "no field goes into the HTML unescaped" ;; esac

# The Message-ID: the delivery id on the left, the channel's
# message_id_domain on the right, or the sender's domain.
mid=$(sqlite3 "$DB" "SELECT delivery_id FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'asa'")
contains "$T/asa.txt" "msgid <$mid@mail.example.net>" "message_id_domain is the Message-ID's right side"
mid=$(sqlite3 "$DB" "SELECT delivery_id FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'bo'")
contains "$T/bo.txt" "msgid <$mid@example.com>" "without it, the sender's domain"

# The server's words, not only its code.
check_state bounce "dead 1" 10 "SMTP 550 is dead at once"
err=$(sqlite3 "$DB" "SELECT last_error FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'bounce'")
[ "$err" = "SMTP 550: 5.1.1 No such user" ] && ok "last_error keeps the server's reply: $err" || fail "the server's reply in last_error" "$err"
check_state policy "dead 1" 10 "a two-line 550 is dead at once"
err=$(sqlite3 "$DB" "SELECT last_error FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = 'policy'")
[ "$err" = "SMTP 550: 5.7.1 Refused by local policy 5.7.1 See https://mail.example.invalid/why" ] \
	&& ok "both lines of a multi-line reply are kept" || fail "multi-line reply in last_error" "$err"
expect_status 1 "nudge status exits 1 with dead deliveries" -- "$NUDGE" status
contains "$T/out" "5.1.1 No such user" "nudge status shows the server's reply"

# Idle connections: the "brief" channel's idle is 4s.  A second message
# 1s after the first goes on the same connection (curl keeps it); one
# that comes after more than 4s idle goes on a new one.
conns() { $PY -c 'import json,sys; print(" ".join(str(json.loads(l)["conn"]) for l in open(sys.argv[1]) if "ida@example.com" in l))' "$T/smtp.log"; }
add idle "Idle one"
wait_until 10 '[ "$(count "$T/smtp.log" ida@example.com)" -ge 1 ]'
add idle "Idle two"
wait_until 10 '[ "$(count "$T/smtp.log" ida@example.com)" -ge 2 ]'
add idle "Idle three" 7s
wait_until 15 '[ "$(count "$T/smtp.log" ida@example.com)" -ge 3 ]'
read -r c1 c2 c3 <<<"$(conns)"
[ -n "$c1" ] && [ "$c1" = "$c2" ] && ok "a message soon after another reuses its connection" || fail "connection reuse" "$(conns)"
[ -n "$c3" ] && [ "$c3" != "$c2" ] && ok "after more than idle = 4s, a new connection" || fail "no reuse after idle" "$(conns)"

san_clean "$LOG"
finish
