#!/usr/bin/env bash
# The HTTP API (issue 24): tokens; every endpoint; every error status
# (400, 401, 403, 404, 405, 409, 413, 415, 422, 429); the lists with the
# CLI's filters; a contact logged, the accounts going quiet, and a deal
# sent won as a touch (`nudge accounts` shows them); a CRM's "deal won"
# webhook sent twice with one Idempotency-Key is one deal and, through the
# playbook, one reminder; a bad-input corpus refused with nothing written;
# a slow client; every exchange checked against docs/openapi.json;
# /metrics through promtool; /healthz.
. "$(dirname "$0")/lib.sh"

start_receiver http recv || { fail "receiver starts"; finish; exit 1; }
HPORT=$(free_port)
U="http://127.0.0.1:$HPORT"

mkdir -p "$T/x"
conf() {
	make_conf <<CONF
people = ( { handle = "anna"; hours = "00:00-24:00"; days = "mon-sun"; notify = [ "hook" ]; } );
channels = ( { name = "hook"; type = "webhook"; url = "http://127.0.0.1:$(cat "$T/recv.port")/ok"; } );
rules = ( { name = "thanks"; on = "deal.won"; after = "1s"; message = "Thank {{account}} for {{deal}}"; } );
promises = { phrases = [ "asap" ]; };
cadences = ( { name = "key"; every = "30d"; accounts = [ "Acme", "Dormant" ]; owner = "anna"; } );
http = { listen = "127.0.0.1:$HPORT"; api_rate = $1; };
CONF
}
conf 1000
"$NUDGE" db migrate >/dev/null

# --- tokens ---
TOK=$("$NUDGE" token add crm-sync --scope write 2>"$T/err")
[[ $TOK =~ ^nudge_[0-9a-f]{64}$ ]] && grep -q "shown once" "$T/err" &&
	ok "token add prints the token once (256 bits), and says so" || fail "token add" "$TOK $(cat "$T/err")"
RTOK=$("$NUDGE" token add dashboard --scope read 2>/dev/null)
hash=$(printf %s "$TOK" | sha256sum | cut -d' ' -f1)
[ "$(sqlite3 "$T/nudge.db" "SELECT count(*) FROM api_tokens WHERE name = 'crm-sync' AND hash = '$hash'")" = 1 ] &&
	! grep -qaF "$TOK" "$T/nudge.db" && ok "the database keeps the token's SHA-256, not the token" ||
	fail "only the hash is kept"
expect_status 2 "a second token of the same name is refused (exit 2)" -- "$NUDGE" token add crm-sync --scope read
expect_status 2 "a scope other than read or write is refused (exit 2)" -- "$NUDGE" token add x --scope admin
"$NUDGE" token list >"$T/list"
grep -qE '^crm-sync +write +never' "$T/list" && grep -qE '^dashboard +read +never' "$T/list" &&
	ok "token list: names, scopes, never used yet" || fail "token list" "$(cat "$T/list")"

start_nudged -v || { finish; exit 1; }

# api METHOD PATH TOKEN [BODY [CURL ARGS...]]: the status in $code, the
# body in $T/resp, headers in $T/hdr; the exchange kept for api_check.py.
N=0
api() {
	local m=$1 p=$2 tok=$3 body=${4-} args
	shift $(( $# < 4 ? $# : 4 ))
	args=(-s --max-time 20 -X "$m" -o "$T/resp" -D "$T/hdr" -w '%{http_code}')
	[ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	code=$(curl "${args[@]}" "$@" "$U$p")
	N=$((N + 1))
	printf '%s %s %s %s' "$m" "$p" "$code" "$(hdr Content-Type)" >"$T/x/$(printf %04d $N).meta"
	cp "$T/resp" "$T/x/$(printf %04d $N).resp" 2>/dev/null || : >"$T/x/$(printf %04d $N).resp"
	[ -z "$body" ] || printf %s "$body" >"$T/x/$(printf %04d $N).req"
}
hdr() { grep -i "^$1:" "$T/hdr" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
field() { "$PY" -c 'import json, sys; v = json.load(open(sys.argv[1])); print(eval("v" + sys.argv[2]))' "$T/resp" "$1" 2>/dev/null; }
# expect NAME STATUS [DETAIL]: the last answer's status (and detail).
expect() {
	local why=""
	[ "$code" = "$2" ] || why="status $code, wanted $2"
	if [ -z "$why" ] && [ "$2" -ge 400 ]; then
		[ "$(hdr Content-Type)" = "application/problem+json" ] || why="Content-Type $(hdr Content-Type)"
		[ -z "${3:-}" ] || grep -qF -- "$3" "$T/resp" || why="detail lacks '$3'"
	fi
	[ -z "$why" ] && ok "$1" || fail "$1" "$why: $(head -c 400 "$T/resp")"
}

# --- a CRM's "deal won" webhook, twice, one key ---
WON='{"title": "Pilot project", "account": "Acme", "owner": "anna", "value": 12500.50, "currency": "EUR", "stage": "won", "source": "hubspot", "external_id": "4711"}'
api POST /v1/deals "$TOK" "$WON" -H "Idempotency-Key: hs-4711-won"
expect "POST /v1/deals (a won deal from hubspot) answers 201" 201
[ "$(hdr Location)" = "/v1/deals/1" ] && [ "$(field '["stage"]')" = won ] && [ "$(field '["external_id"]')" = 4711 ] &&
	ok "201: Location /v1/deals/1, the deal won, its external id" || fail "the created deal" "$(hdr Location) $(cat "$T/resp")"
cp "$T/resp" "$T/first"
api POST /v1/deals "$TOK" "$WON" -H "Idempotency-Key: hs-4711-won"
expect "the same POST with the same Idempotency-Key answers 201 again" 201
cmp -s "$T/resp" "$T/first" && [ "$(hdr Idempotent-Replayed)" = true ] &&
	ok "...with the first response, marked Idempotent-Replayed" || fail "replayed response" "$(cat "$T/resp")"
api POST /v1/deals "$TOK" "$WON"
expect "the same won event without a key: 200, the deal that is there" 200
[ "$(field '["id"]')" = 1 ] && ok "...deal 1, by its source and external id" || fail "external id dedupe" "$(cat "$T/resp")"
[ "$(sqlite3 "$T/nudge.db" "SELECT count(*) FROM deals")" = 1 ] &&
	[ "$(sqlite3 "$T/nudge.db" "SELECT count(*) FROM events WHERE kind = 'deal.won'")" = 1 ] &&
	ok "three deliveries of the webhook: one deal, one deal.won" || fail "one deal" "$(sqlite3 "$T/nudge.db" 'SELECT id, title FROM deals')"
wait_until 20 '[ "$(count "$T/recv.log" "Thank Acme for Pilot project")" -ge 1 ]' &&
	ok "the playbook's thank-you reminder reached the receiver" || fail "thank-you reminder" "$(tail -3 "$LOG")"
# A second won deal: once its reminder is there, nudged has read every
# event before it, and the webhook's deal still has one reminder.
api POST /v1/deals "$TOK" '{"title": "Order 1001", "account": "Birch", "owner": "anna", "stage": "won", "source": "shop", "external_id": "1001"}'
expect "a shop's order-paid webhook: 201" 201
wait_until 20 '[ "$(count "$T/recv.log" "Thank Birch for Order 1001")" -ge 1 ]' &&
	[ "$(count "$T/recv.log" "Thank Acme for Pilot project")" = 1 ] &&
	ok "one thank-you reminder for Acme, however often the webhook came" || fail "one reminder" "$(grep -c Thank "$T/recv.log")"
# A deal sent won is a touch of its account, as `nudge deal won` makes one.
"$NUDGE" accounts --json >"$T/accounts"
touch_of() { "$PY" -c 'import json, sys; print(" ".join(str(a[k]) for a in json.load(open(sys.argv[1])) if a["account"] == sys.argv[2] for k in sys.argv[3:]))' "$T/accounts" "$@"; }
[ "$(touch_of Birch by)" = anna ] && [ "$(touch_of Birch last_touch)" != None ] &&
	ok "nudge accounts: the deal posted won is Birch's last touch, by anna" || fail "a won deal's touch" "$(cat "$T/accounts")"
"$NUDGE" deal show 1 --json >/dev/null
"$PY" - "$T/nudge.db" <<'PYX' && ok "the history says 'via API: crm-sync'" || fail "actor"
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT actor FROM events WHERE subject_type = 'deal' AND subject_id = 1").fetchall()
sys.exit(0 if rows and all(r[0] == "via API: crm-sync" for r in rows) else 1)
PYX

# --- 422: a key used for another request ---
before=$(db_dump "$T/nudge.db")
api POST /v1/deals "$TOK" '{"title": "Other", "account": "Acme", "owner": "anna"}' -H "Idempotency-Key: hs-4711-won"
expect "an Idempotency-Key reused with another body: 422" 422
[ "$(db_dump "$T/nudge.db")" = "$before" ] && ok "...nothing written" || fail "422 wrote"

# --- deals ---
api POST /v1/deals "$TOK" '{"title": "Roof", "account": "Cedar", "owner": "anna", "value": "12 500,50", "currency": "SEK", "closes": "+10d"}'
expect "POST /v1/deals (open, the CLI's amount) answers 201" 201
DID=$(field '["id"]')
api GET "/v1/deals/$DID" "$RTOK"; expect "GET /v1/deals/{id} with a read token" 200
[ "$(field '["value"]')" = 12500.5 ] && ok "...value as the CLI reads '12 500,50'" || fail "value" "$(cat "$T/resp")"
api GET "/v1/deals?stage=open" "$RTOK"; expect "GET /v1/deals?stage=open" 200
[ "$(field '[0]["title"]')" = Roof ] && ok "...lists the open deal" || fail "list" "$(cat "$T/resp")"
api GET "/v1/deals?owner=anna" "$RTOK"; expect "GET /v1/deals?owner=anna" 200
api POST "/v1/deals/$DID/won" "$RTOK" '{}'; expect "a read token may not write: 403" 403
api POST "/v1/deals/$DID/lost" "$TOK" '{"at": "now"}'; expect "POST /v1/deals/{id}/lost" 200
api POST "/v1/deals/$DID/won" "$TOK"; expect "won after lost: 409 with the CLI's message" 409 "is already lost"
api POST /v1/deals/999/won "$TOK"; expect "an unknown deal: 404" 404 "no deal with id 999"
api GET /v1/deals/999 "$TOK"; expect "GET an unknown deal: 404" 404
api POST /v1/deals "$TOK" '{"title": "X", "account": "Acme", "owner": "anna", "stage": "lost", "source": "hubspot", "external_id": "4711"}'
expect "a won deal's id sent again as lost: 409" 409 "already won"

# --- promises ---
api POST /v1/promises "$TOK" '{"text": "Send the offer asap", "owner": "anna", "account": "Acme", "due": "+3d"}'
expect "POST /v1/promises answers 201" 201
PID1=$(field '["id"]')
[ "$(field '["warnings"][0]["kind"]')" = phrase ] && ok "...with the over-promise check's warning" || fail "warnings" "$(cat "$T/resp")"
before=$(db_dump "$T/nudge.db")
api POST /v1/promises "$TOK" '{"text": "Ship it asap", "owner": "anna", "deal": 1, "due": "+3d", "strict": true}'
expect "strict refuses what the check warns of: 409" 409 "promise refused (--strict)"
[ "$(field '["warnings"][0]["kind"]')" = phrase ] && [ "$(db_dump "$T/nudge.db")" = "$before" ] &&
	ok "...with each reason in warnings, nothing written" || fail "strict refusal" "$(cat "$T/resp")"
api POST /v1/promises "$TOK" '{"text": "Call back", "owner": "anna", "deal": 1, "due": "+2d", "to": "Eva"}'
expect "a promise on a deal" 201
PID2=$(field '["id"]')
api GET "/v1/promises/$PID1" "$RTOK"; expect "GET /v1/promises/{id}" 200
api POST "/v1/promises/$PID1/renegotiate" "$TOK" '{"due": "+5d", "note": "customer asked"}'
expect "POST /v1/promises/{id}/renegotiate" 200
api POST "/v1/promises/$PID1/kept" "$TOK" '{}'; expect "POST /v1/promises/{id}/kept" 200
api POST "/v1/promises/$PID1/broken" "$TOK"; expect "broken after kept: 409" 409 "already kept"
api POST "/v1/promises/$PID2/broken" "$TOK"; expect "POST /v1/promises/{id}/broken" 200
api POST /v1/promises "$TOK" '{"text": "Visit", "owner": "anna", "account": "Acme", "due": "+4d"}'
PID3=$(field '["id"]')
api POST "/v1/promises/$PID3/cancel" "$TOK"; expect "POST /v1/promises/{id}/cancel" 200
api POST "/v1/promises/$PID3/renegotiate" "$TOK" '{"due": "2020-01-01"}'
expect "a new due date in the past: 400" 400 "the new due date is in the past"

# --- follow-ups ---
api POST /v1/followups "$TOK" '{"text": "Ask about the pilot", "owner": "anna", "deal": 1, "in": "2d"}'
expect "POST /v1/followups answers 201" 201
FID=$(field '["id"]')
api GET "/v1/followups/$FID" "$RTOK"; expect "GET /v1/followups/{id}" 200
api POST "/v1/followups/$FID/snooze" "$TOK" '{"until": "+3d"}'; expect "POST /v1/followups/{id}/snooze" 200
api POST "/v1/followups/$FID/done" "$TOK" '{"note": "went well"}'; expect "POST /v1/followups/{id}/done" 200
[ "$(field '["note"]')" = "went well" ] && ok "...with its note" || fail "note" "$(cat "$T/resp")"
api POST "/v1/followups/$FID/cancel" "$TOK"; expect "cancel after done: 409" 409 "already done"
api POST /v1/followups "$TOK" '{"text": "Check in", "owner": "anna", "account": "Birch", "at": "+1d"}'
FID2=$(field '["id"]')
api POST "/v1/followups/$FID2/cancel" "$TOK"; expect "POST /v1/followups/{id}/cancel" 200
api POST /v1/followups/999/done "$TOK"; expect "an unknown follow-up: 404" 404 "no follow-up with id 999"

# --- agenda and report ---
api GET "/v1/agenda?days=14" "$RTOK"; expect "GET /v1/agenda" 200
api GET "/v1/agenda?owner=anna" "$RTOK"; expect "GET /v1/agenda?owner=anna" 200
api GET "/v1/agenda?days=0" "$RTOK"; expect "agenda days=0: 400" 400 "days"
api GET "/v1/report" "$RTOK"; expect "GET /v1/report" 200
api GET "/v1/report?owner=bob" "$RTOK"; expect "an unknown owner: 400 with the CLI's message" 400 "unknown owner 'bob'"
api GET "/v1/report?since=2026-01-05" "$RTOK"; expect "GET /v1/report?since=" 200
field '["since"]' | grep -q '^2026-01-05' && ok "...the period starts at since" || fail "report since" "$(head -c 300 "$T/resp")"
api GET "/v1/report?since=2999-01-01" "$RTOK"; expect "report since ahead: 400" 400 "since: in the future"
api GET "/v1/report?since=soonish" "$RTOK"; expect "report since that does not parse: 400 naming it" 400 "since"

# --- bad input: each refused, nothing written ---
before=$(db_dump "$T/nudge.db")
D='"title": "T", "account": "A", "owner": "anna"'
bad() { # NAME STATUS BODY [CURL ARGS...]
	local name=$1 want=$2 body=$3; shift 3
	api POST /v1/deals "$TOK" "$body" "$@"
	expect "bad input: $name -> $want" "$want"
}
bad "no title" 400 '{"account": "A", "owner": "anna"}'
bad "a number for the title" 400 '{"title": 5, "account": "A", "owner": "anna"}'
bad "an unknown field" 400 "{$D, \"titel\": \"x\"}"
bad "an unknown owner" 400 '{"title": "T", "account": "A", "owner": "bob"}'
bad "a bad currency" 400 "{$D, \"currency\": \"XXY\"}"
bad "a huge number (1e400)" 400 "{$D, \"value\": 1e400}"
bad "a huge integer" 400 "{$D, \"value\": 123456789012345678901234567890}"
bad "an amount over the limit" 400 "{$D, \"value\": 9223372036854775807}"
bad "null bytes in a string" 400 "{$D, \"currency\": \"EU\\u0000R\"}"
bad "duplicate keys" 400 "{$D, \"title\": \"again\"}"
bad "an array, not an object" 400 '[1, 2]'
bad "trailing garbage" 400 "{$D} x"
bad "deep nesting" 400 "{$D, \"x\": $(printf '[%.0s' $(seq 100))$(printf ']%.0s' $(seq 100))}"
bad "a stage that is not one" 400 "{$D, \"stage\": \"maybe\"}"
printf '{"title": "\xff\xfe", "account": "A", "owner": "anna"}' >"$T/badutf8"
api POST /v1/deals "$TOK" "" -H 'Content-Type: application/json' --data-binary @"$T/badutf8"
expect "bad input: invalid UTF-8 -> 400" 400
api POST /v1/deals "$TOK" "" -H 'Content-Type: text/plain' --data-binary "{$D}"
expect "a body that is not application/json: 415" 415
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big"
api POST /v1/deals "$TOK" "" -H 'Content-Type: application/json' --data-binary @"$T/big"
expect "a body over 64 KB: 413" 413
head -c 10485760 /dev/zero | tr '\0' 'a' >"$T/huge"
start=$SECONDS
api POST /v1/deals "$TOK" "" -H 'Content-Type: application/json' --data-binary @"$T/huge"
expect "a 10 MB body: 413" 413
[ $((SECONDS - start)) -le 5 ] && ok "...refused before it is read ($((SECONDS - start)) s)" || fail "10 MB refused fast" "$((SECONDS - start)) s"
api POST /v1/followups "$TOK" '{"text": "x", "owner": "anna", "account": "A", "deal": 1, "in": "1h"}'
expect "account and deal both: 400 as the CLI says it" 400 "give one of account, deal, not two"
api POST /v1/followups "$TOK" '{"text": "x", "owner": "anna", "account": "A", "in": "1h", "at": "+1d"}'
expect "at and in both: 400" 400 "give one of at, in, not two"
api POST /v1/promises "$TOK" '{"text": "x", "owner": "anna", "account": "A", "due": "2020-01-01"}'
expect "a due date in the past: 400 with the CLI's message" 400 "is in the past (use --force"
api POST /v1/deals "" "{$D}"; expect "no token: 401" 401
[ "$(hdr WWW-Authenticate)" = 'Bearer realm="nudge"' ] && ok "...with WWW-Authenticate: Bearer" || fail "WWW-Authenticate" "$(cat "$T/hdr")"
api POST /v1/deals "nudge_$(printf '0%.0s' $(seq 64))" "{$D}"; expect "a wrong token: 401" 401
api GET /v1/nothing "$TOK"; expect "an unknown path: 404" 404
api DELETE /v1/deals/1 "$TOK"; expect "DELETE: 405" 405
# A slow client: headers and a byte of its body, then nothing.  It holds
# one connection until the listener's timeout; others are answered.
"$PY" - "$HPORT" >"$T/slow" 2>&1 <<'PYX' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /v1/deals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
start = time.time()
s.settimeout(30)
try:
    while s.recv(4096):
        pass
except OSError:
    pass
print("closed after %.0f s" % (time.time() - start))
PYX
SLOW=$!
api GET /v1/deals/1 "$RTOK"; expect "while a slow client waits, others are answered" 200
wait_until 25 'grep -q closed "$T/slow"' && ok "the slow client's connection is closed ($(cat "$T/slow"))" || fail "slow client" "$(cat "$T/slow")"
wait "$SLOW" 2>/dev/null
[ "$(db_dump "$T/nudge.db")" = "$before" ] && ok "the bad-input corpus wrote nothing" || fail "bad input wrote" "$(diff <(echo "$before") <(db_dump "$T/nudge.db") | head -5)"

# --- the token's last use; revoked ---
"$NUDGE" token list >"$T/list"
grep -qE '^crm-sync +write +[A-Z][a-z]{2} ' "$T/list" && ok "token list shows the last use" || fail "last use" "$(cat "$T/list")"
"$NUDGE" token add gone --scope write >"$T/gone" 2>/dev/null
api GET /v1/deals/1 "$(cat "$T/gone")"; expect "a new token works" 200
"$NUDGE" token revoke gone >/dev/null
api GET /v1/deals/1 "$(cat "$T/gone")"; expect "a revoked token: 401" 401

# --- lists: the CLI's filters, the same records as the CLI lists ---
ids() { "$PY" -c 'import json, sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1]))))' "$1"; }
# An open promise past its due date, for ?state=overdue to find.
api POST /v1/promises "$TOK" '{"text": "Was due", "owner": "anna", "account": "Acme", "due": "2020-01-01", "force": true}'
expect "a promise due in the past (force)" 201
PID4=$(field '["id"]')
# lists KIND QUERY...: GET /v1/KINDs?QUERY answers what `nudge KIND list`
# lists with the same filter as options.
lists() {
	local kind=$1 q cli
	shift
	for q in "$@"; do
		api GET "/v1/${kind}s?$q" "$RTOK"; expect "GET /v1/${kind}s?$q" 200
		cli=$(echo "$q" | sed 's/owner=/--owner /; s/&/ /; s/state=/--/')
		"$NUDGE" "$kind" list $cli --json >"$T/cli.json"
		[ "$(ids "$T/resp")" = "$(ids "$T/cli.json")" ] && [ -n "$(ids "$T/resp")" ] &&
			ok "...what '$kind list $cli' lists ($(ids "$T/resp"))" || fail "${kind}s $q" "api $(ids "$T/resp"), cli $(ids "$T/cli.json")"
	done
}
lists promise "" "state=open" "state=overdue" "state=kept" "owner=anna&state=open"
api GET "/v1/promises?state=overdue" "$RTOK"
[ "$(ids "$T/resp")" = "$PID4" ] && ok "...overdue: only the one past its due date" || fail "overdue" "$(cat "$T/resp")"
api GET "/v1/promises?state=kept" "$RTOK"
[ "$(ids "$T/resp")" = "$PID1" ] && ok "...kept: only the kept one" || fail "kept" "$(cat "$T/resp")"
lists followup "" "state=done" "state=cancelled" "owner=anna&state=done"
api GET "/v1/followups?state=done" "$RTOK"
[ "$(ids "$T/resp")" = "$FID" ] && ok "...done: only the one done" || fail "done" "$(cat "$T/resp")"
api GET "/v1/promises?state=broken" "$RTOK"; expect "a promise state the CLI has no filter for (broken): 400 naming it" 400 "state: open, overdue or kept"
api GET "/v1/followups?state=open" "$RTOK"; expect "a follow-up state that is not a filter: 400 naming it" 400 "state: done or cancelled"
api GET "/v1/promises?owner=bob" "$RTOK"; expect "promises of an unknown owner: 400" 400 "unknown owner 'bob'"
api GET "/v1/followups?owner=bob" "$RTOK"; expect "follow-ups of an unknown owner: 400" 400 "unknown owner 'bob'"
api GET "/v1/promises" ""; expect "GET /v1/promises without a token: 401" 401
# ?limit=: at most that many, the list's first; out of 1..1000, 400.
api GET "/v1/promises" "$RTOK"; all=$(ids "$T/resp")
api GET "/v1/promises?limit=1" "$RTOK"; expect "GET /v1/promises?limit=1" 200
[ "$(ids "$T/resp")" = "${all%% *}" ] && [ "$all" != "${all%% *}" ] &&
	ok "...only the first of the list ($all)" || fail "limit=1" "$(ids "$T/resp") of $all"
for q in "limit=0" "limit=1001" "limit=x" "limit=-1" "limit=1e3"; do
	api GET "/v1/followups?$q" "$RTOK"; expect "follow-ups ?$q: 400" 400 "limit: a whole number from 1 to 1000"
done
api GET "/v1/deals?stage=open&limit=1000" "$RTOK"; expect "deals ?limit=1000 (the most)" 200

# --- contacts and accounts ---
api POST /v1/contacts "$TOK" '{"account": "Elm", "with": "Eva", "note": "lunch", "owner": "anna"}'
expect "POST /v1/contacts answers 201" 201
[ "$(field '["account"]')" = Elm ] && [ "$(field '["with"]')" = Eva ] && [ "$(field '["note"]')" = lunch ] &&
	[ "$(field '["owner"]')" = anna ] && [ "$(field '["id"]')" -ge 1 ] 2>/dev/null &&
	ok "...the touch with its id, account, with, note and owner" || fail "the contact" "$(cat "$T/resp")"
CID=$(field '["id"]')
[ "$(sqlite3 "$T/nudge.db" "SELECT actor FROM events WHERE kind = 'contact.logged' AND json_extract(data, '\$.contact') = $CID")" = "via API: crm-sync" ] &&
	ok "...its history says 'via API: crm-sync'" || fail "contact's actor" "$(sqlite3 "$T/nudge.db" "SELECT kind, actor FROM events ORDER BY id DESC LIMIT 2")"
"$NUDGE" accounts --json >"$T/accounts"
[ "$(touch_of Elm by with)" = "anna Eva" ] && ok "nudge accounts: Elm's last touch is the API's contact, by anna with Eva" ||
	fail "accounts after the API's contact" "$(cat "$T/accounts")"
# Without an owner, the account's cadence names it; a month and more ago
# makes the account go quiet.
ago=$(date -d '-45 days' +%F)
api POST /v1/contacts "$TOK" "{\"account\": \"Dormant\", \"at\": \"$ago\"}"
expect "a contact with the cadence's owner, at a past date: 201" 201
[ "$(field '["owner"]')" = anna ] && [ "$(field '["cadence"]')" = key ] && [ "$(field '["at"]' | cut -c1-10)" = "$ago" ] &&
	ok "...by the cadence's owner, at $ago, cadence key" || fail "the cadence's owner" "$(cat "$T/resp")"
api GET /v1/accounts "$RTOK"; expect "GET /v1/accounts with a read token" 200
"$NUDGE" accounts --json >"$T/cli.json"
"$PY" -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); sys.exit(0 if a == b and len(a) >= 4 else 1)' "$T/resp" "$T/cli.json" &&
	ok "...the same accounts as 'nudge accounts --json'" || fail "accounts" "api $(cat "$T/resp"), cli $(cat "$T/cli.json")"
api GET "/v1/accounts?quiet=true" "$RTOK"; expect "GET /v1/accounts?quiet=true" 200
[ "$(field '[0]["account"]')" = Dormant ] && [ "$(field '[0]["overdue"]')" = True ] && [ "$(field '.__len__()')" = 1 ] &&
	ok "...only Dormant, gone quiet (not Acme, touched today)" || fail "quiet" "$(cat "$T/resp")"
api GET "/v1/accounts?quiet=false&owner=anna" "$RTOK"; expect "GET /v1/accounts?quiet=false&owner=anna" 200
"$NUDGE" accounts --owner anna --json >"$T/cli.json"
[ "$(field '.__len__()')" -ge 2 ] && "$PY" -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); sys.exit(0 if a == b else 1)' "$T/resp" "$T/cli.json" &&
	ok "...as 'nudge accounts --owner anna'" || fail "accounts owner" "$(cat "$T/resp")"
api GET "/v1/accounts?quiet=yes" "$RTOK"; expect "accounts quiet=yes: 400 naming it" 400 "quiet: true or false"
api GET "/v1/accounts?owner=bob" "$RTOK"; expect "accounts of an unknown owner: 400" 400 "unknown owner 'bob'"
before=$(db_dump "$T/nudge.db")
badc() { # NAME DETAIL BODY
	api POST /v1/contacts "$TOK" "$3"
	expect "contact: $1 -> 400" 400 "$2"
}
badc "no account" "needs account" '{"owner": "anna"}'
badc "a number for the account" "account: wants a string" '{"account": 5, "owner": "anna"}'
badc "a number for the note" "note: wants a string" '{"account": "Elm", "owner": "anna", "note": 1}'
badc "an unknown field" "unknown field 'who'" '{"account": "Elm", "who": "anna"}'
badc "an unknown owner" "unknown owner 'bob'" '{"account": "Elm", "owner": "bob"}'
badc "no owner where no cadence names one" "contact with 'Zeta' needs --owner" '{"account": "Zeta"}'
badc "a time that does not parse" "--at" '{"account": "Elm", "owner": "anna", "at": "when pigs fly"}'
badc "a time ahead" "is in the future" '{"account": "Elm", "owner": "anna", "at": "+2d"}'
api POST /v1/contacts "" '{"account": "Elm", "owner": "anna"}'; expect "POST /v1/contacts without a token: 401" 401
api POST /v1/contacts "$RTOK" '{"account": "Elm", "owner": "anna"}'; expect "POST /v1/contacts with a read token: 403" 403
api GET /v1/accounts ""; expect "GET /v1/accounts without a token: 401" 401
[ "$(db_dump "$T/nudge.db")" = "$before" ] && ok "the refused contacts wrote nothing" ||
	fail "refused contacts wrote" "$(diff <(echo "$before") <(db_dump "$T/nudge.db") | head -5)"
# A deal sent open, then won with the same external id: the touch then.
api POST /v1/deals "$TOK" '{"title": "Renewal", "account": "Dahl", "owner": "anna", "source": "crm", "external_id": "77"}'
expect "a deal sent open" 201
"$NUDGE" accounts --json >"$T/accounts"
[ "$(touch_of Dahl last_touch)" = None ] && ok "...no touch while it is open" || fail "open deal's touch" "$(cat "$T/accounts")"
api POST /v1/deals "$TOK" '{"title": "Renewal", "account": "Dahl", "owner": "anna", "stage": "won", "source": "crm", "external_id": "77"}'
expect "...then sent won: 200" 200
"$NUDGE" accounts --json >"$T/accounts"
[ "$(touch_of Dahl by)" = anna ] && [ "$(touch_of Dahl last_touch)" != None ] &&
	ok "...won: nudge accounts shows Dahl's touch by anna" || fail "won later's touch" "$(cat "$T/accounts")"

# --- OpenAPI ---
api GET /v1/openapi.json ""
[ "$code" = 200 ] && cmp -s "$T/resp" "$ROOT/docs/openapi.json" && ok "/v1/openapi.json serves docs/openapi.json" || fail "openapi.json served"
rm "$T/x/$(printf %04d $N).meta"
"$PY" "$ROOT/tests/integration/api_check.py" spec "$ROOT/docs/openapi.json" 2>"$T/spec" &&
	ok "docs/openapi.json is a valid OpenAPI 3.1 document" || fail "openapi.json valid" "$(head -5 "$T/spec")"
"$PY" "$ROOT/tests/integration/api_check.py" log "$ROOT/docs/openapi.json" "$T/x" 2>"$T/check" &&
	ok "every request and response ($(ls "$T/x" | grep -c meta)) as docs/openapi.json says" || fail "exchanges against the document" "$(head -8 "$T/check")"

# --- 429: over the rate ---
conf 2
kill -HUP $DPID
wait_for "$LOG" "configuration reloaded" 10 || fail "reload"
curl -s -D "$T/h429" -w '%{http_code}\n' -H "Authorization: Bearer $RTOK" $(for i in $(seq 12); do echo "-o /dev/null $U/v1/deals/1"; done) >"$T/codes"
grep -q '^200$' "$T/codes" && grep -q '^429$' "$T/codes" && grep -qi '^Retry-After: [1-9]' "$T/h429" &&
	ok "over api_rate: 429 with Retry-After (after $(grep -c '^200$' "$T/codes") answered)" || fail "429" "$(sort "$T/codes" | uniq -c)"
conf 1000
kill -HUP $DPID
wait_count "$LOG" "configuration reloaded" 2 10

# --- /metrics, /healthz ---
curl -s "$U/metrics" >"$T/metrics"
if command -v promtool >/dev/null; then
	promtool check metrics <"$T/metrics" >"$T/promtool" 2>&1 && ok "promtool check metrics accepts /metrics" ||
		fail "promtool" "$(head -5 "$T/promtool")"
else
	fail "promtool is missing (scripts/deps.sh --test)"
fi
grep -q '^nudge_deliveries_total{channel="hook",outcome="delivered"} [1-9]' "$T/metrics" &&
	grep -q '^nudge_delivery_lateness_seconds_count [1-9]' "$T/metrics" &&
	grep -q '^nudge_http_requests_total{route="/v1/deals",status="201"} [1-9]' "$T/metrics" &&
	grep -q '^nudge_http_requests_total{route="/v1/deals/{id}/won",status="409"} 1$' "$T/metrics" &&
	grep -q '^nudge_http_requests_total{route="/v1/openapi.json",status="200"} 1$' "$T/metrics" &&
	grep -q '^nudge_queue_depth ' "$T/metrics" && grep -q '^nudge_dead_letters 0$' "$T/metrics" &&
	grep -q '^nudge_oldest_due_reminder_age_seconds ' "$T/metrics" &&
	ok "/metrics: deliveries by channel and outcome, lateness, requests by route and status, queue, dead letters" ||
	fail "/metrics content" "$(grep -v "^#" "$T/metrics" | grep -E "total|count")"
health() { curl -s -o "$T/health" -w '%{http_code}' "$U/healthz"; }
[ "$(health)" = 200 ] && grep -q '"state":"running"' "$T/health" &&
	ok "/healthz: 200, running" || fail "/healthz" "$(cat "$T/health")"
if command -v promtool >/dev/null; then
	promtool check rules "$ROOT/etc/nudge-alerts.yml" >"$T/rules" 2>&1 &&
		ok "etc/nudge-alerts.yml: promtool check rules accepts it" || fail "alert rules" "$(cat "$T/rules")"
fi

# /healthz answers from the scheduler's state: a database on a full disk
# (a small tmpfs; root only) is a fault nudged notes in its lock: 503.
kill $DPID; wait $DPID; rc=$?
[ "$rc" -eq 0 ] && ! grep -q "Sanitizer\|runtime error" "$LOG" && ok "nudged stops cleanly (exit 0, no sanitizer report)" ||
	fail "nudged's stop" "exit $rc; $(grep -A5 "Sanitizer\|runtime error" "$LOG" | head -20)"
FULL="$T/full"
trap 'umount "$FULL" 2>/dev/null; cleanup' EXIT
mkdir -p "$FULL"
if ! mount -t tmpfs -o size=4m tmpfs "$FULL" 2>"$T/mount.err"; then
	echo "  skip /healthz 503: cannot mount a tmpfs here ($(cat "$T/mount.err"))"
	finish
	exit
fi
sed -i "s|^database = .*|database = \"$FULL/nudge.db\";|" "$T/nudge.conf"
"$NUDGE" db migrate >/dev/null
start_nudged -l full.log -v
for i in 1 2 3 4 5; do "$NUDGE" followup add "Full $i" --owner anna --account Acme --in 2s >/dev/null; done
[ "$(health)" = 200 ] && ok "before the disk fills: 200" || fail "200 before the fault" "$(cat "$T/health")"
dd if=/dev/zero of="$FULL/fill" bs=64k 2>/dev/null
wait_until 20 '[ "$(health)" = 503 ]' && grep -q '"fault":"database fault (disk full)' "$T/health" &&
	ok "a full disk: /healthz 503 with the fault ($(cat "$T/health"))" || fail "503 on a fault" "$(cat "$T/health") $(tail -3 "$T/full.log")"
rm -f "$FULL/fill"
wait_until 20 '[ "$(health)" = 200 ]' && ok "room again: /healthz 200" || fail "200 after the fault" "$(cat "$T/health")"
kill $DPID; wait $DPID
finish
