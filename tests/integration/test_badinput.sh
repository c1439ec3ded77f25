#!/usr/bin/env bash
# Bad input (issue 6, item 4), table-driven: bad CLI invocations, bad CSV
# files (tests/integration/badinput/csv/ plus some made here: invalid
# UTF-8, NUL bytes, control characters, a 10 MB field) and bad
# configurations (tests/integration/badinput/conf/ and the unit tests'
# fixtures).  Each must exit non-zero with a message naming what is wrong
# and where (option, file:line, value), and leave the database
# byte-for-byte unchanged: the same `.dump` and the same file checksum.
# nudged keeping its configuration when SIGHUP brings a bad one is in
# test_daemon.sh.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
CORPUS="$HERE/badinput"
FIX="$ROOT/tests/unit/fixtures/config"

mkdir -p "$T/gen"
make_log_conf Europe/Stockholm <<CONF
people = ( { handle = "anna"; hours = "00:00-24:00"; days = "mon-sun"; } );
CONF
"$NUDGE" deal add "Roof" --account "Acme AB" --owner anna >/dev/null &&
"$NUDGE" followup add "Call Bo" --owner anna --account "Acme AB" --in 1d >/dev/null &&
"$NUDGE" promise add "Send the offer" --owner anna --deal 1 --due +3d >/dev/null ||
	{ fail "seed the database"; finish; exit 1; }

snapshot() { db_dump "$DB"; sha256sum "$DB" | cut -d' ' -f1; ls "$DB"*; }
BEFORE=$(snapshot)
SEEDED=$BEFORE
ncases=0 nunchanged=0

# bad WANT_EXIT "TEXT;TEXT..." CMD...: run CMD; it must exit WANT_EXIT,
# print every TEXT on stderr, and leave the database as it was.
bad() {
	local want=$1 texts=$2 name got t
	shift 2
	name=$(printf '%s ' "$@" | tr -d '\000-\037')
	name=${name//$ROOT\//}
	name=${name//$T\//}
	name=${name:0:100}
	ncases=$((ncases + 1))
	"$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	if [ "$got" != "$want" ]; then
		fail "$name" "exit $got, wanted $want; stderr: $(head -c 300 "$T/err")"
		return
	fi
	if grep -qE 'Sanitizer|runtime error:' "$T/err"; then
		fail "$name" "sanitizer: $(grep -E -A3 'Sanitizer|runtime error:' "$T/err" | head -4)"
		return
	fi
	IFS=';' read -ra parts <<<"$texts"
	for t in "${parts[@]}"; do
		if ! grep -qF -- "$t" "$T/err"; then
			fail "$name" "stderr lacks '$t': $(head -c 300 "$T/err")"
			return
		fi
	done
	if [ "$(snapshot)" != "$BEFORE" ]; then
		fail "$name" "the database changed"
		BEFORE=$(snapshot)
		return
	fi
	nunchanged=$((nunchanged + 1))
	ok "$name"
}

echo "-- bad command lines"
N=$NUDGE
bad 2 "usage: nudge"                      $N
bad 2 "'--bogus'"                         $N --bogus deal list
bad 2 "'c'"                               $N -c
bad 2 "unknown command 'frobnicate'"      $N frobnicate
bad 2 "unknown deal command"              $N deal frob
bad 2 "TITLE"                             $N deal add
bad 2 "--owner"                           $N deal add "T" --account A
bad 2 "bad amount 'abc'"                  $N deal add "T" --account A --owner anna --value abc
bad 2 "bad amount '1e400'"                $N deal add "T" --account A --owner anna --value 1e400
bad 2 "bad amount '-5'"                   $N deal add "T" --account A --owner anna --value -5
bad 2 "--closes;'someday'"                $N deal add "T" --account A --owner anna --closes someday
bad 2 "title is empty"                    $N deal add "" --account A --owner anna
bad 2 "account name is empty"             $N deal add "T" --account "" --owner anna
bad 2 "account name is 300 bytes long"    $N deal add "T" --account "$(printf 'a%.0s' $(seq 300))" --owner anna
bad 2 "--currency;control character"      $N deal add "T" --account A --owner anna --currency $'S\001K'
bad 2 "not valid UTF-8"                   $N deal add $'Roof \xc0\xaf' --account A --owner anna
bad 2 "unknown owner 'zed';anna"          $N deal add "T" --account A --owner zed
bad 2 "no deal with id 99"                $N deal won 99
bad 2 "bad deal id '0'"                   $N deal won 0
bad 2 "bad deal id '1abc'"                $N deal won 1abc
bad 2 "bad deal id '99999999999999999999999'" $N deal won 99999999999999999999999
bad 2 "--at;'31/12/2026'"                 $N deal won 1 --at 31/12/2026
bad 2 "deal show takes one ID"            $N deal show
bad 2 "--open;--won"                      $N deal list --open --won
bad 2 "--owner"                           $N followup add "F" --owner anna --account A
bad 2 "--at or --in"                      $N followup add "F" --owner anna --account A --at tomorrow --in 1h
bad 2 "--in;'5x'"                         $N followup add "F" --owner anna --account A --in 5x
bad 2 "--in;'-5m'"                        $N followup add "F" --owner anna --account A --in -5m
bad 2 "--in;'0s'"                         $N followup add "F" --owner anna --account A --in 0s
bad 2 "--in;too large"                    $N followup add "F" --owner anna --account A --in 99999999999d
bad 2 "--at;'2026-13-01';no such date"    $N followup add "F" --owner anna --account A --at 2026-13-01
bad 2 "--at;'2026-02-30 10:00'"           $N followup add "F" --owner anna --account A --at "2026-02-30 10:00"
bad 2 "--at;'25:00'"                      $N followup add "F" --owner anna --account A --at 25:00
bad 2 "--at;in the past"                  $N followup add "F" --owner anna --account A --at 2020-01-01
bad 2 "unknown owner ''"                  $N followup add "F" --owner "" --account A --in 1h
bad 2 "no deal with id 42"                $N followup add "F" --owner anna --deal 42 --in 1h
bad 2 "control character"                 $N followup add $'two\nlines' --owner anna --account A --in 1h
bad 2 "no follow-up with id 99"           $N followup done 99
bad 2 "'forever'"                         $N followup snooze 1 forever
bad 2 "--until;'yesterday'"               $N followup snooze 1 --until yesterday
bad 2 "followup snooze takes"             $N followup snooze 1
bad 2 "--note;UTF-8"                      $N followup done 1 --note $'bad\xff'
bad 2 "--done;--cancelled"                $N followup list --done --cancelled
bad 2 "--due;'+3x'"                       $N promise add "P" --owner anna --account A --due +3x
bad 2 "--due;in the past"                 $N promise add "P" --owner anna --account A --due 2020-01-01
bad 2 "--strict;tomorrow"                 $N promise add "We will fix it tomorrow" --owner anna --account A --due +3d --strict
bad 2 "no promise with id 99"             $N promise kept 99
bad 2 "--at;'nonsense'"                   $N promise kept 1 --at nonsense
bad 2 "--open;--kept"                     $N promise list --open --kept
bad 2 "--days"                            $N agenda --days -1
bad 2 "--days"                            $N agenda --days abc
bad 2 "--days"                            $N agenda --days 100000
bad 2 "unknown owner 'zed'"               $N agenda --owner zed
bad 2 "--tz: unknown time zone 'Mars/Olympus'" $N agenda --tz Mars/Olympus
bad 2 "--tz: unknown time zone '../../etc/passwd'" $N agenda --tz ../../etc/passwd
bad 2 "calendar url takes one WHO"       $N calendar url
bad 2 "unknown owner 'zed'"               $N calendar url zed
bad 2 "unknown option '--new'"            $N calendar revoke anna --new
bad 2 "unknown owner 'zed'"               $N calendar show zed
bad 2 "unknown calendar command 'frob'"   $N calendar frob
bad 2 "contact takes one ACCOUNT"         $N contact
bad 2 "unknown owner 'zed'"               $N contact Acme --owner zed
bad 2 "unknown option '--until'"          $N account resume Acme --until +1d
bad 2 "unknown account command 'frob'"    $N account frob
bad 2 "--format is text, csv or json, not 'xml'" $N accounts --format xml
bad 2 "unknown owner 'zed'"               $N accounts --owner zed
bad 2 "import takes an export (FILE or DIR), or one of --deals, --promises, --followups, --accounts or --tokens FILE" $N import
bad 2 "--promises"                        $N import --promises
bad 2 "/nonexistent.csv;No such file"     $N import --promises /nonexistent.csv
bad 2 "import: give one of --deals, --promises, --followups, --accounts or --tokens, not two" $N import --promises a.csv --deals b.csv
bad 2 "unknown db command 'frob'"         $N db frob
bad 2 "db backup takes one FILE"          $N db backup
bad 2 "unknown config command 'frob'"     $N config frob
bad 2 "unexpected 'extra'"                $N status extra
bad 2 "notify-test takes one WHO"         $N notify-test
bad 2 "unknown delivery command 'frob'"   $N delivery frob
bad 2 "no delivery with id 99"            $N delivery retry 99
bad 2 "no delivery with id 99"            $N delivery dismiss 99 --note "gone"
bad 2 "no delivery with id 99"            $N delivery show 99
bad 2 "bad delivery id '0'"               $N delivery retry 0
bad 2 "delivery retry takes one ID, or --all-dead" $N delivery retry 1 --all-dead
bad 2 "delivery retry takes one ID, or --all-dead" $N delivery retry
bad 2 "unknown option '--all-dead'"       $N delivery dismiss --all-dead
bad 2 "delivery list: give one of --dead or --failing, not two" $N delivery list --dead --failing
bad 2 "--note;UTF-8"                      $N delivery dismiss 1 --note $'bad\xff'
bad 2 "--format"                          $N export --format xml
bad 2 "--format csv writes one kind per file;--output-dir" $N export --format csv
bad 2 "--output-dir is for --format csv"  $N export --format json --output-dir "$T"
# An export goes only into an empty database (this one holds the seed).
"$N" export >"$T/seed.json" 2>/dev/null || fail "export the seed"
mkdir -p "$T/seed.csv" && "$N" export --output-dir "$T/seed.csv" 2>/dev/null || fail "export the seed as CSV"
bad 2 "seed.json is an export;goes only into one without any records;new database" $N import "$T/seed.json"
bad 2 "seed.csv is an export;goes only into one without any records" $N import "$T/seed.csv"
bad 2 "deals.csv is an export;without records of its kind" $N import --deals "$T/seed.csv/deals.csv"
printf '{"deals": []}' >"$T/not-export.json"
bad 2 "not-export.json: not a nudge export" $N import "$T/not-export.json"
bad 2 "/nonexistent.json;No such file"    $N import /nonexistent.json
bad 2 "NUDGE_NOW;'garbage'"               env NUDGE_NOW=garbage $N deal list
bad 1 "/nonexistent/dir/x.db;cannot create database" $N -d /nonexistent/dir/x.db db migrate
bad 1 "/nonexistent/dir/x.db;no nudge database here yet;nudge db migrate" $N -d /nonexistent/dir/x.db deal list
bad 2 "cannot read configuration;/nonexistent.conf" $N -c /nonexistent.conf deal list
bad 2 "cannot read configuration;it is a directory" $N -c /tmp deal list
# Issue 21: inputs that were accepted and written.
for cur in SEKK 'S€K' 12 ZZZ 'EU R'; do
	bad 2 "--currency '$cur' is not an ISO 4217 currency code" \
		$N deal add "T" --account A --owner anna --currency "$cur"
done
for id in " 1" "+1" "1 "; do
	bad 2 "bad deal id '$id'"             $N deal won "$id"
	bad 2 "bad deal id '$id'"             $N deal show "$id"
	bad 2 "bad promise id '$id'"          $N promise kept "$id"
	bad 2 "bad promise id '$id'"          $N promise renegotiate "$id" --due +5d
	bad 2 "bad follow-up id '$id'"        $N followup done "$id"
	bad 2 "bad follow-up id '$id'"        $N followup snooze "$id" 1d
	bad 2 "bad deal id '$id'"             $N followup add "F" --owner anna --deal "$id" --in 1h
done
bad 2 "deal title contains a control character at byte 2" $N deal add $'a\x7fb' --account A --owner anna
bad 2 "--at: '+20d' is in the future"     $N deal won 1 --at +20d
bad 2 "--at: '+2h' is in the future"      $N deal lost 1 --at +2h
bad 2 "--at;too far in the future"        $N deal won 1 --at 9999-12-31
bad 2 "--at: '+20d' is in the future"     $N promise kept 1 --at +20d
bad 2 "--at: 'tomorrow' is in the future" $N promise kept 1 --at tomorrow
bad 2 "--in: '2d' from now is too far in the future" env NUDGE_NOW=9999-12-29T20:00:00Z $N followup add "F" --owner anna --account A --in 2d
bad 2 "'2d' from now is too far in the future" env NUDGE_NOW=9999-12-29T20:00:00Z $N followup snooze 1 2d
bad 2 "--due;too far in the future"       env NUDGE_NOW=9999-12-29T20:00:00Z $N promise add "P" --owner anna --account A --due +3d
bad 2 "db backup: FILE is empty"          $N db backup ""
# Issue 21, help like git's: the near miss is named, and so is what is
# missing (only that), an option given twice, an option of another command.
bad 2 "unknown command 'promis'; did you mean 'promise'?" $N promis add
bad 2 "unknown promise command 'ad'; did you mean 'promise add'?" $N promise ad "P"
bad 2 "unknown option '--ownr'; did you mean '--owner'?" $N deal add "T" --account A --ownr anna
bad 2 "unknown owner 'Anna';did you mean 'anna'?" $N deal add "T" --account A --owner Anna
bad 2 "unknown owner 'ana';did you mean 'anna'?" $N promise list --owner ana
bad 2 "promise add needs --due"           $N promise add "P" --owner anna --account A
bad 2 "promise add needs --owner and --due" $N promise add "P" --account A
bad 2 "promise add needs one of --account or --deal" $N promise add "P" --owner anna --due +3d
bad 2 "followup add needs one of --at or --in" $N followup add "F" --owner anna --account A
bad 2 "--owner is given twice"            $N deal add "T" --account A --owner anna --owner anna
bad 2 "unknown option '--at'"             $N promise broken 1 --at +1h
bad 2 "--owner needs a value (WHO)"       $N deal list --owner
bad 2 "--format csv writes one kind per file;--output-dir" $N export --deals --promises --format csv
bad 2 "import takes an export (FILE or DIR), or one of" $N import "$T/seed.json" --promises a.csv
bad 2 "--force is for a CSV file" $N import --force "$T/seed.json"
ncli=$ncases

echo "-- bad CSV files"
# file  kind  where  what
CSV_TABLE="
header-unknown-column.csv   promises   :1:   unknown column 'acount'
header-missing-column.csv   promises   :1:   lacks column 'due'
header-duplicate-column.csv promises   :1:   column 'text' appears twice
header-of-deals.csv         promises   :1:   unknown column 'title'
too-many-columns.csv        promises   :1:   more than 64 fields
empty.csv                   promises   :     empty file
blank-lines.csv             promises   :     empty file
bad-date.csv                promises   :3:   cannot read '31/12/2026'
bad-date-feb30.csv          promises   :2:   no such date
bad-time.csv                promises   :2:   no such time of day
unknown-owner.csv           promises   :3:   unknown owner 'zed'
empty-owner.csv             promises   :2:   owner is empty
too-many-cells.csv          promises   :2:   5 fields, the header has 4
too-few-cells.csv           promises   :2:   3 fields, the header has 4
open-quote.csv              promises   :3:   a quoted field is never closed
stray-quote.csv             promises   :2:   malformed quoting
text-after-quote.csv        promises   :2:   malformed quoting
bad-deal-id.csv             promises   :2:   bad deal id 'abc'
unknown-deal.csv            promises   :2:   no deal with id 999
deals-bad-value.csv         deals      :2:   bad amount '12 500 kr'
deals-bad-won-at.csv        deals      :2:   cannot read 'last week'
followups-bad-at.csv        followups  :2:   cannot read 'someday'
followups-empty-account.csv followups  :2:   account is empty
promises-past-due.csv       promises   :2:   due 2020-01-01 is in the past (use --force
"
H='owner,account,text,due'
gen() { printf "$2" >"$T/gen/$1"; }
gen utf8-text.csv         "$H\nanna,Acme,Send the offer,2026-12-01\nanna,Acme,bad \xff\xfe text,2026-12-01\n"
gen utf8-account.csv      "$H\nanna,Ac\xe9me,Send the offer,2026-12-01\n"
gen utf8-overlong.csv     "$H\nanna,Acme,slash \xc0\xaf,2026-12-01\n"
gen utf8-surrogate.csv    "$H\nanna,Acme,half \xed\xa0\x80 a pair,2026-12-01\n"
gen utf8-truncated.csv    "$H\nanna,Acme,cut \xe2\x82,2026-12-01\n"
gen control-char.csv      "$H\nanna,Acme,bell \x07 here,2026-12-01\n"
gen nul-in-text.csv       "$H\nanna,Acme,Hello\x00World,2026-12-01\n"
gen nul-after-date.csv    "$H\nanna,Acme,Hello,2026-12-01\x00 and more\n"
gen nul-in-header.csv     "owner,acc\x00ount,text,due\nanna,Acme,Hello,2026-12-01\n"
D='title,account,owner,value,currency,closes,won_at'
gen deals-currency.csv    "$D\nRoof,Acme,anna,100,SEK,,\nFence,Acme,anna,100,SEKK,,\n"
gen deals-future-won.csv  "$D\nRoof,Acme,anna,100,SEK,,+20d\n"
gen promises-plus-deal.csv "owner,account,text,due,deal\nanna,Acme,Send,+3d,+1\n"
gen long-text.csv         "$H\nanna,Acme,$(printf 'x%.0s' $(seq 5000)),2026-12-01\n"
{ echo "$H"; for i in $(seq 60); do echo "zed$i,Acme,x,2026-12-01"; done; } >"$T/gen/sixty-bad-rows.csv"
# A 10 MB field: refused by the reader's 1 MB limit before any row is used.
{ printf '%s\nanna,Acme,' "$H"; head -c 10485760 /dev/zero | tr '\0' x; printf ',2026-12-01\n'; } >"$T/gen/ten-mb-field.csv"
{ printf '%s\nanna,Acme,"' "$H"; head -c 10485760 /dev/zero | tr '\0' x; printf '",2026-12-01\n'; } >"$T/gen/ten-mb-quoted.csv"
GEN_TABLE="
utf8-text.csv               promises   :3:   text is not valid UTF-8
utf8-account.csv            promises   :2:   account is not valid UTF-8
utf8-overlong.csv           promises   :2:   text is not valid UTF-8
utf8-surrogate.csv          promises   :2:   text is not valid UTF-8
utf8-truncated.csv          promises   :2:   text is not valid UTF-8
control-char.csv            promises   :2:   control character
nul-in-text.csv             promises   :2:   NUL byte
nul-after-date.csv          promises   :2:   NUL byte
nul-in-header.csv           promises   :1:   NUL byte
long-text.csv               promises   :2:   text is 5000 bytes long
deals-currency.csv          deals      :3:   currency 'SEKK' is not an ISO 4217 currency code
deals-future-won.csv        deals      :2:   won_at '+20d' is in the future
promises-plus-deal.csv      promises   :2:   bad deal id '+1'
sixty-bad-rows.csv          promises   :51:  and 10 more bad rows
ten-mb-field.csv            promises   :2:   the limit is 1048576
ten-mb-quoted.csv           promises   :2:   the limit is 1048576
"
ncsv0=$ncases
while read -r f kind where what; do
	[ -n "$f" ] || continue
	bad 2 "$f$where;$what" "$NUDGE" import --"$kind" "$CORPUS/csv/$f"
done <<<"$CSV_TABLE"
while read -r f kind where what; do
	[ -n "$f" ] || continue
	bad 2 "$f$where;$what" "$NUDGE" import --"$kind" "$T/gen/$f"
done <<<"$GEN_TABLE"
# The same bytes on stdin are named "stdin".
bad 2 "stdin:2:;NUL byte" sh -c "\"\$0\" import --promises - <\"\$1\"" "$NUDGE" "$T/gen/nul-in-text.csv"
ncsv=$((ncases - ncsv0))

echo "-- bad configurations"
# file  line  what  (nudge config check exits 2, nudged --check-config 78,
# a write with the bad file exits 2 and touches nothing)
CONF_TABLE="
$CORPUS/conf/syntax-unbalanced.conf        3   syntax error
$CORPUS/conf/syntax-unclosed-string.conf   4   syntax error
$CORPUS/conf/unknown-top-key.conf          4   did you mean 'database'
$CORPUS/conf/key-at-wrong-level.conf       4   unknown key 'attempts' at the top level
$CORPUS/conf/wrong-type.conf               4   'timezone' must be a string
$CORPUS/conf/people-not-a-list.conf        3   'people' must be a list
$CORPUS/conf/unknown-zone.conf             5   unknown time zone 'Europe/Stokholm'
$CORPUS/conf/bad-hours.conf                4   the start must be before the end
$CORPUS/conf/bad-hours-clock.conf          4   invalid working hours '08:00-25:00'
$CORPUS/conf/bad-days.conf                 4   invalid days 'mon-funday'
$CORPUS/conf/bad-handle.conf               4   use lower-case letters
$CORPUS/conf/duplicate-person.conf         5   person 'anna' is defined twice
$CORPUS/conf/duplicate-channel.conf        4   channel 'log' is defined twice
$CORPUS/conf/unknown-notify.conf           4   unknown channel 'slack'
$CORPUS/conf/bad-email.conf                4   is not an email address
$CORPUS/conf/negative-capacity.conf        4   -1 is out of range
$CORPUS/conf/bad-digest.conf               4   invalid time of day '8.30am'
$CORPUS/conf/bad-holiday.conf              3   invalid date '2026-02-30'
$CORPUS/conf/unknown-channel-type.conf     4   unknown type 'carrier-pigeon'
$CORPUS/conf/key-for-other-type.conf       5   'secret_file' does not apply to channel 'mail'
$CORPUS/conf/email-no-from.conf            4   needs a from address
$CORPUS/conf/url-with-password.conf        4   use username and password_file
$CORPUS/conf/tls-none-remote.conf          6   only allowed for a loopback server
$CORPUS/conf/webhook-bad-scheme.conf       5   must start with https:// or http://
$CORPUS/conf/webhook-bad-format.conf       5   unknown format 'xml'
$CORPUS/conf/rule-unknown-event.conf       5   unknown event 'deal.wonn'
$CORPUS/conf/rule-after-and-before.conf    6   has both after and before
$CORPUS/conf/rule-no-offset.conf           5   needs after or before
$CORPUS/conf/rule-unknown-variable.conf    6   unknown variable 'acount'
$CORPUS/conf/rule-link.conf                 7   {{link}} needs the HTTP listener
$CORPUS/conf/rule-unclosed-variable.conf   6   is never closed
$CORPUS/conf/rule-bad-duration.conf        6   invalid duration '3 fortnights'
$CORPUS/conf/rule-unknown-escalation.conf  6   unknown person 'boss'
$CORPUS/conf/delivery-attempts-range.conf  5   0 is out of range (1 to 100)
$CORPUS/conf/delivery-business-days.conf   5   not business days
$CORPUS/conf/promises-bad-slack.conf       5   '150%' must be a share
$CORPUS/conf/ops-unknown-channel.conf      4   unknown channel 'pager'
$CORPUS/conf/secret-missing.conf           5   no-such.secret: No such file
$CORPUS/conf/include-missing.conf          3   no-such-file.conf: No such file
$FIX/bad-syntax.conf                       3   syntax error
$FIX/bad-typo.conf                         12  did you mean 'hours'
$FIX/bad-capacity.conf                     7   'capacity' must be an integer
$FIX/bad-secret-missing.conf               5   nonexistent.secret: No such file
$FIX/bad-secret-dir.conf                   4   is not a regular file
$FIX/bad-include.conf                      4   included/bad-channels.conf:4
$FIX/bad-include-syntax.conf               3   included/bad-syntax.conf:3
$T/gen/long-message.conf                   4   2001 bytes is longer than 2000 bytes
$T/gen/long-name.conf                      2   201 bytes is longer than 200 bytes
$T/gen/utf8-name.conf                      2   not valid UTF-8
$T/gen/control-name.conf                   2   control character
"
printf 'channels = ( { name = "log"; type = "log"; } );\npeople = ( { handle = "anna"; name = "A\xff\xfeB"; } );\n' >"$T/gen/utf8-name.conf"
printf 'channels = ( { name = "log"; type = "log"; } );\npeople = ( { handle = "anna"; name = "A\x1b[31mB"; } );\n' >"$T/gen/control-name.conf"
printf 'channels = ( { name = "log"; type = "log"; } );\npeople = ( { handle = "anna"; name = "%s"; } );\n' "$(head -c 201 /dev/zero | tr '\0' a)" >"$T/gen/long-name.conf"
printf 'channels = ( { name = "log"; type = "log"; } );\npeople = ( { handle = "anna"; } );\nrules = ( { name = "thanks"; on = "deal.won"; after = "1d";\n  message = "%s"; } );\n' "$(head -c 2001 /dev/zero | tr '\0' m)" >"$T/gen/long-message.conf"
nconf0=$ncases
while read -r f line what; do
	[ -n "$f" ] || continue
	base=$(basename "$f")
	# Included files are named by their own path, not the includer's.
	case $what in included/*) where=$what; what=;; *) where="$base:$line";; esac
	bad 2 "$where;$what" "$NUDGE" -c "$f" config check
	bad 78 "$where;$what" "$NUDGED" --check-config -c "$f"
	bad 2 "$where" "$NUDGE" -c "$f" -d "$DB" followup add "With a bad config" --owner anna --account A --in 1h
done <<<"$CONF_TABLE"
nconf=$(( (ncases - nconf0) / 3 ))

[ "$(snapshot)" = "$SEEDED" ] && ok "after $ncases bad inputs the database is byte-for-byte the seeded one" || fail "database unchanged at the end"
[ "$(sqlite3 "$DB" "PRAGMA integrity_check")" = ok ] && ok "integrity check" || fail "integrity check"
# The positive side of the cases above, in a database of their own: the
# same inputs, right, are taken.
echo "-- taken near the edge"
OK="$T/ok.db"
good() { # good NAME CMD...: CMD exits 0
	local name=$1
	shift
	if "$@" >"$T/out" 2>"$T/err" </dev/null; then ok "$name"; else
		fail "$name" "exit $?: $(head -c 300 "$T/err")"; fi
}
good "currency 'sek' is taken" $N -d "$OK" deal add "T" --account A --owner anna --currency sek
[ "$($N -d "$OK" --json deal show 1 | grep -c '"currency": "SEK"')" = 1 ] &&
	ok "and stored as SEK" || fail "currency stored upper-case" "$($N -d "$OK" --json deal show 1)"
good "id '01' is 1"                    $N -d "$OK" deal show 01
good "deal won --at today (its start, in the past)" $N -d "$OK" deal won 1 --at today
good "promise add"                     $N -d "$OK" promise add "P" --owner anna --account A --due +3d
good "promise kept --at now"           $N -d "$OK" promise kept 1 --at now
good "--in 1h a day before the last day" env NUDGE_NOW=9999-12-28T20:00:00Z $N -d "$OK" followup add "F" --owner anna --account A --in 1h
printf '\xef\xbb\xbfowner,account,text,due\nanna,Acme,From a spreadsheet,+2d\n' >"$T/gen/bom.csv"
good "a CSV with a UTF-8 byte-order mark is imported" $N -d "$OK" import --promises "$T/gen/bom.csv"
$N -d "$OK" --json promise list | grep -q '"owner": "anna"' &&
	ok "and its first column read" || fail "BOM import" "$($N -d "$OK" --json promise list)"
good "a time in the spring-forward gap is taken" $N -d "$OK" followup add "Gap" --owner anna --account A --at "2099-03-29 02:30"
grep -qF "warning: '2099-03-29 02:30' does not exist in Europe/Stockholm (the clocks go forward then); read as 2099-03-29T03:00:00+02:00" "$T/err" &&
	ok "with a warning that names the gap" || fail "DST gap warning" "$(cat "$T/err")"
good "a time outside the gap, no warning" $N -d "$OK" followup add "No gap" --owner anna --account A --at "2099-03-29 04:30"
[ ! -s "$T/err" ] && ok "and no warning" || fail "warning outside the gap" "$(cat "$T/err")"
printf 'database = "ok.db";\nchannels = ( { name = "log"; type = "log"; } );\npeople = ( { handle = "anna"; name = "%s"; } );\nrules = ( { name = "thanks"; on = "deal.won"; after = "1d";\n  message = "%s"; } );\n' "$(head -c 200 /dev/zero | tr '\0' a)" "$(head -c 2000 /dev/zero | tr '\0' m)" >"$T/gen/long-ok.conf"
printf 'channels = ( { name = "log"; type = "log"; } );\n' >"$T/gen/abs-channels.conf"
printf 'database = "ok.db";\n@include "%s"\npeople = ( { handle = "anna"; } );\n' "$T/gen/abs-channels.conf" >"$T/gen/abs-include.conf"
good "an @include of an absolute path" $N -c "$T/gen/abs-include.conf" config check
good "a 2000-byte message and a 200-byte name are taken" $N -c "$T/gen/long-ok.conf" config check
# A backup that fails (a full file system) leaves nothing beside it.
mkdir -p "$T/small"
if mount -t tmpfs -o size=24k tmpfs "$T/small" 2>/dev/null; then
	$N -d "$DB" db backup "$T/small/b.db" >/dev/null 2>"$T/err"
	rc=$?
	left=$(ls -A "$T/small")
	umount "$T/small"
	[ "$rc" = 1 ] && grep -q "backup failed" "$T/err" && [ -z "$left" ] &&
		ok "a failed backup exits 1 and leaves nothing behind" ||
		fail "failed backup" "exit $rc, left: $left; $(cat "$T/err")"
	good "a backup that fits is made" $N -d "$DB" db backup "$T/b.db"
else
	echo "skip: cannot mount a small tmpfs here (not root)"
fi

echo "bad inputs tried: $ncases ($ncli command lines, $ncsv CSV files, $nconf configurations x 3 ways); $nunchanged left the database unchanged"
finish
