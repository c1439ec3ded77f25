#!/usr/bin/env bash
# The README's first command and its walk-through, as a user runs them:
# scripts/demo starts a working daemon within seconds, and the commands
# shown for the second terminal make reminders appear in its output.
# Also: make install yields both binaries, the unit and the man pages.
. "$(dirname "$0")/lib.sh"

[ "$BUILD" = build ] || { echo "(README walk-through runs on the default build only)"; finish; exit; }

# The demo's configuration on a free port: 8470 may be taken here.
HPORT=$(free_port)
mkdir -p "$T/demo"
sed "s/127.0.0.1:8470/127.0.0.1:$HPORT/" "$ROOT/etc/demo.conf" >"$T/demo/nudge.conf"
start=$SECONDS
NUDGE_DEMO_DIR="$T/demo" "$ROOT/scripts/demo" >"$T/demo.log" 2>&1 &
PIDS+=($!)
if wait_for "$T/demo.log" "ready" 20; then
	ok "scripts/demo starts a working daemon ($((SECONDS - start))s)"
else
	fail "scripts/demo starts a working daemon" "$(tail -5 "$T/demo.log")"
fi

export NUDGE_CONFIG="$T/demo/nudge.conf" PATH="$ROOT/build:$PATH"
# The README's second-terminal commands, verbatim.
sed -n '/^export NUDGE_CONFIG=\$PWD\/demo/,/^nudge agenda/p' "$ROOT/README.md" \
	| grep '^nudge ' >"$T/readme-commands"
[ "$(wc -l <"$T/readme-commands")" -ge 4 ] && ok "the README shows the walk-through" || fail "README walk-through found"
while read -r line; do
	expect_status 0 "README: $line" -- bash -c "$line"
done <"$T/readme-commands"
wait_for "$T/demo.log" "REMINDER for anna: Say thank you to Acme AB for Roof repair." 10 \
	&& ok "the thank-you reminder arrives" || fail "the thank-you reminder arrives" "$(tail -5 "$T/demo.log")"
# The README's link: its page, then its Done button (a POST), as a
# browser sends them.
link=$(grep -o "Roof repair. Done? http://[^ ]*" "$T/demo.log" | head -1 | sed 's/.* //')
code=$(curl -s -o "$T/page" -w '%{http_code}' "$link")
[ "$code" = 200 ] && grep -q "Mark done" "$T/page" && ok "the thank-you reminder's link opens its page" ||
	fail "the demo's link" "$link: $code"
[ "$(nudge followup show 1 --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = notified ] &&
	ok "... and opening it changed nothing" || fail "GET changed the follow-up"
curl -s -o /dev/null -d action=done -d note=sent "$link"
[ "$(nudge followup show 1 --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" = done ] &&
	ok "its Mark done button marks the follow-up done" || fail "the demo's link marks it done"
wait_for "$T/demo.log" "REMINDER for anna: Call Bo about the photos" 15 \
	&& ok "the follow-up arrives" || fail "the follow-up arrives" "$(tail -5 "$T/demo.log")"
wait_for "$T/demo.log" "REMINDER for anna: Come back to Acme AB with more chocolate" 45 \
	&& ok "the second chocolate arrives" || fail "the second chocolate arrives" "$(tail -5 "$T/demo.log")"
wait_for "$T/demo.log" "REMINDER for anna: Internal target for your promise" 45 \
	&& ok "the promise's internal-target reminder arrives" || fail "the promise target reminder" "$(tail -5 "$T/demo.log")"

# The README's promises walk-through, verbatim, on the same demo.
sed -n '/^## Promises/,/^## Run it/p' "$ROOT/README.md" | sed -n '/^```sh/,/^```/p' | grep '^nudge ' >"$T/readme-promises"
[ "$(wc -l <"$T/readme-promises")" -ge 3 ] && ok "the README shows the promises walk-through" || fail "README promises walk-through found"
: >"$T/promises.out"
while read -r line; do
	expect_status 0 "README: $line" -- bash -c "$line"
	cat "$T/out" >>"$T/promises.out"
done <"$T/readme-promises"
contains "$T/promises.out" 'warning: "you will get" sets an expectation' "the walk-through shows a warning"
contains "$T/promises.out" "why     target" "the walk-through shows the target and why"
contains "$T/promises.out" "OWNER      EARLY ON-TIME" "the walk-through shows the report"

# The README's curl: a token, and a won deal through the API.
sed -n '/^TOKEN=\$(nudge token add/,/^```/p' "$ROOT/README.md" | grep -v '^```' |
	sed "s/127.0.0.1:8470/127.0.0.1:$HPORT/" >"$T/readme-curl"
[ "$(wc -l <"$T/readme-curl")" -ge 3 ] && ok "the README shows a curl that logs a won deal" || fail "README curl found"
bash "$T/readme-curl" >"$T/curl.out" 2>&1
grep -q '"stage":"won"' "$T/curl.out" && [ "$(nudge deal list --won --json | grep -c '"Gutters"')" = 1 ] &&
	ok "README: the curl logs the won deal" || fail "README curl" "$(cat "$T/curl.out")"
wait_for "$T/demo.log" "REMINDER for anna: Say thank you to Birch AB for Gutters." 15 &&
	ok "... and its thank-you reminder arrives" || fail "the API deal's reminder" "$(tail -3 "$T/demo.log")"

dest="$T/stage"
expect_status 0 "make install DESTDIR PREFIX=/usr" -- make -s -C "$ROOT" install DESTDIR="$dest" PREFIX=/usr
for f in usr/bin/nudge usr/sbin/nudged usr/lib/systemd/system/nudged.service \
	usr/share/man/man1/nudge.1 usr/share/man/man5/nudge.conf.5 usr/share/man/man8/nudged.8 \
	etc/nudge/nudge.conf.example usr/lib/sysusers.d/nudge.conf usr/lib/tmpfiles.d/nudge.conf \
	usr/share/bash-completion/completions/nudge usr/share/doc/nudge/examples/nudge-alerts.yml; do
	[ -f "$dest/$f" ] && ok "installs $f" || fail "installs $f"
done
grep -q "ExecStart=/usr/sbin/nudged" "$dest/usr/lib/systemd/system/nudged.service" \
	&& ok "the unit points at the installed daemon" || fail "unit ExecStart"
# In a UTF-8 terminal and in an ASCII one (LANG unset, as on a fresh
# machine), where groff has no glyph for what only UTF-8 shows.
for m in man/nudge.1 man/nudged.8 man/nudge.conf.5; do
	for loc in C.UTF-8 C; do
		out=$(LC_ALL=$loc MANWIDTH=80 man -l "$ROOT/$m" 2>&1 >/dev/null)
		[ -z "$out" ] && ok "man -l $m renders cleanly ($loc)" || fail "man -l $m ($loc)" "$out"
	done
done
"$dest/usr/bin/nudge" --version | grep -q "nudge 0.1.0" && ok "the installed nudge runs" || fail "installed nudge runs"
finish
