#!/usr/bin/env bash
# A person's language (issue 23, point 4): anna (language = "sv") gets a
# Swedish email and a Swedish page at her link, bo (English, the default)
# gets English in the same run; a page that names no person follows the
# browser's Accept-Language; `nudge config check` notes a language
# without its catalog.
. "$(dirname "$0")/lib.sh"

start_mail_links || { finish; exit 1; }

make_conf <<CONF
people = (
  { handle = "anna"; name = "Anna Lind"; email = "anna@example.com"; language = "sv";
    timezone = "Europe/Stockholm"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "mail" ]; },
  { handle = "bo"; email = "bo@example.com"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "mail" ]; } );
channels = ( $MAIL_CHANNEL );
$HTTP_CONF
CONF

# The catalog's note: first that it is said without one, then not with it.
NUDGE_LOCALEDIR=/nonexistent "$NUDGE" config check >"$T/check" 2>&1
grep -q "person 'anna': language 'sv' has no catalog in /nonexistent" "$T/check" &&
	ok "config check notes a language whose catalog is not installed" || fail "config check without catalog" "$(cat "$T/check")"
"$NUDGE" config check >"$T/check" 2>&1
grep -q "no catalog" "$T/check" && fail "config check with the catalog" "$(cat "$T/check")" ||
	ok "with the catalog installed, no such note"
printf 'people = ( { handle = "a";\n  language = "de"; } );\n' >"$T/bad.conf"
"$NUDGE" -c "$T/bad.conf" config check >"$T/check" 2>&1
[ $? = 2 ] && grep -q "bad.conf:2: 'language' in person 'a': unknown language 'de' (en or sv)" "$T/check" &&
	ok "an unknown language is a config error with file and line (exit 2)" || fail "unknown language" "$(cat "$T/check")"

start_nudged -v || { finish; exit 1; }
"$NUDGE" followup add "Ring Acme om offerten" --owner anna --account Acme --in 1s >/dev/null
"$NUDGE" followup add "Call Acme about the quote" --owner bo --account Acme --in 1s >/dev/null

# part WHO text|html: that part of the first message to WHO, decoded.
part() {
	"$PY" - "$T/smtp.log" "$1" "$2" <<'PY'
import json, sys
from email import message_from_string, policy
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if sys.argv[2] in r["rcpt_tos"]:
        m = message_from_string(r["raw"], policy=policy.default)
        text = m.get_body(preferencelist=(sys.argv[3],)).get_content()
        print(text.replace("\r\n", "\n"))
        break
PY
}
wait_until 20 '[ "$(count "$T/smtp.log" anna@example.com)" -ge 1 ] && [ "$(count "$T/smtp.log" bo@example.com)" -ge 1 ]' ||
	{ fail "both reminders delivered" "$(tail "$LOG")"; finish; exit 1; }
part anna@example.com plain >"$T/anna.txt"
part anna@example.com html >"$T/anna.html"
part bo@example.com plain >"$T/bo.txt"
grep -q "^Öppna / markera som klar (eller skjut upp) i webbläsaren:$" "$T/anna.txt" &&
	grep -q "^Kund: *Acme$" "$T/anna.txt" && grep -q "^Senast: *\(mån\|tis\|ons\|tors\|fre\|lör\|sön\) " "$T/anna.txt" &&
	grep -q "^Ring Acme om offerten$" "$T/anna.txt" &&
	ok "anna's email is in Swedish around her own text (link line, labels, weekday)" || fail "Swedish email" "$(cat "$T/anna.txt")"
grep -q '<html lang="sv">' "$T/anna.html" && grep -q '>Öppna / markera som klar</a>' "$T/anna.html" &&
	ok "its HTML part too: lang=\"sv\", the button's label" || fail "Swedish HTML part" "$(cat "$T/anna.html")"
grep -q "^Open / mark done (or snooze) in your browser:$" "$T/bo.txt" && grep -q "^Account: *Acme$" "$T/bo.txt" &&
	! grep -q "Öppna" "$T/bo.txt" &&
	ok "bo's email, in the same run, is in English" || fail "English email" "$(cat "$T/bo.txt")"

ALINK=$(grep -oE "http://127.0.0.1:$HPORT/l/\S+" "$T/anna.txt" | head -1)
BLINK=$(grep -oE "http://127.0.0.1:$HPORT/l/\S+" "$T/bo.txt" | head -1)
[ -n "$ALINK" ] && [ -n "$BLINK" ] || fail "links in the emails" "$ALINK $BLINK"
"${CURL[@]}" -o "$T/apage" "$ALINK"
"${CURL[@]}" -o "$T/bpage" "$BLINK"
grep -q '<html lang="sv">' "$T/apage" && grep -q '<button type="submit">Markera som klar</button>' "$T/apage" &&
	grep -q 'I morgon bitti' "$T/apage" && grep -q '<dt>Kund</dt>' "$T/apage" &&
	ok "a GET of anna's link: a Swedish page (lang=\"sv\", Markera som klar)" || fail "Swedish page" "$(head -c 600 "$T/apage")"
grep -q '<html lang="en">' "$T/bpage" && grep -q '<button type="submit">Mark done</button>' "$T/bpage" &&
	! grep -q 'Markera' "$T/bpage" &&
	ok "a GET of bo's link: an English page" || fail "English page" "$(head -c 600 "$T/bpage")"
# The person decides, not the browser: anna's page stays Swedish for an
# English browser.
"${CURL[@]}" -H 'Accept-Language: en-US,en' -o "$T/apage" "$ALINK"
grep -q '<html lang="sv">' "$T/apage" && ok "anna's page is Swedish whatever the browser prefers" ||
	fail "person's language over the browser's" "$(head -c 300 "$T/apage")"
code=$("${CURL[@]}" -o "$T/apage" -w '%{http_code}' -X POST -d action=done "$ALINK")
[ "$code" = 200 ] && grep -q 'Klart. Tack!' "$T/apage" &&
	[ "$("$NUDGE" followup list --owner anna --done --json | "$PY" -c 'import json, sys; print(len(json.load(sys.stdin)))')" = 1 ] &&
	ok "her POST marks it done and says so in Swedish" || fail "Swedish POST" "$code $(head -c 600 "$T/apage")"

# A link that names no one (altered): the browser's language.
tampered=$(echo "$BLINK" | sed 's,/l/f\([0-9]*\)\.,/l/f9\1.,')
"${CURL[@]}" -H 'Accept-Language: sv-SE,sv;q=0.9,en;q=0.5' -o "$T/page" "$tampered"
grep -q '<html lang="sv">' "$T/page" && grep -q 'Länken är inte giltig' "$T/page" &&
	ok "a refused link's page follows Accept-Language (sv)" || fail "refused page in Swedish" "$(head -c 400 "$T/page")"
"${CURL[@]}" -o "$T/page" "$tampered"
grep -q '<html lang="en">' "$T/page" && grep -q 'This link is not valid' "$T/page" &&
	ok "and without one, English" || fail "refused page in English" "$(head -c 400 "$T/page")"

# nudge reads the catalog when it first writes a word in another
# language: its test reminder for anna is Swedish, bo's English.
"$NUDGE" notify-test anna >/dev/null && "$NUDGE" notify-test bo >/dev/null
[ "$(sqlite3 "$DB" "SELECT count(*) FROM followups WHERE text LIKE 'Testpåminnelse till anna %'")" = 1 ] &&
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM followups WHERE text LIKE 'Test reminder for bo %'")" = 1 ] &&
	ok "nudge writes anna's test reminder in Swedish, bo's in English" ||
	fail "nudge's own words" "$(sqlite3 "$DB" "SELECT text FROM followups ORDER BY id DESC LIMIT 2")"
finish
