#!/usr/bin/env bash
# Security review in code (issue 6, item 7):
#  - the sources build no SQL with printf-style formatting and hand nothing
#    to a shell (scan_sources.py; shown to fail on planted examples);
#  - secrets come only from files or systemd credentials, never from the
#    configuration text, and never appear in the log (even with -v), in
#    --json output, in error messages or in the database;
#  - a secret file readable by others is warned about at every start and
#    reload;
#  - TLS is verified by default (a self-signed HTTPS receiver gets
#    nothing; mail that must be TLS is not sent in the clear), and the
#    per-channel opt-out, tls_verify = false, is warned about at every
#    start and reload;
#  - the database, its WAL and lock, the wake-up socket and backups are
#    created without any access for others, whatever the umask.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reliability.sh"

echo "-- source scan"
if (cd "$ROOT" && $PY "$HERE/scan_sources.py" --allow cli/cmd-report.c:posix_spawnp lib cli daemon) >"$T/scan.out" 2>&1; then
	ok "lib/ cli/ daemon/: no SQL built with printf, no shell ($(tail -1 "$T/scan.out"))"
else
	fail "source scan" "$(head -5 "$T/scan.out")"
fi
# The scan can fail: planted examples, one rule each, and one bad line in
# a copy of the real tree.
mkdir -p "$T/planted"
plant() {  # NAME RULE C-LINE
	printf 'void f(sqlite3 *db, char *q, char **sql, const char *who, long long id)\n{\n%s\n}\n' "$3" >"$T/planted/$1.c"
	if $PY "$HERE/scan_sources.py" "$T/planted/$1.c" >"$T/scan.out" 2>&1; then
		fail "the scan finds $1" "it passed"
	elif grep -q "$1.c:3: $2:" "$T/scan.out"; then
		ok "the scan finds $1 ($2)"
	else
		fail "the scan finds $1 as $2" "$(cat "$T/scan.out")"
	fi
}
plant snprintf-query   sql-printf "	snprintf(q, 256, \"SELECT * FROM deals WHERE owner = '%s'\", who);"
plant mprintf          sql-printf "	q = sqlite3_mprintf(\"DELETE FROM deals WHERE id = %lld\", id);"
plant joined-literals  sql-printf "	asprintf(sql, \"UPDATE followups \"
	    \"SET text = '%s' \" \"WHERE id = %lld\", who, id);"
plant lowercase-sql    sql-printf "	fprintf(f, \"insert into accounts (name) values ('%s')\", who);"
plant pragma-format    sql-printf "	asprintf(sql, \"PRAGMA user_version = %d\", (int)id);"
plant system-call      shell      "	system(q);"
plant popen-call       shell      "	FILE *p = popen(\"sendmail -t\", \"w\");"
plant sh-c             shell      "	char *argv[] = { \"/bin/sh\", \"-c\", q, NULL };"
plant execvp-call      spawn      "	execvp(q, sql);"
printf '/* system() and "SELECT %%s FROM x" in a comment */\nstatic const char Q[] = "SELECT a FROM t WHERE id = ?1 AND b LIKE ?2";\nvoid g(void) { err_set(e, "cannot update %%s: %%s", a, b); t->system(1); }\n' >"$T/planted/clean.c"
$PY "$HERE/scan_sources.py" "$T/planted/clean.c" >"$T/scan.out" 2>&1 && ok "no false alarm on bound parameters, messages, comments" || fail "false alarm" "$(cat "$T/scan.out")"
cp -r "$ROOT/lib" "$ROOT/cli" "$ROOT/daemon" "$T/planted/"
printf '\nstatic const char SQL_BAD[] = "SELECT id FROM followups WHERE owner = '"'"'%%s'"'"'";\n' >>"$T/planted/lib/outbox.c"
line=$(wc -l <"$T/planted/lib/outbox.c")
(cd "$T/planted" && $PY "$HERE/scan_sources.py" --allow cli/cmd-report.c:posix_spawnp lib cli daemon) >"$T/scan.out" 2>&1
[ $? = 1 ] && grep -q "^lib/outbox.c:$line: sql-printf" "$T/scan.out" && ok "one bad line planted in a copy of the tree fails the scan, named by file:line" \
	|| fail "planted line in the tree" "$(cat "$T/scan.out")"

# Peer and host verification are libcurl's defaults; the only places that
# touch them must be under the channel's explicit opt-out.
$PY - "$ROOT" >"$T/tls.out" <<'PY'
import glob, os, re, sys
n = 0
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*", "*.c"))):
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    for i, l in enumerate(lines):
        if re.search(r"CURLOPT_SSL_VERIFY(PEER|HOST|STATUS)|CURLOPT_PROXY_SSL_VERIFY", l):
            n += 1
            guarded = any("!ch->tls_verify" in p for p in lines[max(0, i - 3):i])
            if not guarded or not re.search(r",\s*0L?\s*\)", l):
                print(f"{os.path.relpath(path, sys.argv[1])}:{i + 1}: {l.strip()}")
print("settings", n)
PY
if grep -q '^settings [1-9]' "$T/tls.out" && [ "$(wc -l <"$T/tls.out")" = 1 ]; then
	ok "TLS verification is turned off only under 'if (!ch->tls_verify)' ($(sed 's/settings //' "$T/tls.out") places)"
else
	fail "TLS verification off only under the opt-out" "$(cat "$T/tls.out")"
fi

echo "-- secrets, TLS, modes"
umask 000       # every mode below comes from the code, not from a umask
SECRET=$(new_secret)
CRED_SECRET=$(new_secret)
PASSWORD="pw-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
printf '%s\n' "$SECRET" >"$T/hook.secret"
printf '%s\n' "$PASSWORD" >"$T/smtp.secret"
chmod 640 "$T/hook.secret" "$T/smtp.secret"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$T/tls.key" -out "$T/tls.crt" >/dev/null 2>&1 || fail "make a self-signed certificate"
# An internal CA (ca_file) and two certificates it signs: one for
# 127.0.0.1, one for another name, so host-name verification is tested on
# its own (the chain is trusted, only the name is wrong).
leaf() {  # NAME SAN
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-subj "/CN=$1" -keyout "$T/$1.key" -out "$T/$1.csr" >/dev/null 2>&1 &&
	printf 'subjectAltName=%s\n' "$2" >"$T/$1.ext" &&
	openssl x509 -req -in "$T/$1.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" \
		-CAcreateserial -days 2 -extfile "$T/$1.ext" -out "$T/$1.crt" >/dev/null 2>&1
}
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj "/CN=nudge test CA" -keyout "$T/ca.key" -out "$T/ca.crt" >/dev/null 2>&1 &&
leaf 127.0.0.1 IP:127.0.0.1 && leaf wrong.example DNS:wrong.example || fail "make a CA and the certificates it signs"

start_receiver http http --secret "$SECRET" && H="http://127.0.0.1:$PORT" &&
start_receiver http https --tls-cert "$T/tls.crt" --tls-key "$T/tls.key" && HS="https://127.0.0.1:$PORT" &&
start_receiver http internal --tls-cert "$T/127.0.0.1.crt" --tls-key "$T/127.0.0.1.key" && HI="https://127.0.0.1:$PORT" &&
start_receiver http wrongname --tls-cert "$T/wrong.example.crt" --tls-key "$T/wrong.example.key" && HW="https://127.0.0.1:$PORT" &&
start_receiver smtp smtp --auth "nudge:$PASSWORD" && SP=$PORT || { fail "receivers start"; finish; exit 1; }

make_conf <<CONF
channels = (
  { name = "log"; type = "log"; },
  { name = "hook"; type = "webhook"; url = "$H/ok/signed"; secret_file = "hook.secret"; },
  { name = "mail"; type = "email"; url = "smtp://127.0.0.1:$SP"; from = "nudge@example.com";
    username = "nudge"; password_file = "smtp.secret"; tls = "none"; },
  { name = "clearmail"; type = "email"; url = "smtp://127.0.0.1:$SP"; from = "nudge@example.com"; },
  { name = "verified"; type = "webhook"; url = "$HS/ok/verified"; },
  { name = "unverified"; type = "webhook"; url = "$HS/ok/unverified"; tls_verify = false; },
  { name = "internal"; type = "webhook"; url = "$HI/ok/internal"; ca_file = "ca.crt"; },
  { name = "wrongname"; type = "webhook"; url = "$HW/ok/wrongname"; ca_file = "ca.crt"; }
);
people = (
  { handle = "hook"; notify = [ "hook" ]; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "mail"; notify = [ "mail" ]; email = "carl@example.com"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "clear"; notify = [ "clearmail" ]; email = "clear@example.com"; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "verified"; notify = [ "verified" ]; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "unverified"; notify = [ "unverified" ]; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "internal"; notify = [ "internal" ]; hours = "00:00-24:00"; days = "mon-sun"; },
  { handle = "wrongname"; notify = [ "wrongname" ]; hours = "00:00-24:00"; days = "mon-sun"; }
);
delivery = { attempts = 2; backoff = "1s"; max_backoff = "1s"; timeout = "3s"; };
CONF
expect_status 0 "nudge creates the database (umask 000)" -- "$NUDGE" deal add "Roof" --account Acme --owner hook
start_nudged -v || { finish; exit 1; }

for who in hook mail clear verified unverified internal wrongname; do
	"$NUDGE" followup add "Security check for $who" --owner "$who" --account Acme --in 1s >/dev/null || fail "followup add for $who"
done
state() { sqlite3 "$DB" "SELECT d.state || ' ' || d.attempts FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = '$1' ORDER BY d.id DESC LIMIT 1"; }
lasterr() { sqlite3 "$DB" "SELECT d.last_error FROM deliveries d JOIN followups f ON f.id = d.followup_id WHERE f.owner = '$1' ORDER BY d.id DESC LIMIT 1"; }
check_state() { wait_state "$1" "$2" "$3" && ok "$4" || fail "$4" "state '$(state "$1")': $(lasterr "$1")"; }

check_state hook "delivered 1" 10 "signed webhook delivered with the secret from its file"
grep -q '"sig_ok": true' "$T/http.log" && ok "and its signature verifies" || fail "signature verifies"
check_state mail "delivered 1" 10 "SMTP AUTH with the password from its file"
grep -q '"auth": true' "$T/smtp.log" && ok "the server saw an authenticated session" || fail "authenticated SMTP"
check_state unverified "delivered 1" 10 "tls_verify = false: the self-signed HTTPS receiver gets the reminder"
check_state verified "dead 2" 15 "TLS verified by default: a self-signed certificate fails the delivery"
case $(lasterr verified) in *certificate*) ok "with the certificate problem as the reason";; *) fail "certificate reason" "$(lasterr verified)";; esac
# The receivers log each request that reaches them (before answering):
# the self-signed one has the opted-out channel's, never the verified one's.
grep -q '/ok/unverified' "$T/https.log" && ok "the self-signed receiver logged the request that reached it" || fail "the self-signed receiver logs requests" "$(cat "$T/https.log")"
grep -q '/ok/verified' "$T/https.log" && fail "the unverified receiver never saw the request" || ok "the unverified receiver never saw the request"
check_state internal "delivered 1" 10 "ca_file: a receiver whose certificate the internal CA signed gets the reminder, verified"
check_state wrongname "dead 2" 15 "host names are verified: a certificate the trusted CA signed for another name fails the delivery"
case $(lasterr wrongname) in *"wrong.example"*|*"subject name"*|*"match"*) ok "with the name mismatch as the reason ($(lasterr wrongname))";; *) fail "name mismatch reason" "$(lasterr wrongname)";; esac
# A client that does not check names gets through to it, and is logged.
/usr/bin/python3 -c 'import ssl, sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=b""),
    context=ssl._create_unverified_context(), timeout=10)' "$HW/ok/probe" && grep -q '/ok/probe' "$T/wrongname.log" \
	&& ok "the wrongly named receiver logs a request that reaches it (unverified)" || fail "the wrongly named receiver logs requests" "$(cat "$T/wrongname.log")"
grep -q '/ok/wrongname' "$T/wrongname.log" && fail "the wrongly named receiver never saw the request" || ok "the wrongly named receiver never saw the request"
check_state clear "dead 2" 15 "tls = required by default: mail to a server without STARTTLS is not sent"
case $(lasterr clear) in *TLS*) ok "with STARTTLS as the reason ($(lasterr clear))";; *) fail "STARTTLS reason" "$(lasterr clear)";; esac
grep -q 'carl@example.com' "$T/smtp.log" && ok "the mail server logged the mail that was sent (over AUTH)" || fail "the mail server logs mail" "$(cat "$T/smtp.log")"
grep -q 'clear@example.com' "$T/smtp.log" && fail "no mail went out in the clear" || ok "no mail went out in the clear"

# Modes, whatever the umask (000 here): nothing for others.
mode_ok() {  # NAME FILE...
	local name=$1 f m bad=; shift
	for f in "$@"; do
		[ -e "$f" ] || { bad="$bad $(basename "$f"):missing"; continue; }
		m=$(stat -c %a "$f")
		[ $((8#$m & 8#007)) = 0 ] || bad="$bad $(basename "$f"):$m"
	done
	[ -z "$bad" ] && ok "$name" || fail "$name" "$bad"
}
mode_ok "database, WAL, shared memory and lock have no access for others" "$DB" "$DB-wal" "$DB-shm" "$DB.lock"
mode_ok "the wake-up socket has no access for others" "$T/run/nudged.sock"
expect_status 0 "db backup" -- "$NUDGE" db backup "$T/backup.db"
mode_ok "a backup has no access for others" "$T/backup.db"
"$NUDGE" -d "$T/cli-made.db" db migrate >/dev/null 2>&1
mode_ok "a database the CLI creates has no access for others" "$T/cli-made.db"

# The warnings: TLS off for 'unverified' only; no secret readable by others
# yet.  Then make one world-readable: reload and restart both warn.
n_tls() { count "$LOG" "channel '$1': TLS certificate verification is OFF"; }
[ "$(n_tls unverified)" = 1 ] && ok "start: the TLS opt-out is warned about" || fail "TLS opt-out warning at start" "$(grep -i tls "$LOG")"
[ "$(n_tls verified)" = 0 ] && [ "$(n_tls hook)" = 0 ] && ok "and only for the channel that opts out" || fail "TLS warning only for the opt-out"
grep -q "readable by everyone" "$LOG" && fail "no warning for secrets mode 0640" "$(grep readable "$LOG")" || ok "no warning for secret files mode 0640"
chmod 644 "$T/hook.secret"
kill -HUP "$DPID"
wait_for "$LOG" "configuration reloaded" 5 || fail "reload"
wait_for "$LOG" "channel 'hook': secret file $T/hook.secret is readable by everyone" 5 && ok "reload: a world-readable secret file is warned about" || fail "world-readable warning at reload" "$(tail -3 "$LOG")"
wait_count "$LOG" "channel 'unverified': TLS certificate verification is OFF" 2 5
[ "$(n_tls unverified)" = 2 ] && ok "reload: the TLS opt-out is warned about again" || fail "TLS warning at reload" "$(n_tls unverified)"
# restart [VAR=VALUE...]: stop nudged, start it again appending to $LOG,
# and wait for this start's "ready" (the log has the earlier ones).
restart() {
	local n; n=$(count "$LOG" " ready: ")
	kill -TERM "$DPID"; wait "$DPID" 2>/dev/null
	env "$@" "$NUDGED" -c "$T/nudge.conf" -v >>"$LOG" 2>&1 &
	PIDS+=($!); DPID=$!
	wait_count "$LOG" " ready: " $((n + 1)) 10 || fail "nudged restarts" "$(tail -3 "$LOG")"
}
restart
[ "$(grep -c "secret file $T/hook.secret is readable by everyone" "$LOG")" = 2 ] && ok "restart: warned again" || fail "world-readable warning at restart"
[ "$(n_tls unverified)" = 3 ] && ok "restart: the TLS opt-out is warned about again" || fail "TLS warning at restart" "$(n_tls unverified)"
chmod 640 "$T/hook.secret"

# systemd credentials: a file in $CREDENTIALS_DIRECTORY with the secret
# file's name wins over the file.
mkdir -p "$T/creds"
printf '%s\n' "$CRED_SECRET" >"$T/creds/hook.secret"
chmod 600 "$T/creds/hook.secret"
restart CREDENTIALS_DIRECTORY="$T/creds"
"$NUDGE" followup add "Signed with the credential" --owner hook --account Acme --in 1s >/dev/null
wait_for "$T/http.log" "Signed with the credential" 10 && ok "delivered with \$CREDENTIALS_DIRECTORY set" || fail "delivered with a credential" "$(tail -3 "$LOG")"
$PY - "$T/http.log" "$CRED_SECRET" "$SECRET" >"$T/cred.txt" <<'PY'
import base64, hashlib, hmac, json, sys
def ok(secret, h, body):
    key = base64.b64decode(secret[len("whsec_"):])
    msg = f"{h['webhook-id']}.{h['webhook-timestamp']}.".encode() + body.encode()
    want = base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()
    return any(p == "v1," + want for p in h["webhook-signature"].split())
for l in open(sys.argv[1]):
    r = json.loads(l)
    if "Signed with the credential" in r["body"]:
        print("credential", ok(sys.argv[2], r["headers"], r["body"]), "file", ok(sys.argv[3], r["headers"], r["body"]))
PY
contains "$T/cred.txt" "credential True file False" "the signature uses the credential, not the file"
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null

# LoadCredential's point: the configured file is readable by root only,
# the daemon's user gets the secret through the credential.  nudged must
# accept that configuration (README: "Run it as a service").
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	chmod 711 "$T"
	mkdir -p "$T/svc/creds"
	printf '%s\n' "$SECRET" >"$T/svc/hook.secret"
	chmod 600 "$T/svc/hook.secret"
	cp "$T/svc/hook.secret" "$T/svc/creds/hook.secret"
	chown 65534 "$T/svc/creds/hook.secret"
	cat >"$T/svc/nudge.conf" <<CONF
database = "nudge.db";
runtime_dir = "run";
channels = ( { name = "log"; type = "log"; },
             { name = "hook"; type = "webhook"; url = "$H/ok/svc"; secret_file = "hook.secret"; } );
people = ( { handle = "anna"; notify = [ "hook" ]; } );
CONF
	chmod 755 "$T/svc" "$T/svc/creds"
	chmod 644 "$T/svc/nudge.conf"
	CREDENTIALS_DIRECTORY="$T/svc/creds" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$NUDGED" --check-config -c "$T/svc/nudge.conf" >"$T/out" 2>"$T/err"
	[ $? = 0 ] && ok "nudged as an unprivileged user accepts a secret it gets only as a credential" \
		|| fail "nudged as an unprivileged user accepts a secret it gets only as a credential" "$(cat "$T/err")"
	chmod 700 "$T"
fi

# Secrets in configuration text are refused (and not repeated back).
printf 'channels = ( { name = "hook"; type = "webhook"; url = "%s/x"; secret = "%s"; } );\n' "$H" "$SECRET" >"$T/inline.conf"
expect_status 2 "a secret written in the configuration is refused" -- "$NUDGE" -c "$T/inline.conf" config check
contains "$T/err" "unknown key 'secret'" "as an unknown key"
printf 'channels = ( { name = "mail"; type = "email"; url = "smtp://127.0.0.1:%s"; from = "n@example.com"; username = "nudge"; password = "%s"; tls = "none"; } );\n' "$SP" "$PASSWORD" >"$T/inline2.conf"
expect_status 2 "a password written in the configuration is refused" -- "$NUDGE" -c "$T/inline2.conf" config check
cat "$T/err" >>"$T/errors.txt"
printf 'channels = ( { name = "mail"; type = "email"; url = "smtp://nudge:%s@127.0.0.1:%s"; from = "n@example.com"; tls = "none"; } );\n' "$PASSWORD" "$SP" >"$T/inline3.conf"
expect_status 2 "a password in a URL is refused" -- "$NUDGE" -c "$T/inline3.conf" config check
cat "$T/err" >>"$T/errors.txt"
"$NUDGED" -c "$T/inline3.conf" >>"$T/errors.txt" 2>&1

# Never in the log (with -v), --json output, messages or the database.
"$NUDGE" config check --json >"$T/leak.config.json" 2>&1
"$NUDGE" status --json >"$T/leak.status.json" 2>&1
"$NUDGE" status >"$T/leak.status.txt" 2>&1
"$NUDGE" export --json >"$T/leak.export.json" 2>&1
"$NUDGED" --check-config -c "$T/nudge.conf" >"$T/leak.check.txt" 2>&1
db_dump "$DB" >"$T/leak.dump.sql"
grep -q "delivered follow-up" "$LOG" && [ -s "$T/leak.status.json" ] && [ -s "$T/leak.dump.sql" ] || fail "there is output to search"
key=${SECRET#whsec_}
ckey=${CRED_SECRET#whsec_}
for f in "$LOG" "$T/leak.config.json" "$T/leak.status.json" "$T/leak.status.txt" "$T/leak.export.json" "$T/leak.check.txt" "$T/leak.dump.sql"; do
	if grep -qF -e "$key" -e "$ckey" -e "$PASSWORD" "$f"; then fail "no secret in $(basename "$f")" "$(grep -nF -e "$key" -e "$ckey" -e "$PASSWORD" "$f" | head -2)"
	else ok "no secret in $(basename "$f")"; fi
done
grep -qF "$PASSWORD" "$T/errors.txt" && fail "configuration errors do not repeat a password" "$(grep -F "$PASSWORD" "$T/errors.txt" | head -2)" \
	|| ok "configuration errors do not repeat a password"

san_clean "$LOG"

# nudge report --plot runs gnuplot (reviewed spawn, no shell); its output
# name must not become a command: gnuplot runs "|cmd" through a shell.
if command -v gnuplot >/dev/null; then
	# gnuplot does not wait for the command it starts.  First the control:
	# gnuplot given such a name itself runs it, and the file shows (in
	# $took s); then report --plot gets twice that, and 2 s more, to show it.
	t=$SECONDS
	printf 'set terminal dumb\nset output "|touch %s/control"\nplot x\n' "$T" | gnuplot >/dev/null 2>&1
	wait_until 10 '[ -e "$T/control" ]' && ok "control: gnuplot itself runs an output name '|cmd'" || fail "control: gnuplot runs '|cmd'"
	took=$((SECONDS - t))
	"$NUDGE" report --plot "|touch $T/pwned" >/dev/null 2>&1
	wait_until $((2 * took + 2)) '[ -e "$T/pwned" ]'
	[ ! -e "$T/pwned" ] && ok "report --plot '|cmd' runs no command" || fail "report --plot '|cmd' runs no command" "gnuplot ran it through a shell"
fi
finish
