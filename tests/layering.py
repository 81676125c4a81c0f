#!/usr/bin/env python3
"""layering.py SRC: the layout's rules, checked over #include lines (TAP).

src/ is a house of rooms, one folder per role, each allowed to include its
own headers and those of the rooms below it (src/README.md draws it):

    main -> cmd -> run -> {report, agent, wire, case} -> lab -> core
                cmd -> vm -> core

(vm/ boots other kernels: it builds a guest's initramfs, runs qemu and
reads the guest's results back; it needs nothing of a case or a lab.)

A module is a .c file and the .h of the same name. The rules:
  1. every quoted include names its folder from src/ ("run/clock.h"), and
     the file exists;
  2. a folder includes only itself and the folders below it (ALLOWED);
  3. no circle of modules, inside a folder too: a module includes only
     modules below it, so a reader can start at the bottom and go up;
  4. a folder's private header (*_int.h) is included from its folder only;
  5. no source file over 500 lines.
"""
import os
import re
import sys

# What each folder may include besides itself. "main" is src/main.c.
ALLOWED = {
    "core": set(),
    "lab": {"core"},
    "case": {"core"},
    "wire": {"core", "lab"},
    "agent": {"core", "lab"},
    "report": {"core"},
    "run": {"core", "lab", "case", "wire", "agent", "report"},
    "vm": {"core"},
    "cmd": {"core", "lab", "case", "wire", "agent", "report", "run", "vm"},
    "main": {"cmd", "core"},
}
MAX_LINES = 500
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

n = 0
failed = 0


def ok(good, what, diag=()):
    global n, failed
    n += 1
    print(("ok" if good else "not ok") + f" {n} - {what}")
    for d in diag:
        print(f"#   {d}")
    if not good:
        failed += 1


def folder_of(rel):
    return rel.split("/")[0] if "/" in rel else "main"


def module_of(rel):
    return os.path.splitext(rel)[0]


def main():
    src = os.path.abspath(sys.argv[1])
    files = []
    for root, _, names in os.walk(src):
        for name in names:
            if name.endswith((".c", ".h")):
                files.append(os.path.relpath(os.path.join(root, name), src))
    files.sort()
    known = set(files)
    edges = {}  # module -> {module: "file:line"}
    unqualified, missing, upward, private, long_files = [], [], [], [], []
    for rel in files:
        with open(os.path.join(src, rel), encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
        if len(lines) > MAX_LINES:
            long_files.append(f"{rel}: {len(lines)} lines")
        here = folder_of(rel)
        for i, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            inc = m.group(1)
            where = f"{rel}:{i}: #include \"{inc}\""
            if "/" not in inc:
                unqualified.append(where)
                continue
            if inc not in known:
                missing.append(where)
                continue
            there = folder_of(inc)
            if there != here and there not in ALLOWED.get(here, set()):
                upward.append(f"{where} ({here} may not include {there})")
            if inc.endswith("_int.h") and there != here:
                private.append(where)
            a, b = module_of(rel), module_of(inc)
            if a != b:
                edges.setdefault(a, {}).setdefault(b, where)
    ok(not unqualified and not missing, "every include names its folder, and the file exists",
       unqualified + missing)
    ok(not upward, "no folder includes one above it or beside it: "
       + " -> ".join(["main", "cmd", "run", "{report, agent, wire, case}", "lab", "core"])
       + "; cmd -> vm -> core", upward)
    ok(not private, "private headers (*_int.h) stay in their folder", private)
    ok(not long_files, f"no source file over {MAX_LINES} lines", long_files)
    cycles = strongly_connected(edges)
    diag = []
    for c in cycles:
        diag.append("circle: " + ", ".join(sorted(c)))
        for a in sorted(c):
            for b, where in sorted(edges.get(a, {}).items()):
                if b in c:
                    diag.append(f"  {where}")
    ok(not cycles, "no circle of modules, inside a folder or across", diag)
    print(f"1..{n}")
    print(f"# {len(files)} files, {len({module_of(f) for f in files})} modules, "
          f"{sum(len(v) for v in edges.values())} include arrows between modules")
    return 1 if failed else 0


def strongly_connected(edges):
    """The circles: Tarjan's strongly connected components of size > 1."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    nodes = set(edges) | {b for v in edges.values() for b in v}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


if __name__ == "__main__":
    sys.exit(main())
