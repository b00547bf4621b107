#!/usr/bin/env python3
"""Instructions per request by function: the difference of two callgrind
profiles of the same process kind (a short and a long run) divided by the
difference in requests, so every start-up cost cancels out.

    callgrind_diff.py SHORT.cg LONG.cg REQUESTS yes|no TOP

yes: inclusive (a function and what it calls), no: exclusive (its own code).
"""
import re
import subprocess
import sys

LINE = re.compile(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)$")


def by_function(path, inclusive):
    out = subprocess.run(
        ["callgrind_annotate", "--inclusive=" + inclusive, "--threshold=100", path],
        capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        # "file:function [object]" -> "function [object's file name]"
        name = m.group(2)
        obj = re.search(r"\[([^\]]*)\]$", name)
        name = re.sub(r"\s*\[[^\]]*\]$", "", name)
        name = re.sub(r"^[^:]*:(?!:)", "", name, count=1) if not name.startswith("???:") else name[4:]
        if obj:
            name += "  [" + obj.group(1).rsplit("/", 1)[-1] + "]"
        table[name] = table.get(name, 0) + int(m.group(1).replace(",", ""))
    return table


def main():
    short, long_, requests, inclusive, top = sys.argv[1:6]
    a, b = by_function(short, inclusive), by_function(long_, inclusive)
    per_request = {k: (v - a.get(k, 0)) / int(requests) for k, v in b.items()}
    for name, ir in sorted(per_request.items(), key=lambda kv: -kv[1])[: int(top)]:
        print(f"{ir:10.0f}  {name[:160]}")


main()
