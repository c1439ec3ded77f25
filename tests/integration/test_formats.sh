#!/usr/bin/env bash
# What a reminder says on each wire (issue 22): hostile names, accounts and
# texts in every field of every chat format (Slack, Mattermost, Teams,
# Google Chat) arrive shown, never obeyed, within each format's limits;
# the JSON body is Standard Webhooks' {type, timestamp, data}, valid
# against docs/webhook.schema.json, in UTC, the same at every retry, with
# the rule's event and a folded message's ids; delivery ids carry the
# database's identity, which status shows and an export keeps.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"

SCHEMA="$HERE/../../docs/webhook.schema.json"
make_hook_secret
start_receiver http http --secret "$SECRET" && H="http://127.0.0.1:$PORT" || { fail "receiver starts"; finish; exit 1; }

# A name and an account that would ping a channel behind a disguised link.
EVIL_NAME='<!channel> <@U123> *Anna* _x_ ~y~ `z` @here & <script>'
EVIL_ACCOUNT='<!here> <https://evil.example|Acme invoice>'
EVIL_TEXT='Ping <@U123> <!everyone> <users/all> @all & <script>alert(1)</script> *b* _i_ ~s~ `c` [l](https://evil.example) # h'
make_conf <<CONF
channels = (
  { name = "slack"; type = "webhook"; format = "slack"; url = "$H/ok/slack"; },
  { name = "mattermost"; type = "webhook"; format = "mattermost"; url = "$H/ok/mattermost"; },
  { name = "teams"; type = "webhook"; format = "teams"; url = "$H/ok/teams"; },
  { name = "googlechat"; type = "webhook"; format = "googlechat"; url = "$H/ok/googlechat"; },
  { name = "hook"; type = "webhook"; format = "json"; url = "$H/ok/json"; secret_file = "hook.secret"; },
  { name = "flaky"; type = "webhook"; url = "$H/fail/1/json"; secret_file = "hook.secret"; }
);
people = (
  { handle = "slack"; notify = [ "slack" ]; name = "$EVIL_NAME"; hours = "00:00-24:00"; days = "mon-sun"; timezone = "Europe/Stockholm"; },
  { handle = "mm"; notify = [ "mattermost" ]; name = "$EVIL_NAME"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "teams"; notify = [ "teams" ]; name = "$EVIL_NAME"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "gchat"; notify = [ "googlechat" ]; name = "$EVIL_NAME"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "won"; notify = [ "hook" ]; hours = "00:00-24:00"; days = "mon-sun"; timezone = "Europe/Stockholm"; },
  { handle = "flaky"; notify = [ "flaky" ]; hours = "00:00-24:00"; days = "mon-sun"; timezone = "America/New_York"; },
  { handle = "away"; notify = [ "hook" ]; hours = "00:00-24:00"; days = "mon-sun"; }
);
rules = (
  { name = "thanks"; on = "deal.won"; after = "1s"; message = "Thank {{account}} for the order"; }
);
delivery = { attempts = 3; backoff = "1s"; max_backoff = "1s"; timeout = "5s"; late_after = "2m"; };
CONF

# --- the database's identity ---
expect_status 0 "a follow-up makes the database" -- "$NUDGE" followup add "$EVIL_TEXT" --owner slack --account "$EVIL_ACCOUNT" --in 1s
"$NUDGE" status --json >"$T/status.json"
DBID=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["database_id"])' "$T/status.json")
[[ "$DBID" =~ ^[0-9a-f]{32}$ ]] && ok "status --json shows the database's identity (32 hex digits)" || fail "database_id" "$(cat "$T/status.json")"
"$NUDGE" status >"$T/status.txt"
contains "$T/status.txt" "identity   $DBID" "status shows it as text"
"$NUDGE" -d "$T/other.db" followup add "Elsewhere" --owner won --account Acme --in 1h >/dev/null
OTHER=$("$NUDGE" -d "$T/other.db" status --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["database_id"])')
[[ "$OTHER" =~ ^[0-9a-f]{32}$ ]] && [ "$OTHER" != "$DBID" ] && ok "another database has another identity" || fail "identities differ" "$DBID $OTHER"

# --- what goes out ---
LONG=$(printf '<*%.0s' $(seq 1000))
for who in slack mm teams gchat; do
	[ $who = slack ] || "$NUDGE" followup add "$EVIL_TEXT" --owner $who --account "$EVIL_ACCOUNT" --in 1s >/dev/null
	"$NUDGE" followup add "$LONG" --owner $who --account Acme --in 1s >/dev/null
done
"$NUDGE" followup add "Retried reminder" --owner flaky --account Acme --in 1s >/dev/null
deal=$("$NUDGE" --json deal add Roof --account Acme --owner won | $PY -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$NUDGE" deal won "$deal" >/dev/null
# Three reminders due ten minutes ago, past late_after: one folded message.
then=$(date -u -d '-10 minutes' '+%Y-%m-%dT%H:%M:%SZ')
for i in 1 2 3; do
	NUDGE_NOW="$then" "$NUDGE" followup add "Missed $i" --owner away --account "Beta $i" --in 1s >/dev/null
done
start_nudged
delivered() { sqlite3 "$DB" "SELECT count(*) FROM deliveries WHERE state = 'delivered'"; }
# 8 chat, the retried one, the won deal's, the folded message.
wait_until 20 '[ "$(delivered)" -ge 11 ]' && ok "every reminder delivered" || fail "delivered" "$(delivered); $(tail -5 "$LOG")"

$PY - "$T/http.log" "$SCHEMA" >"$T/check.txt" <<'PY'
import json, sys, jsonschema
limits = {"slack": {"text": 4000, "section": 3000, "header": 150}, "mattermost": 4000, "googlechat": 4096, "teams": 4000}
def units(s): return sum(2 if ord(c) > 0xffff else 1 for c in s)
def strings(v):
    if isinstance(v, str): yield v
    elif isinstance(v, dict):
        for x in v.values(): yield from strings(x)
    elif isinstance(v, list):
        for x in v: yield from strings(x)
schema = json.load(open(sys.argv[2]))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
seen, bad, cut = {}, [], {}
jsonbodies = []
for l in open(sys.argv[1]):
    r = json.loads(l)
    fmt = r["path"].split("/")[2] if r["path"].startswith("/ok/") else "json"
    b = json.loads(r["body"])
    seen[fmt] = seen.get(fmt, 0) + 1
    if fmt == "json":
        jsonbodies.append((r, b))
        continue
    s = list(strings(b))
    allt = "\n".join(s)
    if "…" in allt: cut[fmt] = True
    if fmt != "teams":
        for bad_seq in ("<!", "<@", "<https", "<users", "<script"):
            if bad_seq in allt: bad.append(f"{fmt}: {bad_seq}")
    if fmt == "mattermost":
        for m in ("@channel", "@here", "@all", "@everyone", " *b*", "[l]("):
            if m in allt: bad.append(f"mattermost: {m}")
        if units(b["text"]) > 4000: bad.append("mattermost: too long")
    if fmt == "googlechat":
        if " *b*" in allt or " _i_" in allt: bad.append("googlechat: markup")
        if units(b["text"]) > 4096: bad.append("googlechat: too long")
    if fmt == "slack":
        if b.get("mrkdwn") is not False: bad.append("slack: mrkdwn on")
        if units(b["text"]) > 4000: bad.append("slack: fallback too long")
        for blk in b["blocks"]:
            objs = [blk["text"]] if "text" in blk else blk["elements"]
            for o in objs:
                if o["type"] != "plain_text": bad.append("slack: not plain_text")
            if blk["type"] == "header" and units(blk["text"]["text"]) > 150: bad.append("slack: header too long")
            if blk["type"] == "section" and units(blk["text"]["text"]) > 3000: bad.append("slack: section too long")
    if fmt == "teams":
        card = b["attachments"][0]["content"]
        if b["type"] != "message" or card["type"] != "AdaptiveCard": bad.append("teams: not a card")
        for blk in card["body"]:
            if blk["type"] != "RichTextBlock" or any(x["type"] != "TextRun" for x in blk["inlines"]): bad.append("teams: markdown block")
        if "<!channel> <@U123> *Anna*" not in allt: bad.append("teams: name not shown as typed")
print("seen", sorted(seen.items()))
print("bad", bad)
print("cut", sorted(cut))
errors = []
for r, b in jsonbodies:
    for e in validator.iter_errors(b):
        errors.append(f"{e.json_path}: {e.message}")
print("schema errors", errors[:5])
print("signed", all(r["sig_ok"] for r, b in jsonbodies))
flaky = [(r, b) for r, b in jsonbodies if r["path"].startswith("/fail/")]
print("retry bodies", len(flaky), len({r["body"] for r, b in flaky}), len({r["headers"]["webhook-id"] for r, b in flaky}))
print("retry timestamp", flaky[0][1]["timestamp"] == flaky[-1][1]["timestamp"] if flaky else None)
won = [b for r, b in jsonbodies if b["data"]["rule"] == "thanks"]
print("event", won[0]["data"]["event"] if won else None, won[0]["data"]["account"]["name"] if won else None)
print("utc", won[0]["data"]["followup"]["due_at"].endswith("+00:00") if won else None, won[0]["data"]["owner"]["timezone"] if won else None)
missed = [b for r, b in jsonbodies if b["data"]["rule"] == "missed"]
if missed:
    items = missed[0]["data"]["items"]
    print("missed items", len(items), sorted(i["account"]["name"] for i in items), all(isinstance(i["account"]["id"], int) and isinstance(i["id"], int) for i in items))
print("ids", sorted({r["headers"]["webhook-id"].split("-")[1] for r, b in jsonbodies}))
PY
contains "$T/check.txt" "seen [('googlechat', 2), ('json', 4), ('mattermost', 2), ('slack', 2), ('teams', 2)]" "each chat got its two reminders; the JSON hook four requests"
contains "$T/check.txt" "bad []" "hostile names, accounts and texts: shown, never obeyed, in every field of every format; limits kept"
contains "$T/check.txt" "cut ['googlechat', 'mattermost', 'slack']" "a text over a format's limit is cut visibly (…)"
contains "$T/check.txt" "schema errors []" "every JSON body is valid against docs/webhook.schema.json (2020-12)"
contains "$T/check.txt" "signed True" "and its signature verifies"
contains "$T/check.txt" "retry bodies 2 1 1" "a retry sends the same body under the same webhook-id"
contains "$T/check.txt" "retry timestamp True" "its timestamp is the delivery's, not the attempt's"
contains "$T/check.txt" "event deal.won Acme" "the body names the rule's event and links the account"
contains "$T/check.txt" "utc True Europe/Stockholm" "times in UTC, the owner's zone given beside them"
contains "$T/check.txt" "missed items 3 ['Beta 1', 'Beta 2', 'Beta 3'] True" "a folded message lists each item with its ids"
# Its first 64 bits (16 hex digits): the Message-ID made of it fits a line.
contains "$T/check.txt" "ids ['${DBID:0:16}']" "every webhook-id carries the database's identity"
n=$(sqlite3 "$DB" "SELECT count(*) FROM deliveries WHERE delivery_id NOT LIKE 'nudge-${DBID:0:16}-%'")
[ "$n" = 0 ] && ok "so does every delivery id in the outbox" || fail "delivery ids" "$n without the identity"

# --- an export keeps the identity, an import into an empty database takes it ---
expect_status 0 "export" -- "$NUDGE" export
cp "$T/out" "$T/export.json"
grep -q "\"database_id\": \"$DBID\"" "$T/export.json" && ok "the export carries the identity" || fail "export database_id" "$(head -c 300 "$T/export.json")"
expect_status 0 "import into a new database" -- "$NUDGE" -d "$T/restored.db" import "$T/export.json"
[ "$("$NUDGE" -d "$T/restored.db" status --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["database_id"])')" = "$DBID" ] \
	&& ok "the restored database goes on as the same one" || fail "restored identity"
sed "s/\"database_id\": \"$DBID\"/\"database_id\": \"XYZ\"/" "$T/export.json" >"$T/bad.json"
expect_status 2 "an export with a malformed identity is refused" -- "$NUDGE" -d "$T/bad.db" import "$T/bad.json"
contains "$T/err" "database_id must be 32 lower-case hex digits" "and says what it must be"
finish
