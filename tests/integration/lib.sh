# Shared helpers for the integration tests: each test file sources this,
# runs the real binaries in its own temporary directory, and reports with
# ok/fail.  Readiness is waited for with a timeout, never a bare sleep.

BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NUDGE="$ROOT/$BUILD/nudge"
NUDGED="$ROOT/$BUILD/nudged"
# The catalogs of the pages' and messages' languages, as built
# (lib/words.h); an installed nudge reads them from $(datadir)/locale.
export NUDGE_LOCALEDIR="$ROOT/$BUILD/locale"
# Debian's python3, which has the packages the receivers and the
# independent parsers import; a curl that gives up rather than hang.
PY=/usr/bin/python3
CURL=(curl -s --max-time 10)
T=$(mktemp -d /tmp/nudge-it.XXXXXX)
PASSED=0
FAILED=0
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

ok()   { PASSED=$((PASSED + 1)); printf '  ok   %s\n' "$1"; }
# fail returns 0 whether or not it has a detail: in "grep -q X && fail
# NAME || ok NAME" the ok must not follow the FAIL (and count a pass too).
fail() { FAILED=$((FAILED + 1)); printf '  FAIL %s\n' "$1"; [ -z "${2:-}" ] || printf '       %s\n' "$2"; }

# expect_status WANT NAME -- CMD...: run CMD, compare its exit status.
expect_status() {
	local want=$1 name=$2 got; shift 3
	"$@" >"$T/out" 2>"$T/err"; got=$?
	if [ "$got" = "$want" ]; then ok "$name"
	else fail "$name" "exit $got, wanted $want; stderr: $(head -c 400 "$T/err")"; fi
}

# contains FILE TEXT NAME
contains() {
	if grep -qF -- "$2" "$1"; then ok "$3"
	else fail "$3" "'$2' not in $1: $(head -c 400 "$1")"; fi
}

# wait_until SECONDS CONDITION: evaluate CONDITION (one string of shell,
# evaluated afresh each time) every 50 ms until it holds; 1 when it still
# does not after SECONDS.  Deadlines are generous (the machine may be
# busy); success returns at once.  A test never sleeps and then asserts:
# it waits for what it asserts.
wait_until() {
	local _wu_deadline=$((SECONDS + $1))
	shift
	until eval "$*"; do
		[ $SECONDS -le $_wu_deadline ] || return 1
		sleep 0.05
	done
}

# start_receiver http|smtp NAME [ARGS...]: recv_http.py or recv_smtp.py
# in the background on an ephemeral 127.0.0.1 port, its port in
# $T/NAME.port and in PORT, its log in $T/NAME.log, killed at exit; 1 when
# it has no port within 10 s.
start_receiver() {
	local _sr_kind=$1 _sr_name=$2
	shift 2
	"$PY" "$ROOT/tests/integration/recv_$_sr_kind.py" \
		--port-file "$T/$_sr_name.port" --log "$T/$_sr_name.log" "$@" &
	PIDS+=($!)
	wait_until 10 "[ -s \"\$T/$_sr_name.port\" ]"
	PORT=$(cat "$T/$_sr_name.port" 2>/dev/null)
	[ -n "$PORT" ]
}

# free_port: a loopback TCP port free a moment ago (for a listener).
free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for FILE TEXT SECONDS: poll until TEXT appears in FILE.
wait_for() {
	local _wf_file=$1 _wf_text=$2
	wait_until "$3" 'grep -qF -- "$_wf_text" "$_wf_file" 2>/dev/null'
}

# count FILE TEXT: how many lines of FILE hold TEXT (0 when it is missing).
count() { local n; n=$(grep -cF -- "$2" "$1" 2>/dev/null); echo "${n:-0}"; }

# wait_count FILE TEXT N SECONDS: poll until N or more lines of FILE hold
# TEXT; for a log appended to across restarts, where TEXT is there from
# before ("ready" of the previous start).
wait_count() {
	local _wc_file=$1 _wc_text=$2 _wc_n=$3
	wait_until "$4" '[ "$(count "$_wc_file" "$_wc_text")" -ge "$_wc_n" ]'
}

# wait_state OWNER "STATE ATTEMPTS" SECONDS: poll the test's own state()
# (the outbox row of OWNER's follow-up) until it says STATE ATTEMPTS.
wait_state() {
	local _ws_owner=$1 _ws_want=$2
	wait_until "$3" '[ "$(state "$_ws_owner")" = "$_ws_want" ]'
}

# make_conf [LINE...]: $T/nudge.conf with what every test has (the
# database nudge.db, the runtime directory run, which it makes), each
# LINE, then the settings read from stdin; NUDGE_CONFIG names it, DB is
# the database's path.
make_conf() {
	mkdir -p "$T/run"
	{
		printf '%s\n' 'database = "nudge.db";' 'runtime_dir = "run";' "$@"
		cat
	} >"$T/nudge.conf"
	export NUDGE_CONFIG="$T/nudge.conf"
	DB="$T/nudge.db"
}

# make_log_conf ZONE: make_conf for a test whose reminders go to the log
# channel only, in the time zone ZONE.
make_log_conf() {
	make_conf "timezone = \"$1\";" 'channels = ( { name = "log"; type = "log"; } );'
}

# start_mail_links: an SMTP receiver ($T/smtp.log) and a free port for
# nudged's listener (HPORT); MAIL_CHANNEL and HTTP_CONF are their pieces
# of nudge.conf (a channel "mail", an http group with links for a day).
start_mail_links() {
	start_receiver smtp smtp || { fail "the SMTP receiver starts"; return 1; }
	HPORT=$(free_port)
	MAIL_CHANNEL="{ name = \"mail\"; type = \"email\"; url = \"smtp://127.0.0.1:$(cat "$T/smtp.port")\"; from = \"nudge@example.com\"; tls = \"none\"; }"
	HTTP_CONF="http = { listen = \"127.0.0.1:$HPORT\"; link_ttl = \"1d\"; };"
}

# start_nudged [-l NAME] [ARG...]: nudged on $T/nudge.conf (a -c among
# the ARGs names another) in the background (DPID), its output in LOG,
# $T/NAME when given, else $T/nudged.log; 0 once it is ready, else a
# failure counted and 1.
start_nudged() {
	LOG="$T/nudged.log"
	if [ "${1:-}" = -l ]; then LOG="$T/$2"; shift 2; fi
	"$NUDGED" -c "$T/nudge.conf" "$@" >"$LOG" 2>&1 &
	DPID=$!
	PIDS+=("$DPID")
	wait_for "$LOG" "ready" 10 || { fail "nudged starts" "$(cat "$LOG")"; return 1; }
}

# nudge_options: "CMD [SUB]|--opt --opt ..." for every command and
# sub-command, read off `nudge help CMD`, whose usage lines are made from
# the option tables (cli/help.c): the one list README.md, nudge(1) and the
# bash completion are held to.
nudge_options() {
	local c
	for c in $("$NUDGE" help | sed -n '/^commands:/,/^$/p' | grep -oE '^    [a-z-]+'); do
		"$NUDGE" help "$c" | sed -nE 's/^(usage|   or): nudge //p' |
			while read -r line; do
				set -- $line
				name=$1
				[[ ${2:-} =~ ^[a-z][a-z-]*$ ]] && name="$1 $2"
				echo "$name|$(grep -oE -- '--[a-z-]+' <<<"$line" | tr '\n' ' ')"
			done
	done
}

# db_dump DB: a canonical text dump to compare before/after.  Of the
# daemon's own row only the database's identity: its pid, cursor and
# heartbeat move while nudged runs, and what a refused request must not
# change is the data.
db_dump() {
	sqlite3 "$1" .dump 2>/dev/null | grep -v '^INSERT INTO daemon '
	[ ! -e "$1" ] || sqlite3 "$1" 'SELECT database_id FROM daemon' 2>/dev/null
}

finish() {
	printf '%s: %d passed, %d failed\n' "$(basename "$0" .sh)" "$PASSED" "$FAILED"
	echo "$PASSED $FAILED" >"${RESULT_FILE:-/dev/null}"
	[ "$FAILED" -eq 0 ]
}
