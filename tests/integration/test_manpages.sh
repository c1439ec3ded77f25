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

# Commands and "group sub" pairs from the usage strings of cli/main.c.
table=$(sed -n '/cli_commands\[\] = {/,/^};/p' "$ROOT/cli/main.c")
cmds=$(echo "$table" | grep -oE '^[[:space:]]*\{ "[a-z-]+"' | grep -oE '[a-z-]+')
subs=()
for c in $cmds; do
	while read -r s; do subs+=("$c $s"); done < <(echo "$table" | grep -oE "\b$c [a-z]+(\|[a-z]+)*" | sed "s/^$c //" | tr '|' '\n' | sort -u)
done
[ ${#subs[@]} -ge 20 ] && ok "found the command table" || fail "command table" "${subs[*]}"
check "every command is in nudge(1)" "$T/nudge.1.txt" $cmds
out=""
for s in "${subs[@]}"; do
	g=${s%% *} w=${s#* }
	# "deal won|lost ID" is written "deal won|lost" in the page: the sub
	# word must follow its group on some line.
	grep -qE "\b$g ([a-z]+\|)*$w\b" "$T/nudge.1.txt" || out="$out [$s]"
done
[ -z "$out" ] && ok "every sub-command is in nudge(1) (${#subs[@]})" || fail "sub-commands missing from nudge(1)" "$out"

opts=$(cat "$ROOT"/cli/*.c | grep -oE '\{ "[a-z-]+", (no|required|optional)_argument' | grep -oE '"[a-z-]+"' | tr -d '"' | sort -u | sed 's/^/--/')
check "every nudge long option is in nudge(1)" "$T/nudge.1.txt" $opts
dopts=$(grep -oE '\{ "[a-z-]+", (no|required|optional)_argument' "$ROOT/daemon/main.c" | grep -oE '"[a-z-]+"' | tr -d '"' | sed 's/^/--/')
check "every nudged option is in nudged(8)" "$T/nudged.8.txt" $dopts

# The check itself can fail: a page without "weekly_summary" is caught.
grep -v weekly_summary "$T/nudge.conf.5.txt" >"$T/cut.txt"
[ "$(missing "$T/cut.txt" $keys)" = weekly_summary ] && ok "a key left out of the page is caught" || fail "the check catches a missing key"
finish
