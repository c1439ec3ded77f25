#!/usr/bin/env bash
# Action links (issue 23): a reminder delivered to a real receiver carries
# {{link}}; the link opens in headless Chromium (browser_links.py presses
# every button and checks the database after each); a scanner's GETs
# change nothing; a tampered, expired, revoked or cross-site request is
# refused and changes nothing; the pages' security headers.
. "$(dirname "$0")/lib.sh"

start_receiver http recv || { fail "receiver starts"; finish; exit 1; }
{ start_receiver http slack && start_receiver smtp smtp; } || { fail "the Slack and SMTP receivers start"; finish; exit 1; }
HPORT=$(free_port)

make_conf <<CONF
people = ( { handle = "anna"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "hook" ]; },
  { handle = "bo"; email = "bo@example.com"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "mail", "slack" ]; } );
channels = ( { name = "hook"; type = "webhook"; url = "http://127.0.0.1:$(cat "$T/recv.port")/ok"; },
  { name = "slack"; type = "webhook"; format = "slack"; url = "http://127.0.0.1:$(cat "$T/slack.port")/ok"; },
  { name = "mail"; type = "email"; url = "smtp://127.0.0.1:$(cat "$T/smtp.port")"; from = "nudge@example.com"; tls = "none"; } );
rules = (
  { name = "thanks"; on = "deal.won"; after = "1s"; message = "Thank {{account}}: {{link}}"; },
  { name = "due"; on = "promise.due"; after = "0s"; message = "Due: {{promise}} {{link}}"; },
  { name = "target"; on = "promise.target"; after = "0s"; message = "Target: {{promise}} {{link}}"; }
);
# The whole lead time as slack: a promise's internal target is now.
promises = { slack = "100%"; min_slack = "0s"; max_slack = "2d"; };
http = { listen = "127.0.0.1:$HPORT"; link_ttl = "1d"; };
CONF
start_nudged -v || { finish; exit 1; }
key="$T/nudge.db.linkkey"
[ "$(stat -c %a "$key")" = 600 ] && [ "$(stat -c %s "$key")" = 65 ] &&
	ok "nudged made the links' key at its first start, mode 0600" || fail "the key file" "$(ls -l "$key")"

"$NUDGE" deal add "Pilot" --account Acme --owner anna >/dev/null
"$NUDGE" deal won 1 >/dev/null
"$NUDGE" promise add "Send the offer" --owner anna --account Acme --due "+2s" >/dev/null 2>&1
# link KIND: the link in the first reminder of a follow-up of that rule.
link() {
	"$PY" -c 'import json, re, sys
for line in open(sys.argv[1]):
    text = json.loads(json.loads(line)["body"])["data"]["text"]
    if text.startswith(sys.argv[2]):
        print(re.search(r"http://\S+", text).group(0))
        break' "$T/recv.log" "$1" 2>/dev/null
}
# A second promise, due in a day: its target (now) is a reminder for a
# promise that may still be renegotiated.
"$NUDGE" promise add "Send the contract" --owner anna --account Acme --due "+1d" >/dev/null 2>&1
wait_until 20 '[ -n "$(link Thank)" ] && [ -n "$(link Due)" ] && [ -n "$(link "Target: Send the contract")" ]' &&
	ok "the reminders reached the receiver with their links" || fail "reminders with links" "$(cat "$T/recv.log") $(tail "$LOG")"
FLINK=$(link Thank) PLINK=$(link Due) TLINK=$(link "Target: Send the contract")
case "$FLINK" in "http://127.0.0.1:$HPORT/l/f"*) ok "{{link}} is the listener's URL ($FLINK)" ;;
	*) fail "{{link}} rendered" "$FLINK" ;; esac
FID=$(echo "$FLINK" | sed 's,.*/l/f\([0-9]*\)\..*,\1,')
PFID=$(echo "$PLINK" | sed 's,.*/l/f\([0-9]*\)\..*,\1,')

# A scanner: GETs and HEADs of every link change nothing.
db_before=$(db_dump "$T/nudge.db")
for u in "$FLINK" "$PLINK"; do
	"${CURL[@]}" -o /dev/null "$u"; "${CURL[@]}" -I -o /dev/null "$u"
done
[ "$(db_dump "$T/nudge.db")" = "$db_before" ] && ok "a scanner's GET and HEAD change nothing" ||
	fail "GET changed the database"
"${CURL[@]}" -D "$T/h" -o "$T/page" "$FLINK"
missing=""
for h in "Content-Security-Policy: default-src 'none'; style-src 'sha256-" "form-action 'self'" \
	"frame-ancestors 'none'" "Referrer-Policy: no-referrer" "Cache-Control: no-store" \
	"Content-Type: text/html; charset=utf-8"; do
	grep -qiF -- "$h" "$T/h" || missing="$missing [$h]"
done
[ -z "$missing" ] && ok "security headers: CSP (default-src 'none', the style's hash, form-action, frame-ancestors), no-referrer, no-store" ||
	fail "security headers" "missing:$missing in $(cat "$T/h")"
grep -qi '<script' "$T/page" && fail "no JavaScript" || ok "the page has no script"
grep -qiE '(src|href)="https?:' "$T/page" && fail "no external assets" || ok "the page loads nothing from elsewhere"

# Refusals change nothing (a POST with the real link does: below and in
# the browser).
tampered=$(echo "$FLINK" | sed 's,/l/f\([0-9]*\)\.,/l/f9\1.,')
code=$("${CURL[@]}" -o "$T/page" -w '%{http_code}' -X POST -d action=done "$tampered")
[ "$code" = 403 ] && grep -q "not valid" "$T/page" && ok "a tampered link is refused (403, says so)" ||
	fail "tampered link" "$code $(head -c 300 "$T/page")"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST -H 'Sec-Fetch-Site: cross-site' -d action=done "$FLINK")
[ "$code" = 403 ] && ok "a POST from another site is refused" || fail "cross-site POST" "$code"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST -H 'Origin: https://evil.example' -d action=done "$FLINK")
[ "$code" = 403 ] && ok "a POST with another Origin is refused" || fail "foreign Origin" "$code"
[ "$(db_dump "$T/nudge.db")" = "$db_before" ] && ok "the refused requests changed nothing" ||
	fail "refused requests changed the database"

# Expired: a link made to live one second.
short=$("$NUDGE" link make "$FID" --ttl 1s)
expired() { [ "$("${CURL[@]}" -o "$T/page" -w '%{http_code}' "$short")" = 410 ]; }
wait_until 10 expired && grep -q "expired" "$T/page" && ok "an expired link says so (410)" || fail "expired link" "$(head -c 300 "$T/page")"
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST -d action=done "$short")
[ "$code" = 410 ] && [ "$(db_dump "$T/nudge.db")" = "$db_before" ] && ok "an expired link's POST changes nothing" ||
	fail "expired POST" "$code"

# Log a contact from the page (issue 25): a talk that does not finish
# the follow-up resets its account's stay-in-touch clock; the follow-up
# stays open for the browser below.
grep -q 'id="h-contact"' "$T/page" 2>/dev/null || "${CURL[@]}" -o "$T/page" "$FLINK"
grep -q 'id="h-contact"' "$T/page" && ok "the page offers to log a contact" || fail "contact form" "$(head -c 300 "$T/page")"
touches() { sqlite3 "$T/nudge.db" "SELECT count(*) FROM contacts WHERE note = 'spoke to Bo at the fair'"; }
[ "$(touches)" = 0 ] || fail "no such contact before"
code=$("${CURL[@]}" -o "$T/page" -w '%{http_code}' -X POST -H 'Sec-Fetch-Site: same-origin' \
	--data-urlencode action=contact --data-urlencode 'note=spoke to Bo at the fair' "$FLINK")
[ "$code" = 200 ] && grep -q "The contact is logged" "$T/page" && [ "$(touches)" = 1 ] &&
	ok "Log a contact: the touch is in the ledger, with its note" || fail "log a contact" "$code $(touches) $(head -c 300 "$T/page")"
"$NUDGE" --json accounts | "$PY" -c 'import json, sys; a = [x for x in json.load(sys.stdin) if x.get("account", x.get("name")) == "Acme"]; sys.exit(0 if a and "anna" in json.dumps(a[0]) else 1)' &&
	ok "nudge accounts shows Acme's last touch by anna" || fail "accounts after the contact" "$("$NUDGE" --json accounts)"
[ "$("$NUDGE" followup show "$FID" --json | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["state"])')" != done ] &&
	ok "the follow-up itself stays open" || fail "contact closed the follow-up"

promise_of() {
	"$NUDGE" followup show "$(echo "$1" | sed 's,.*/l/f\([0-9]*\)\..*,\1,')" --json |
		"$PY" -c 'import json, sys; print(json.load(sys.stdin)["promise"])'
}
# The browser presses every button; the database after each.
"$PY" "$ROOT/tests/integration/browser_links.py" "$NUDGE" "$FLINK" "$FID" "$PLINK" \
	"$(promise_of "$PLINK")" "$TLINK" "$(promise_of "$TLINK")" \
	>"$T/browser.out" 2>&1
while read -r word rest; do
	case "$word" in ok) ok "browser: $rest" ;; FAIL) fail "browser: $rest" ;; esac
done <"$T/browser.out"
grep -q '^ok ' "$T/browser.out" || fail "the browser test ran" "$(tail -20 "$T/browser.out")"
"$NUDGE" followup show "$FID" --json >/dev/null
sqlite3 "$T/nudge.db" "SELECT actor FROM events WHERE subject_type = 'followup' AND subject_id = $FID AND kind = 'followup.done'" |
	grep -qx "anna (link)" && ok "the event's actor says it came through a link" || fail "actor of the link's event"

# Where people find the links (issue 23's Done-when): in a delivered
# email (the SMTP sink: the text part's "Open / mark done" line and the
# HTML part's button, the same link) and in a Slack body (the actions
# block's URL buttons), opened in Chromium: snooze, done and a promise
# kept from each, the database checked after each press.
for w in Email Slack; do
	"$NUDGE" followup add "$w: call Bo" --owner bo --account Acme --in 1s >/dev/null
	"$NUDGE" promise add "$w: send Bo the terms" --owner bo --account Acme --due "+1d" >/dev/null 2>&1
done
# mail_link TEXT: the text part's link and the HTML button's, of the
# email whose text part has TEXT.
mail_link() {
	"$PY" -c 'import json, re, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if sys.argv[2] in r["body"]:
        t = re.search(r"Open / mark done \(or snooze\) in your browser:\s+(\S+)", r["body"])
        h = re.search(r"<a href=\"([^\"]+)\" style=\"[^\"]*\">Open / mark done</a>", r["html"])
        print(t.group(1) if t else "-", h.group(1) if h else "-")
        break' "$T/smtp.log" "$1" 2>/dev/null
}
# slack_button TEXT ACTION_ID: that button's url in the Slack body whose
# section has TEXT.
slack_button() {
	"$PY" -c 'import json, sys
for line in open(sys.argv[1]):
    b = json.loads(json.loads(line)["body"])
    if sys.argv[2] in b["blocks"][1]["text"]["text"]:
        for e in [e for k in b["blocks"] if k["type"] == "actions" for e in k["elements"]]:
            if e["action_id"] == sys.argv[3]:
                print(e["url"])
        break' "$T/slack.log" "$1" "$2" 2>/dev/null
}
wait_until 30 '[ -n "$(mail_link "Target: Email: send Bo")" ] && [ -n "$(slack_button "Target: Slack: send Bo" nudge-h-kept)" ] && [ -n "$(mail_link "Email: call Bo")" ] && [ -n "$(slack_button "Slack: call Bo" nudge-h-done)" ]' &&
	ok "the email and the Slack reminders arrived with their links" ||
	fail "email and Slack reminders with links" "$(tail -c 600 "$T/smtp.log") $(tail -c 600 "$T/slack.log") $(tail -5 "$LOG")"
read -r ETEXT EHTML <<<"$(mail_link "Email: call Bo")"
[ "$ETEXT" = "$EHTML" ] && case "$ETEXT" in "http://127.0.0.1:$HPORT/l/f"*) true ;; *) false ;; esac &&
	ok "the email's text part and its HTML button carry the same link ($ETEXT)" || fail "the email's links" "text $ETEXT html $EHTML"
EP=$(mail_link "Target: Email: send Bo" | cut -d' ' -f1)
SDONE=$(slack_button "Slack: call Bo" nudge-h-done) SSNOOZE=$(slack_button "Slack: call Bo" nudge-h-snooze)
SKEPT=$(slack_button "Target: Slack: send Bo" nudge-h-kept)
[ "${SDONE%#h-done}#h-snooze" = "$SSNOOZE" ] && [ -z "$(slack_button "Slack: call Bo" nudge-h-kept)" ] &&
	ok "Slack: Mark done and Snooze open the follow-up's page at their forms; no Promise kept on a plain follow-up" ||
	fail "Slack's buttons" "$SDONE $SSNOOZE"
fid_of() { echo "$1" | sed 's,.*/l/f\([0-9]*\)\..*,\1,'; }
"$PY" "$ROOT/tests/integration/browser_links.py" --act email "$NUDGE" "$ETEXT" "$(fid_of "$ETEXT")" \
	"$EP" "$(promise_of "$EP")" >"$T/browser.out" 2>&1
"$PY" "$ROOT/tests/integration/browser_links.py" --act Slack "$NUDGE" "$SSNOOZE" "$(fid_of "$SSNOOZE")" \
	"$SKEPT" "$(promise_of "$SKEPT")" >>"$T/browser.out" 2>&1
while read -r word rest; do
	case "$word" in ok) ok "browser: $rest" ;; FAIL) fail "browser: $rest" ;; esac
done <"$T/browser.out"
[ "$(grep -c '^ok ' "$T/browser.out")" = 6 ] || fail "the email and Slack browser runs" "$(tail -20 "$T/browser.out")"
"$NUDGE" report --owner bo --json >"$T/report.json"
"$PY" -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["owners"][0]["promises"]["kept_on_time"])' "$T/report.json" | grep -qx 2 &&
	ok "the ledger shows both promises kept (nudge report)" || fail "the ledger" "$(cat "$T/report.json" | head -c 600)"

# Rotation: links signed before still work; after --revoke none does.
"$NUDGE" link rotate-key >/dev/null
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$PLINK")
[ "$code" = 200 ] && ok "after rotate-key a link signed with the previous key still works" || fail "previous key" "$code"
fresh=$("$NUDGE" link make "$PFID")
[ "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$fresh")" = 200 ] && ok "a link signed with the new key works" || fail "new key"
"$NUDGE" link make "$PFID" --json >"$T/lj"
"$PY" -c 'import json, sys; o = json.load(open(sys.argv[1])); assert o["followup"] == int(sys.argv[2]) and "/l/f" in o["url"] and o["expires"]' "$T/lj" "$PFID" &&
	ok "link make --json: the follow-up, its url and when it expires" || fail "link make --json" "$(cat "$T/lj")"
# The command's table: a missing ID and a mistyped option are usage
# errors (exit 2) that say which; no key is replaced.
sum=$(sha256sum <"$key")
expect_status 2 "link make without an ID: exit 2" -- "$NUDGE" link make
contains "$T/err" "link make takes one ID" "... and says it takes one ID"
expect_status 2 "link make --tll: exit 2" -- "$NUDGE" link make "$PFID" --tll 1h
contains "$T/err" "did you mean '--ttl'" "... with a did-you-mean"
expect_status 2 "link rotate-key --revoek: exit 2" -- "$NUDGE" link rotate-key --revoek
[ "$(sha256sum <"$key")" = "$sum" ] && ok "... and the key is as it was" || fail "a refused rotate-key replaced the key"
"$NUDGE" link rotate-key --revoke >/dev/null
code=$("${CURL[@]}" -o "$T/page" -w '%{http_code}' "$PLINK")
[ "$code" = 403 ] && ok "after rotate-key --revoke an old link is refused" || fail "revoked link" "$code"

# Without an http group, {{link}} is refused by the config check.
sed '/^http = /d' "$T/nudge.conf" >"$T/nolink.conf"
"$NUDGE" -c "$T/nolink.conf" config check >/dev/null 2>"$T/err" && fail "{{link}} without http" ||
	{ grep -q "{{link}} needs the HTTP listener" "$T/err" && ok "{{link}} without an http group: the config check says it needs the listener" ||
	  fail "{{link}} message" "$(cat "$T/err")"; }
sed '/^http = /d; s/ {{link}}//; s/: {{link}}//' "$T/nudge.conf" >"$T/plain.conf"
"$NUDGE" -c "$T/plain.conf" config check >/dev/null 2>"$T/err" && ok "... and the same file without {{link}} passes" ||
	fail "plain config" "$(cat "$T/err")"
# A link is bound to its database's identity (daemon.database_id), not
# to the file's path: a new database where the old one was refuses the
# old database's links, though the key file is the same; the old
# database moved elsewhere still takes them.
restart() { start_nudged -v "$@"; }
old1=$("$NUDGE" link make 1)
[ "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$old1")" = 200 ] && ok "follow-up 1's link opens on its database" ||
	fail "follow-up 1's link"
kill -TERM "$DPID"; wait "$DPID"
for f in nudge.db nudge.db-wal nudge.db-shm; do [ ! -e "$T/$f" ] || mv "$T/$f" "$T/moved.db${f#nudge.db}"; done
restart
"$NUDGE" followup add "Someone else's call" --owner anna --account Other --in 1d >/dev/null
new_before=$(db_dump "$T/nudge.db")
code=$("${CURL[@]}" -o "$T/page" -w '%{http_code}' "$old1")
code2=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST -d action=done "$old1")
[ "$code" = 403 ] && [ "$code2" = 403 ] && [ "$(db_dump "$T/nudge.db")" = "$new_before" ] &&
	ok "a new database in the old one's place refuses the old one's link (403) and its follow-up 1 is untouched" ||
	fail "old link on a new database" "$code $code2 $(head -c 300 "$T/page") $(tail -5 "$LOG")"
[ "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$("$NUDGE" link make 1)")" = 200 ] &&
	ok "... while its own follow-up 1's link opens" || fail "the new database's own link"
sed 's/^database = .*/database = "moved.db";/; s|^http = { |http = { key_file = "'"$key"'"; |' "$T/nudge.conf" >"$T/moved.conf"
kill -TERM "$DPID"; wait "$DPID"
restart -c "$T/moved.conf"
code=$("${CURL[@]}" -o "$T/page" -w '%{http_code}' "$old1")
[ "$code" = 200 ] && ok "the old database moved to another file still takes its link" ||
	fail "old link on the moved database" "$code $(head -c 300 "$T/page") $(tail -5 "$LOG")"
# The calendar feed at its secret address on the same listener
# (lib/calendar.c): served, read-only, gone once revoked.
CAL=$("$NUDGE" -c "$T/moved.conf" calendar url anna 2>"$T/err")
case "$CAL" in "http://127.0.0.1:$HPORT/cal/"*.ics) ok "calendar url is the listener's ($CAL)" ;;
	*) fail "calendar url" "$CAL $(cat "$T/err")" ;; esac
code=$("${CURL[@]}" -o "$T/feed" -w '%{http_code} %{content_type}' "$CAL")
[ "$code" = "200 text/calendar; charset=utf-8" ] && grep -q '^BEGIN:VCALENDAR' "$T/feed" &&
	ok "the feed is served at it (200, text/calendar)" || fail "calendar feed over HTTP" "$code $(head -c 200 "$T/feed")"
[ "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -X POST -d x=1 "$CAL")" = 405 ] &&
	ok "a POST to the feed is refused (405)" || fail "POST to the feed"
"$NUDGE" -c "$T/moved.conf" calendar revoke anna >/dev/null
[ "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$CAL")" = 404 ] &&
	ok "a revoked address is gone (404)" || fail "revoked calendar address"
kill -TERM "$DPID"; wait "$DPID"; rc=$?
[ "$rc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$LOG" && ok "nudged stops cleanly (exit 0, no sanitizer report)" ||
	fail "nudged's stop" "exit $rc; $(grep -A5 "Sanitizer\|runtime error" "$LOG" | head -20)"
finish
