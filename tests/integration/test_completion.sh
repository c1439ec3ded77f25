#!/usr/bin/env bash
# Bash completion knows every command, sub-command and long option of
# nudge (taken from the code, so a new one that is not completable fails).
. "$(dirname "$0")/lib.sh"
COMP="$ROOT/etc/completion/nudge.bash"

# complete WORDS...: what completion offers for the last word.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nudge; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$@"
}
complete_words nudge "" >"$T/top"
table=$(sed -n '/cli_commands\[\] = {/,/^};/p' "$ROOT/cli/main.c")
cmds=$(echo "$table" | grep -oE '^[[:space:]]*\{ "[a-z-]+"' | grep -oE '[a-z-]+')
out=""; for c in $cmds; do grep -qx -- "$c" "$T/top" || out="$out $c"; done
[ -z "$out" ] && ok "every command completes" || fail "commands missing from completion" "$out"
out=""
for c in $cmds; do
	for s in $(echo "$table" | grep -oE "\b$c [a-z][a-z-]*(\|[a-z][a-z-]*)*" | sed "s/^$c //" | tr '|' '\n' | sort -u); do
		complete_words nudge "$c" "" | grep -qx -- "$s" || out="$out [$c $s]"
	done
done
[ -z "$out" ] && ok "every sub-command completes" || fail "sub-commands missing from completion" "$out"
# Every long option in the CLI sources is offered somewhere.
all=$(for c in $cmds; do complete_words nudge "$c" "--"; for s in add won lost show list kept broken cancel renegotiate done snooze check retry dismiss make rotate-key; do complete_words nudge "$c" "$s" "--"; done; done; complete_words nudge "-")
out=""
for o in $(cat "$ROOT"/cli/*.c | grep -oE '\{ "[a-z-]+", (no|required|optional)_argument' | grep -oE '"[a-z-]+"' | tr -d '"' | sort -u); do
	echo "$all" | grep -qx -- "--$o" || out="$out --$o"
done
[ -z "$out" ] && ok "every long option completes" || fail "options missing from completion" "$out"
complete_words nudge promise add --ow >"$T/c"
[ "$(cat "$T/c")" = "--owner" ] && ok "options complete per sub-command" || fail "promise add --ow" "$(cat "$T/c")"
complete_words nudge report --format "" >"$T/c"
[ "$(tr '\n' ' ' <"$T/c")" = "text csv json " ] && ok "--format completes its values" || fail "--format values" "$(cat "$T/c")"
finish
