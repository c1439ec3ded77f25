#!/usr/bin/env bash
# The shape issue 19 gave the code, kept: lib/ owns every transaction and
# every SQLite call (cli/ and daemon/ call lib/), and no function outside
# a table is over 80 lines.  Each check is first shown to find what it
# looks for.
. "$(dirname "$0")/lib.sh"

LEN="$ROOT/tests/integration/function_lengths.py"

# The length check finds a long function, and not a long table.
mkdir -p "$T/planted"
{
	printf 'static int\nlong_one(void)\n{\n'
	for i in $(seq 81); do printf '\tx += %d;\n' "$i"; done
	printf '}\n\nstatic const int table[] = {\n'
	for i in $(seq 120); do printf '\t%d,\n' "$i"; done
	printf '};\n\nint\nshort_one(int a)\n{\n\treturn a;\n}\n'
} >"$T/planted/long.c"
"$PY" "$LEN" "$T/planted/long.c" >"$T/len.out"
[ $? = 1 ] && [ "$(cat "$T/len.out")" = "$T/planted/long.c:3: long_one: 81 lines" ] &&
	ok "the length check finds an 81-line function, and not a 120-line table" ||
	fail "the length check on planted code" "$(cat "$T/len.out")"
if (cd "$ROOT" && "$PY" "$LEN" lib cli daemon) >"$T/len.out"; then
	ok "lib/ cli/ daemon/: no function over 80 lines"
else
	fail "functions over 80 lines" "$(cat "$T/len.out")"
fi

# Transactions and SQLite calls: in lib/ (the pattern finds them there),
# in neither front end.
pattern='store_begin\|store_commit\|sqlite3_'
[ "$(cd "$ROOT" && grep -l "$pattern" lib/*.c | wc -l)" -gt 5 ] &&
	ok "lib/ begins and commits the transactions and calls SQLite" || fail "the pattern finds lib/'s calls"
if (cd "$ROOT" && grep -n "$pattern" cli/* daemon/*) >"$T/grep.out"; then
	fail "cli/ or daemon/ begins a transaction or calls SQLite" "$(head -5 "$T/grep.out")"
else
	ok "cli/ and daemon/ neither begin a transaction nor call SQLite"
fi
finish
