#!/usr/bin/env bash
# Action links (issue 23): a reminder delivered to a real receiver carries
# {{link}}; the link opens in headless Chromium (browser_links.py presses
# every button and checks the database after each); a scanner's GETs
# change nothing; a tampered, expired, revoked or cross-site request is
# refused and changes nothing; the pages' security headers.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
CURL=(curl -s --max-time 10)
"$PY" "$ROOT/tests/integration/recv_http.py" --port-file "$T/rport" --log "$T/recv.log" &
PIDS+=($!)
wait_until 10 '[ -s "$T/rport" ]' || { fail "receiver starts"; finish; exit 1; }
HPORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

mkdir -p "$T/run"
cat >"$T/nudge.conf" <<CONF
database = "nudge.db";
runtime_dir = "run";
people = ( { handle = "anna"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "hook" ]; } );
channels = ( { name = "hook"; type = "webhook"; url = "http://127.0.0.1:$(cat "$T/rport")/ok"; } );
rules = (
  { name = "thanks"; on = "deal.won"; after = "1s"; message = "Thank {{account}}: {{link}}"; },
  { name = "due"; on = "promise.due"; after = "0s"; message = "Due: {{promise}} {{link}}"; },
  { name = "target"; on = "promise.target"; after = "0s"; message = "Target: {{promise}} {{link}}"; }
);
# The whole lead time as slack: a promise's internal target is now.
promises = { slack = "100%"; min_slack = "0s"; max_slack = "2d"; };
http = { listen = "127.0.0.1:$HPORT"; link_ttl = "1d"; };
CONF
export NUDGE_CONFIG="$T/nudge.conf"
LOG="$T/nudged.log"
"$NUDGED" -v >"$LOG" 2>&1 &
PIDS+=($!)
DPID=$!
wait_for "$LOG" "ready" 10 || { fail "nudged starts" "$(cat "$LOG")"; finish; exit 1; }
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
restart() {
	"$NUDGED" -v "$@" >"$LOG" 2>&1 &
	DPID=$!; PIDS+=($DPID)
	wait_for "$LOG" "ready" 10 || fail "nudged starts again" "$(cat "$LOG")"
}
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
	fail "old link on a new database" "$code $code2 $(head -c 300 "$T/page")"
[ "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$("$NUDGE" link make 1)")" = 200 ] &&
	ok "... while its own follow-up 1's link opens" || fail "the new database's own link"
sed 's/^database = .*/database = "moved.db";/; s|^http = { |http = { key_file = "'"$key"'"; |' "$T/nudge.conf" >"$T/moved.conf"
kill -TERM "$DPID"; wait "$DPID"
restart -c "$T/moved.conf"
code=$("${CURL[@]}" -o "$T/page" -w '%{http_code}' "$old1")
[ "$code" = 200 ] && ok "the old database moved to another file still takes its link" ||
	fail "old link on the moved database" "$code $(head -c 300 "$T/page")"
kill -TERM "$DPID"; wait "$DPID"; rc=$?
[ "$rc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$LOG" && ok "nudged stops cleanly (exit 0, no sanitizer report)" ||
	fail "nudged's stop" "exit $rc; $(grep -A5 "Sanitizer\|runtime error" "$LOG" | head -20)"
finish
