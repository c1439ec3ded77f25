#!/usr/bin/env bash
# Bash completion offers, for every command and sub-command, exactly the
# options of its table (lib.sh nudge_options, from `nudge help`), plus
# --json and --help; every command, sub-command and global option too.
. "$(dirname "$0")/lib.sh"
COMP="$ROOT/etc/completion/nudge.bash"

# complete WORDS...: what completion offers for the last word.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nudge; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$@"
}
complete_words nudge "" >"$T/top"
nudge_options >"$T/opts"
cmds=$(cut -d'|' -f1 "$T/opts" | cut -d' ' -f1 | sort -u)
out=""; for c in $cmds; do grep -qx -- "$c" "$T/top" || out="$out $c"; done
[ -z "$out" ] && ok "every command completes ($(echo $cmds | wc -w))" || fail "commands missing from completion" "$out"
out=""
while IFS='|' read -r name opts; do
	read -r c s <<<"$name"
	if [ -n "$s" ]; then
		complete_words nudge "$c" "" | grep -qx -- "$s" || out="$out [$c $s]"
		got=$(complete_words nudge "$c" "$s" "--" | sort | tr '\n' ' ')
	else
		got=$(complete_words nudge "$c" "--" | sort | tr '\n' ' ')
	fi
	want=$(printf '%s\n' $opts --json --help | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || out="$out [$name: offers '$got', takes '$want']"
done <"$T/opts"
[ -z "$out" ] && ok "each sub-command completes exactly its options ($(wc -l <"$T/opts"))" || fail "completion out of step with the option tables" "$out"
gopts=$("$NUDGE" help | sed -n '/^options:/,/^$/p' | grep -oE -- '(^| )--?[a-zA-Z-]+' | tr -d ' ')
complete_words nudge "-" >"$T/global"
out=""; for o in $gopts; do grep -qx -- "$o" "$T/global" || out="$out $o"; done
[ -z "$out" ] && ok "every global option completes" || fail "global options missing from completion" "$out"
complete_words nudge promise add --ow >"$T/c"
[ "$(cat "$T/c")" = "--owner" ] && ok "options complete per sub-command" || fail "promise add --ow" "$(cat "$T/c")"
complete_words nudge report --format "" >"$T/c"
[ "$(tr '\n' ' ' <"$T/c")" = "text csv json " ] && ok "--format completes its values" || fail "--format values" "$(cat "$T/c")"
# A kind's FILE completes as a file name after import only: export's
# --tokens is a flag, followed by more options.
touch "$T/tokens.csv"
(cd "$T" && complete_words nudge import --tokens "") >"$T/c"
grep -qx "tokens.csv" "$T/c" && ok "import --tokens completes a file name" || fail "import --tokens FILE" "$(cat "$T/c")"
(cd "$T" && complete_words nudge export --tokens "") >"$T/c"
if grep -qx "tokens.csv" "$T/c"; then fail "export --tokens offers file names" "$(cat "$T/c")"; else ok "export --tokens offers no file names"; fi
grep -qx -- "--output-dir" "$T/c" && ok "export --tokens completes the options after it" || fail "export --tokens options" "$(cat "$T/c")"
finish
