# Shared helpers for the integration tests: each test file sources this,
# runs the real binaries in its own temporary directory, and reports with
# ok/fail.  Readiness is waited for with a timeout, never a bare sleep.

BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NUDGE="$ROOT/$BUILD/nudge"
NUDGED="$ROOT/$BUILD/nudged"
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
fail() { FAILED=$((FAILED + 1)); printf '  FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '       %s\n' "$2"; }

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

# wait_for FILE TEXT SECONDS: poll until TEXT appears in FILE.
wait_for() {
	local deadline=$((SECONDS + $3))
	while [ $SECONDS -le $deadline ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# db_dump DB: a canonical text dump to compare before/after.
db_dump() { sqlite3 "$1" .dump 2>/dev/null; }

finish() {
	printf '%s: %d passed, %d failed\n' "$(basename "$0" .sh)" "$PASSED" "$FAILED"
	echo "$PASSED $FAILED" >"${RESULT_FILE:-/dev/null}"
	[ "$FAILED" -eq 0 ]
}
