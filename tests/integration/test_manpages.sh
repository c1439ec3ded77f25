#!/usr/bin/env bash
# The man pages match the code: every config key in lib/config.c's key
# tables, every rule event and template variable is in nudge.conf(5);
# every command, sub-command and long option of nudge is in nudge(1); every
# option of nudged is in nudged(8).  A name in the code but not in its page
# fails the test.
. "$(dirname "$0")/lib.sh"

render() { MANWIDTH=200 man -l "$ROOT/man/$1" 2>"$T/warn" | col -b; }
render nudge.1 >"$T/nudge.1.txt"
render nudge.conf.5 >"$T/nudge.conf.5.txt"
render nudged.8 >"$T/nudged.8.txt"

# missing TEXTFILE WORD...: print the words the page lacks (as whole words).
missing() {
	local page=$1 w; shift
	for w in "$@"; do grep -qF -- "$w" "$page" || echo "$w"; done
}
# check NAME PAGE WORD...
check() {
	local name=$1 page=$2 out; shift 2
	out=$(missing "$page" "$@")
	[ -z "$out" ] && ok "$name ($# names)" || fail "$name" "missing: $(echo $out)"
}

keys=$(grep -oE '^[[:space:]]*\{ "[a-z_]+", CONFIG_TYPE_' "$ROOT/lib/config.c" | grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)
[ "$(echo "$keys" | wc -l)" -ge 40 ] && ok "found the config key tables" || fail "config keys" "$keys"
check "every config key is in nudge.conf(5)" "$T/nudge.conf.5.txt" $keys

events=$(sed -n '/config_rule_events\[\] = {/,/};/p' "$ROOT/lib/config.c" | grep -oE '"[a-z.]+"' | tr -d '"')
check "every rule event is in nudge.conf(5)" "$T/nudge.conf.5.txt" $events

vars=$(sed -n '/template_rule_variables\[\] = {/,/};/p' "$ROOT/lib/template.c" | grep -oE '"[a-z_]+"' | tr -d '"' | sed 's/.*/{{&}}/')
check "every template variable is in nudge.conf(5)" "$T/nudge.conf.5.txt" $vars

# Every command, sub-command and option, from nudge's option tables (lib.sh
# nudge_options), in nudge(1) and in README.md's "Using it": each option on
# the line of its sub-command ("deal won|lost ID [--at WHEN]" names both).
nudge_options >"$T/opts"
[ "$(wc -l <"$T/opts")" -ge 25 ] && ok "read the option tables from nudge help" || fail "nudge help" "$(cat "$T/opts")"
# in_step FILE: print what FILE lacks, as [command option].
in_step() {
	local file=$1 name opts cmd sub pat opt
	while IFS='|' read -r name opts; do
		cmd=${name%% *} sub=${name#"$cmd"} sub=${sub# }
		if [ -n "$sub" ]; then pat="\b$cmd ([a-z]+\|)*$sub\b"
		else pat="(^|[^a-z-])$cmd\b"; fi
		grep -qE -- "$pat" "$file" || { echo "[$name]"; continue; }
		for opt in $opts; do
			grep -qE -- "$pat.*$opt\b" "$file" || echo "[$name $opt]"
		done
	done <"$T/opts"
}
out=$(in_step "$T/nudge.1.txt")
[ -z "$out" ] && ok "every command, sub-command and option is in nudge(1)" || fail "missing from nudge(1)" "$(echo $out)"
sed -n '/^## Using it/,/^## /p' "$ROOT/README.md" >"$T/readme.txt"
out=$(in_step "$T/readme.txt")
[ -z "$out" ] && ok "every command, sub-command and option is in README.md" || fail "missing from README.md's Using it" "$(echo $out)"
# The check can fail: the page without --force is caught.
sed 's/--force//g' "$T/nudge.1.txt" >"$T/cut.1.txt"
in_step "$T/cut.1.txt" | grep -qF "[promise add --force]" && ok "an option left out of the page is caught" || fail "the check catches a missing option"
gopts=$("$NUDGE" help | sed -n '/^options:/,/^$/p' | grep -oE -- '--[a-z-]+')
check "every global option is in nudge(1)" "$T/nudge.1.txt" $gopts

dopts=$(grep -oE '\{ "[a-z-]+", (no|required|optional)_argument' "$ROOT/daemon/main.c" | grep -oE '"[a-z-]+"' | tr -d '"' | sed 's/^/--/')
check "every nudged option is in nudged(8)" "$T/nudged.8.txt" $dopts

# The check itself can fail: a page without "weekly_summary" is caught.
grep -v weekly_summary "$T/nudge.conf.5.txt" >"$T/cut.txt"
[ "$(missing "$T/cut.txt" $keys)" = weekly_summary ] && ok "a key left out of the page is caught" || fail "the check catches a missing key"
finish
