#!/usr/bin/python3
"""Scan C sources for what nudge promises never to do (issue 6, item 7).

  sql-printf   SQL built with printf-style formatting: sqlite3_mprintf and
               its kin, or a string literal that reads as SQL and holds a
               conversion such as %s or %lld (every statement is prepared
               with ?N parameters instead)
  shell        a command line handed to a shell: system(), popen(),
               wordexp(), a "/bin/sh" or "sh -c" literal
  spawn        running another program at all: the exec family,
               posix_spawn, fork; each such place must be reviewed and
               allowed by name with --allow FILE:FUNCTION

Usage: scan_sources.py [--allow FILE:FUNCTION]... PATH...  (files, or
directories scanned for *.c and *.h).  Prints FILE:LINE: RULE: what, one
finding a line; exits 1 when there is any, 0 when there is none.  Comments
are ignored; adjacent string literals are joined first, as the compiler
joins them.
"""
import os
import re
import sys

SQL_PRINTF_CALLS = {"sqlite3_mprintf", "sqlite3_vmprintf", "sqlite3_snprintf",
                    "sqlite3_vsnprintf", "sqlite3_str_appendf",
                    "sqlite3_str_vappendf"}
SHELL_CALLS = {"system", "popen", "wordexp"}
SPAWN_CALLS = {"execl", "execlp", "execle", "execv", "execve", "execvp",
               "execvpe", "execveat", "fexecve", "posix_spawn",
               "posix_spawnp", "fork", "vfork", "clone", "clone3"}
SQL = re.compile(r"""\b(
      select\b.*\bfrom\b | insert\s+(or\s+\w+\s+)?into\b | replace\s+into\b
    | update\s+\w+\s+set\b | delete\s+from\b | upsert\b
    | create\s+(temp\w*\s+|unique\s+)?(table|index|view|trigger)\b
    | drop\s+(table|index|view|trigger)\b | alter\s+table\b
    | pragma\s+\w+ | attach\s+database\b
    | \bwhere\b.*(=|<|>|\blike\b|\bin\b)
    )""", re.I | re.X | re.S)
CONVERSION = re.compile(
    r"%[-+ #0']*(\d+|\*)?(\.(\d+|\*))?(hh|h|ll|l|j|z|t|L|q)?[diouxXeEfFgGcspqQwz]")
TOKEN = re.compile(r"""
      (?P<comment>/\*.*?\*/|//[^\n]*)
    | (?P<string>"(\\.|[^"\\\n])*")
    | (?P<char>'(\\.|[^'\\\n])+')
    | (?P<ident>[A-Za-z_]\w*)
    | (?P<space>\s+)
    | (?P<other>.)
    """, re.S | re.X)


def tokens(text):
    """(kind, value, line) without comments and blanks."""
    line = 1
    for m in TOKEN.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind not in ("comment", "space"):
            yield kind, value, line
        line += value.count("\n")


def unquote(lit):
    return lit[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t")


def scan(path, allowed=()):
    with open(path, encoding="utf-8", errors="replace") as f:
        toks = list(tokens(f.read()))
    found = []
    i = 0
    while i < len(toks):
        kind, value, line = toks[i]
        nxt = toks[i + 1][1] if i + 1 < len(toks) else ""
        prev = toks[i - 1][1] if i > 0 else ""
        member = prev == "." or (prev == ">" and toks[i - 2][1] == "-")
        if kind == "ident" and nxt == "(" and not member:
            if value in SQL_PRINTF_CALLS:
                found.append((line, "sql-printf", f"{value}() formats SQL"))
            elif value in SHELL_CALLS:
                found.append((line, "shell", f"{value}() runs a shell"))
            elif value in SPAWN_CALLS and value not in allowed:
                found.append((line, "spawn", f"{value}() runs a program "
                              "(review it, then --allow it)"))
        elif kind == "string":
            # Join adjacent literals: "SELECT ... " "WHERE x = %s".
            parts, first = [], line
            while i < len(toks) and toks[i][0] == "string":
                parts.append(unquote(toks[i][1]))
                i += 1
            s = "".join(parts)
            if SQL.search(s) and CONVERSION.search(s):
                found.append((first, "sql-printf",
                              "SQL text with a printf conversion: " +
                              repr(s[:70])))
            if re.search(r"(^|[\s\"'])/bin/(ba|da)?sh\b|^(ba|da)?sh$|\bsh -c\b", s):
                found.append((first, "shell", "names a shell: " + repr(s[:70])))
            continue
        i += 1
    return found


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for d, _, names in sorted(os.walk(p)):
                for n in sorted(names):
                    if n.endswith((".c", ".h")):
                        yield os.path.join(d, n)
        else:
            yield p


def main(argv):
    allow, paths = {}, []
    args = iter(argv[1:])
    for a in args:
        if a == "--allow":
            f, _, func = next(args, "").rpartition(":")
            allow.setdefault(os.path.normpath(f), set()).add(func)
        else:
            paths.append(a)
    if not paths:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    n = bad = 0
    for path in files(paths):
        n += 1
        for line, rule, what in scan(path, allow.get(os.path.normpath(path), ())):
            bad += 1
            print(f"{path}:{line}: {rule}: {what}")
    print(f"scanned {n} files: {bad} finding(s)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
