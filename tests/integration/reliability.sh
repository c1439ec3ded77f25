# What the reliability suites (test_crash.sh, test_faults.sh,
# test_concurrency.sh, test_security.sh; docs/RELIABILITY.md) and other
# suites with signed webhooks share beyond lib.sh (which starts the
# receivers): a signing secret, a channel's secret file, the sanitizer
# check of nudged's log.  Sourced after lib.sh.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# new_secret: a Standard Webhooks signing secret.
new_secret() { printf 'whsec_%s' "$(head -c 24 /dev/urandom | base64)"; }

# make_hook_secret: a new signing secret in SECRET and in $T/hook.secret
# (mode 600), the file the tests' webhook channels name.
make_hook_secret() {
	SECRET=$(new_secret)
	printf '%s\n' "$SECRET" >"$T/hook.secret"
	chmod 600 "$T/hook.secret"
}

# san_clean LOG...: under ASan/UBSan a report in a daemon's log is a
# failure like any other (the CLI's show in its exit status).
san_clean() {
	if grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$@" >/dev/null 2>&1; then
		fail "no sanitizer report in nudged's log" "$(grep -hE -A3 'Sanitizer|runtime error:' "$@" | head -8)"
	else
		ok "no sanitizer report in nudged's log"
	fi
}
