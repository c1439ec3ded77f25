#!/usr/bin/env bash
# A folded message (reminders missed while nudged was down, a digest)
# lists reminders that each have their own action page: its email gives
# each one its link, in the text and the HTML part, and pressing one acts
# on that reminder alone (issue 23: links in every reminder).
. "$(dirname "$0")/lib.sh"

start_mail_links || { finish; exit 1; }

make_conf <<CONF
people = (
  { handle = "cy"; email = "cy@example.com"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "mail" ]; } );
channels = ( $MAIL_CHANNEL );
$HTTP_CONF
delivery = { late_after = "2m"; };
CONF

# Three reminders due ten minutes ago, past late_after: one message.
# Cai's text says where its link goes ({{link}}, as a rule's message may).
then=$(date -u -d '-10 minutes' '+%Y-%m-%dT%H:%M:%SZ')
for text in "Call Ada" "Call Bo" "Call Cai: {{link}}"; do
	who=${text#Call }; who=${who%%:*}
	NUDGE_NOW="$then" "$NUDGE" followup add "$text" --owner cy --account "$who AB" --in 1s >/dev/null
done
start_nudged -v || { finish; exit 1; }
wait_until 20 '[ "$(count "$T/smtp.log" cy@example.com)" -ge 1 ]' ||
	{ fail "the folded message is delivered" "$(tail "$LOG")"; finish; exit 1; }
# A second message would come after the first: count once nothing is
# left to send (no follow-up pending, no delivery undelivered).
unsent() { sqlite3 "$DB" "SELECT (SELECT count(*) FROM followups WHERE state = 'pending') + (SELECT count(*) FROM deliveries WHERE state <> 'delivered')"; }
wait_until 20 '[ "$(unsent)" = 0 ]' || fail "everything is delivered" "$(sqlite3 "$DB" 'SELECT id, state FROM deliveries')"
[ "$(count "$T/smtp.log" cy@example.com)" = 1 ] && ok "the three missed reminders come as one email" ||
	fail "one email" "$(count "$T/smtp.log" cy@example.com)"

# Each part's links, one "ID URL" a line, in the order listed; and the
# items' texts each link stands under (text) or in (HTML).
"$PY" - "$T/smtp.log" >"$T/links" <<'PY'
import json, re, sys
from email import message_from_string, policy
from html.parser import HTMLParser

r = json.loads(open(sys.argv[1], encoding="utf-8").readline())
m = message_from_string(r["raw"], policy=policy.strict)
text = m.get_body(preferencelist=("plain",)).get_content()
html = m.get_body(preferencelist=("html",)).get_content()
lines = text.splitlines()
print("listed", sum(1 for l in lines if "Call Ada" in l))
print("raw", sum(1 for l in lines if "{{link}}" in l))
head = "Open each one to mark it done or snooze it:"
i = lines.index(head) + 1 if head in lines else len(lines)
while i < len(lines) and lines[i].startswith("  - "):
    inline = re.search(r"http\S*/l/f\S+", lines[i])
    if inline:
        url, i = inline.group(0), i + 1
        print("inline", re.search(r"/l/f(\d+)\.", url).group(1))
    else:
        url, i = lines[i + 1].strip(), i + 2
    fid = re.search(r"/l/f(\d+)\.", url).group(1)
    print("text", fid, url, lines[i - 1 if inline else i - 2][4:])

class Links(HTMLParser):
    href = None
    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.href = dict(attrs).get("href")
    def handle_data(self, data):
        if self.href and "/l/f" in self.href:
            fid = re.search(r"/l/f(\d+)\.", self.href).group(1)
            print("html", fid, self.href, data)
        self.href = None
Links().feed(html)
PY
ids=$(sqlite3 "$T/nudge.db" "SELECT id FROM followups WHERE text LIKE 'Call %' ORDER BY id" | tr '\n' ' ')
[ "$(awk '$1 == "text" {printf "%s ", $2}' "$T/links")" = "$ids" ] &&
	grep -q '^text [0-9]* \S* Call Ada \[Ada AB\]$' "$T/links" &&
	ok "the text part lists each reminder with its own link ($ids)" || fail "text part's links" "$ids / $(cat "$T/links")"
grep -qx "listed 1" "$T/links" && grep -qx "raw 0" "$T/links" &&
	ok "each reminder is listed once, no {{link}} left in the text" || fail "listed once" "$(cat "$T/links")"
cai=$(sqlite3 "$T/nudge.db" "SELECT id FROM followups WHERE text LIKE 'Call Cai%'")
grep -qx "inline $cai" "$T/links" && [ "$(grep -c '^inline' "$T/links")" = 1 ] &&
	ok "the reminder whose text has {{link}} shows its own link there, not a second time" || fail "inline link" "$(cat "$T/links")"
[ "$(awk '$1 == "html" {printf "%s ", $2}' "$T/links")" = "$ids" ] &&
	[ "$(awk '$1 == "text" {print $3}' "$T/links")" = "$(awk '$1 == "html" {print $3}' "$T/links")" ] &&
	ok "the HTML part links each reminder's text to the same links" || fail "HTML part's links" "$(cat "$T/links")"

# Pressing one acts on that reminder alone.
read -r _ first url _ < <(grep '^text' "$T/links" | head -1)
"${CURL[@]}" -o "$T/page" -w '%{http_code}' "$url" >"$T/code"
[ "$(cat "$T/code")" = 200 ] && grep -q "Call Ada" "$T/page" &&
	ok "an item's link opens that reminder's page" || fail "item page" "$(cat "$T/code") $(head -c 300 "$T/page")"
"${CURL[@]}" -o /dev/null -X POST -d action=done "$url"
states=$(sqlite3 "$T/nudge.db" "SELECT state FROM followups WHERE text LIKE 'Call %' ORDER BY id" | tr '\n' ' ')
[ "$states" = "done notified notified " ] &&
	ok "Mark done on it marks that one done, the others stay as they were" || fail "states after the press" "$states"
finish
