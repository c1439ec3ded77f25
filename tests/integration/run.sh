#!/usr/bin/env bash
# Run every tests/integration/test_*.sh (or those named in $INTEGRATION_TESTS)
# against $BUILD's binaries and print the totals.
set -u
cd "$(dirname "$0")"
passed=0 failed=0 status=0
for t in ${INTEGRATION_TESTS:-test_*.sh}; do
	echo "== $t"
	res=$(mktemp)
	RESULT_FILE=$res bash "$t" || status=1
	read -r p f <"$res" || { p=0; f=1; }
	passed=$((passed + p)); failed=$((failed + f))
	rm -f "$res"
done
echo "integration: $passed passed, $failed failed"
exit $status
