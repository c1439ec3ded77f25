#!/usr/bin/env bash
# The nudge CLI end to end against a real database file: each command's
# human and --json output, exit statuses, and bad input that must leave the
# database byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"

make_log_conf Europe/Stockholm <<CONF
people = (
  { handle = "anna"; name = "Anna Lind"; hours = "08:00-17:00"; days = "mon-fri";
    notify = [ "log" ]; capacity = 1; },
  { handle = "bo"; timezone = "America/New_York"; notify = [ "log" ]; }
);
CONF
# Monday 2026-11-23 09:00 in Stockholm.
export NUDGE_NOW="2026-11-23T09:00:00+01:00"

# The example, its paths moved here: config check also checks that the
# database's directory exists and is writable here.
sed -e "s|\"/var/lib/nudge/nudge.db\"|\"$T/example.db\"|" -e "s|\"/run/nudge\"|\"$T/run\"|" \
	"$ROOT/etc/nudge.conf" >"$T/example.conf"
expect_status 0 "config check passes on the example config" -- "$NUDGE" -c "$T/example.conf" config check
contains "$T/out" "configuration OK" "config check says OK"

printf 'people = ( { handle = "x"; hourz = "08:00-17:00"; } );\n' >"$T/typo.conf"
expect_status 2 "config check fails on a misspelt key" -- "$NUDGE" -c "$T/typo.conf" config check
contains "$T/err" "typo.conf:1" "the error names file and line"
contains "$T/err" "hourz" "the error names the key"

expect_status 0 "deal add --json" -- "$NUDGE" --json deal add "Roof repair" --account "Acme AB" --owner anna --value 12500 --currency SEK --closes "fri"
contains "$T/out" '"id": 1' "deal add prints the id"
contains "$T/out" '"closes_at": "2026-11-27T17:00:00+01:00"' "deal --closes fri is the end of Friday's hours"

expect_status 0 "deal won" -- "$NUDGE" deal won 1
contains "$T/out" "won" "deal won shows the stage"
before=$(db_dump "$DB")
expect_status 2 "deal won twice is refused" -- "$NUDGE" deal won 1
contains "$T/err" "already won" "and says why"
[ "$before" = "$(db_dump "$DB")" ] && ok "refused deal won wrote nothing" || fail "refused deal won wrote nothing"

expect_status 0 "promise add --json" -- "$NUDGE" promise add "Send the revised offer" --owner anna --account "Acme AB" --due "2026-11-27 17:00" --to "Bo Berg" --json
contains "$T/out" '"due_at": "2026-11-27T17:00:00+01:00"' "promise has due_at in the owner's zone"
contains "$T/out" '"target_at": "2026-11-26T' "target is earlier than the due date (25% of the lead time)"
contains "$T/out" '"warnings": []' "no warnings for a sober promise"

before=$(db_dump "$DB")
expect_status 2 "unknown owner" -- "$NUDGE" promise add "x" --owner zed --account A --due fri
contains "$T/err" "unknown owner 'zed'" "names the unknown owner"
contains "$T/err" "anna" "lists the known people"
expect_status 2 "unparseable date" -- "$NUDGE" promise add "x" --owner anna --account A --due "someday"
contains "$T/err" "someday" "quotes the bad date"
expect_status 2 "due in the past" -- "$NUDGE" promise add "x" --owner anna --account A --due "2026-11-20"
contains "$T/err" "in the past" "says it is in the past"
expect_status 2 "--strict refuses an over-promise" -- "$NUDGE" promise add "You will get it tomorrow" --owner anna --account A --due "2026-11-30" --strict
contains "$T/err" "tomorrow" "names the phrase"
expect_status 2 "invalid UTF-8 text" -- "$NUDGE" promise add $'bad \xff text' --owner anna --account A --due fri
contains "$T/err" "UTF-8" "says UTF-8"
expect_status 2 "text over the limit" -- "$NUDGE" promise add "$(head -c 3000 /dev/zero | tr '\0' x)" --owner anna --account A --due fri
contains "$T/err" "limit" "says the limit"
expect_status 2 "missing --due" -- "$NUDGE" promise add "x" --owner anna --account A
expect_status 2 "both --account and --deal" -- "$NUDGE" promise add "x" --owner anna --account A --deal 1 --due fri
expect_status 2 "unknown deal" -- "$NUDGE" promise add "x" --owner anna --deal 99 --due fri
contains "$T/err" "no deal with id 99" "names the missing deal"
expect_status 2 "bad id" -- "$NUDGE" promise kept abc
expect_status 2 "unknown command" -- "$NUDGE" frobnicate
[ "$before" = "$(db_dump "$DB")" ] && ok "bad input wrote nothing" || fail "bad input wrote nothing"

expect_status 0 "an over-promise without --strict is logged with a warning" -- "$NUDGE" promise add "You will get the best purchase ever" --owner anna --account "Acme AB" --due "2026-11-30 12:00" --json
contains "$T/out" '"kind": "phrase"' "the warning has a kind"
contains "$T/out" 'you will get' "and names the phrase"
expect_status 0 "a second promise in the same week" -- "$NUDGE" promise add "Install the gutter" --owner anna --account "Acme AB" --due "2026-11-26 12:00" --json
contains "$T/out" '"kind": "capacity"' "capacity warning: 2 open promises that week, capacity 1"

expect_status 0 "followup add --in" -- "$NUDGE" followup add "Call Bo about the roof" --owner anna --deal 1 --in 2h --json
contains "$T/out" '"remind_at": "2026-11-23T11:00:00+01:00"' "in 2h from 09:00"
expect_status 0 "followup add at night moves into hours" -- "$NUDGE" followup add "Send photos" --owner anna --account "Acme AB" --at "2026-11-28 03:00" --json
contains "$T/out" '"remind_at": "2026-11-30T08:00:00+01:00"' "Saturday 03:00 becomes Monday 08:00"
expect_status 0 "followup snooze" -- "$NUDGE" followup snooze 2 1d --json
contains "$T/out" '"snoozes": 1' "snooze counted"
expect_status 0 "followup done with a note" -- "$NUDGE" followup done 1 --note "He loved it" --json
contains "$T/out" '"state": "done"' "done"
expect_status 2 "followup done twice" -- "$NUDGE" followup done 1
contains "$T/err" "already done" "says so"

expect_status 0 "agenda --json" -- "$NUDGE" agenda --json --days 14
contains "$T/out" '"kind": "promise.due"' "agenda has promise due dates"
contains "$T/out" '"kind": "followup"' "agenda has follow-ups"
contains "$T/out" '"owner": "anna"' "agenda items carry the owner"
# Wide enough for the whole text (test_width.sh cuts it at 80).
expect_status 0 "agenda (human)" -- env COLUMNS=120 "$NUDGE" agenda --owner anna --days 14
contains "$T/out" "Send the revised offer" "agenda lists the promise"

expect_status 0 "promise kept" -- "$NUDGE" promise kept 1 --json
contains "$T/out" '"state": "kept"' "kept"
expect_status 2 "promise kept twice" -- "$NUDGE" promise kept 1
expect_status 0 "promise show --json has the history" -- "$NUDGE" promise show 1 --json
contains "$T/out" '"event": "promise.created"' "history starts with creation"
contains "$T/out" '"event": "promise.kept"' "and has the keeping"
expect_status 0 "promise list --kept" -- "$NUDGE" promise list --kept --json
contains "$T/out" '"Send the revised offer"' "lists the kept promise"
expect_status 0 "deal list --won" -- "$NUDGE" deal list --won
contains "$T/out" "Roof repair" "lists the won deal"

# Import: all or nothing, every bad row named by line.
printf 'owner,account,text,due,to\nanna,Beta AB,"Send offer, signed",2026-12-01,Bo\nbo,"Gamma ""G""",Call back,fri 10:00,\n' >"$T/good.csv"
expect_status 0 "import --promises" -- "$NUDGE" import --promises "$T/good.csv" --json
contains "$T/out" '"count": 2' "imports both rows"
expect_status 0 "export --promises (csv) round-trips the quoting" -- "$NUDGE" export --promises
contains "$T/out" '"Gamma ""G"""' "quotes survive"
contains "$T/out" '"bo","Gamma ""G""","Call back","2026-11-27T10:00:00-05:00"' "bo's time is in his zone"
expect_status 0 "export --json" -- "$NUDGE" export --json
contains "$T/out" '"followups"' "json export has every kind"
before=$(db_dump "$DB")
printf 'owner,account,text,due\nzed,Acme,x,2026-12-01\nanna,,y,someday\nanna,A,ok,2026-12-01\nanna,A,"open quote,2026-12-01\n' >"$T/bad.csv"
expect_status 2 "import with bad rows" -- "$NUDGE" import --promises "$T/bad.csv"
contains "$T/err" "bad.csv:2: unknown owner 'zed'" "names line 2's unknown owner"
contains "$T/err" "bad.csv:3: account is empty" "names line 3's empty account"
contains "$T/err" "bad.csv:3: due: cannot read 'someday'" "names line 3's bad date"
contains "$T/err" "bad.csv:5: a quoted field is never closed" "names the unclosed quote"
printf 'owner,acount,text,due\n' >"$T/hdr.csv"
expect_status 2 "import with a wrong header" -- "$NUDGE" import --promises "$T/hdr.csv"
contains "$T/err" "unknown column 'acount'" "names the bad column"
printf 'owner,account,text,due\nanna,A,\xff\xfe,2026-12-01\n' >"$T/utf.csv"
expect_status 2 "import with invalid UTF-8" -- "$NUDGE" import --promises "$T/utf.csv"
contains "$T/err" "utf.csv:2: text is not valid UTF-8" "names the line"
head -c 2000000 /dev/zero | tr '\0' x | { printf 'owner,account,text,due\nanna,A,'; cat; printf ',2026-12-01\n'; } >"$T/big.csv"
expect_status 2 "import with a 2 MB field" -- "$NUDGE" import --promises "$T/big.csv"
contains "$T/err" "the limit is" "says the limit"
[ "$before" = "$(db_dump "$DB")" ] && ok "failed imports wrote nothing" || fail "failed imports wrote nothing"
printf 'title,account,owner,value,currency,won_at\nGutter,Beta AB,anna,900,SEK,2026-11-20\n' >"$T/deals.csv"
expect_status 0 "import --deals (already won)" -- "$NUDGE" import --deals "$T/deals.csv"
printf 'owner,account,text,at\nanna,Beta AB,Ask about the gutter,2026-11-24 10:00\n' >"$T/fu.csv"
expect_status 0 "import --followups" -- "$NUDGE" import --followups "$T/fu.csv"
expect_status 0 "deal list shows the imported won deal" -- "$NUDGE" deal list --won
contains "$T/out" "Gutter" "imported deal is won"

expect_status 1 "status exits 1 without a daemon" -- "$NUDGE" status --json
contains "$T/out" '"alive": false' "status says the daemon is not alive"
contains "$T/out" '"pending"' "status has pending"
expect_status 0 "db check" -- "$NUDGE" db check
contains "$T/out" "integrity OK" "db check says OK"
# A reference to a missing row (written by hand with foreign keys off) is
# named by db check, which checks the database as found.
cp "$DB" "$T/orphan.db"
sqlite3 "$T/orphan.db" "INSERT INTO deliveries (followup_id, channel, delivery_id, next_attempt_at, created_at, updated_at) VALUES (99999, 'log', 'nudge-99999-0-6c6f67', 1, 1, 1)"
expect_status 1 "db check finds a reference to a missing row" -- "$NUDGE" -d "$T/orphan.db" db check
contains "$T/out" "refers to a missing followups row" "db check names the row"
contains "$T/out" "integrity check FAILED" "db check says FAILED"
expect_status 1 "db check of a missing database" -- "$NUDGE" -d "$T/nothing.db" db check
contains "$T/err" "nothing.db: no nudge database here yet" "db check names the missing file"
[ ! -e "$T/nothing.db" ] && ok "db check creates no database" || fail "db check creates no database"
expect_status 0 "db migrate (already current)" -- "$NUDGE" db migrate
contains "$T/out" "up to date" "says up to date"

# Colour only on a terminal (script(1) gives it one), never with NO_COLOR,
# never into a pipe; overdue items say how overdue.
esc=$(printf '\033[')
NUDGE_NOW=2027-06-01T09:00:00+02:00 script -qec "$NUDGE agenda" /dev/null >"$T/tty.out" 2>&1
grep -qF "${esc}1;31moverdue" "$T/tty.out" && ok "agenda on a terminal is in colour" || fail "colour on a tty" "$(head -3 "$T/tty.out" | cat -v)"
contains "$T/tty.out" "overdue)" "overdue items say how overdue"
NUDGE_NOW=2027-06-01T09:00:00+02:00 NO_COLOR=1 script -qec "$NUDGE agenda" /dev/null >"$T/tty.out" 2>&1
grep -qF "$esc" "$T/tty.out" && fail "NO_COLOR turns colour off" "$(head -3 "$T/tty.out" | cat -v)" || ok "NO_COLOR turns colour off"
NUDGE_NOW=2027-06-01T09:00:00+02:00 "$NUDGE" agenda >"$T/pipe.out"
grep -qF "$esc" "$T/pipe.out" && fail "no colour into a pipe" || ok "no colour into a pipe"

# --help answers for every command and sub-command, and never acts.
before=$(db_dump "$DB")
(cd "$T" && for cmd in agenda config "config check" db "db backup" deal "deal add" delivery "delivery retry" "delivery list" export followup "followup done" import notify-test promise "promise add" report status; do
	"$NUDGE" $cmd --help >"$T/help.out" 2>&1 || echo "exit $? from nudge $cmd --help"
	grep -q "^usage: nudge ${cmd%% *}" "$T/help.out" || echo "no usage from nudge $cmd --help"
done >"$T/help.bad"; ls -- "$T"/--help 2>/dev/null >>"$T/help.bad")
[ ! -s "$T/help.bad" ] && ok "--help prints usage and exits 0 for every command" || fail "--help" "$(cat "$T/help.bad")"
[ "$before" = "$(db_dump "$DB")" ] && ok "--help writes nothing" || fail "--help writes nothing"
# Every option of every sub-command has its line of help in nudge help
# CMD SUB, the same as nudge CMD SUB --help.
nudge_options >"$T/opts"
out=""
while IFS='|' read -r name opts; do
	"$NUDGE" help $name >"$T/h" 2>&1 || out="$out [$name: exit $?]"
	for o in $opts; do
		grep -qE -- "^    (-[a-zA-Z], )?$o( [A-Z|a-z.]+)? +[[:alpha:]'(].{5,}" "$T/h" || out="$out [$name $o]"
	done
done <"$T/opts"
[ -z "$out" ] && [ "$(wc -l <"$T/opts")" -ge 30 ] && ok "every option has a line of help ($(wc -l <"$T/opts") sub-commands)" || fail "options without help" "$out"
"$NUDGE" delivery retry --help >"$T/h"
grep -qE -- '^    --all-dead +every dead one not dismissed' "$T/h" && grep -qE -- '^    --note TEXT +why' "$T/h" &&
	grep -q '^usage: nudge delivery retry (ID | --all-dead) \[--note TEXT\]$' "$T/h" &&
	ok "delivery retry --help: its usage and a line per option" || fail "delivery retry --help" "$(cat "$T/h")"
"$NUDGE" help delivery >"$T/h"
[ "$(grep -cE '^(usage|   or): nudge delivery (list|show|retry|dismiss)' "$T/h")" = 4 ] &&
	cmp -s "$T/h" <("$NUDGE" delivery --help) && ok "nudge help delivery: the four sub-commands, as delivery --help" || fail "help delivery" "$(cat "$T/h")"

sqlite3 "$DB" "PRAGMA user_version = 99"
expect_status 1 "a database from a newer nudge is refused" -- "$NUDGE" deal list
contains "$T/err" "newer" "says it is newer"
finish
