#!/usr/bin/python3
"""Functions longer than a limit in C files (issue 19: no function over
about 80 lines outside a table).  A function is what the code's style
writes: its name at the start of a line, the opening brace alone in
column 0 and the closing brace alone in column 0; tables (`= {`) are not
functions.  Prints FILE:LINE: NAME: N lines, one a line; exits 1 when
there is any, 0 when there is none.

usage: function_lengths.py [--max N] PATH...  (files, or directories
scanned for *.c)
"""
import os
import re
import sys


def functions(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    start = name = None
    for i, line in enumerate(lines):
        if line == "{":
            start = i
            j = i - 1
            while j > 0 and "(" not in lines[j]:
                j -= 1
            m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(", lines[j])
            name = m.group(1) if m else lines[j].strip()
        elif line == "}" and start is not None:
            yield name, start + 1, i - start - 1
            start = None


def main(argv):
    limit = 80
    if len(argv) > 2 and argv[1] == "--max":
        limit = int(argv[2])
        argv = argv[2:]
    files = []
    for p in argv[1:]:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p)
                            if f.endswith(".c"))
        else:
            files.append(p)
    found = 0
    for f in files:
        for name, line, n in functions(f):
            if n > limit:
                print(f"{f}:{line}: {name}: {n} lines")
                found += 1
    return 1 if found else 0


sys.exit(main(sys.argv))
