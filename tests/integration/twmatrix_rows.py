#!/usr/bin/env python3
"""twmatrix_rows.py JSON: the TIME_WAIT matrix's cells as rows, one per
segment kind x position, each column 'ts/rfc1337=outcome' in the table's
order; a row per family. What twmatrix.expected pins, and what a re-run
is compared with (reply_segment left out: its TS vals are the clock's)."""
import json
import sys

cells = json.load(open(sys.argv[1]))["cells"]
rows = {}
for c in cells:
    key = (c["family"], c["kind"], c["position"])
    rows.setdefault(key, []).append("%s/%d=%s" % (c["ts"], c["rfc1337"], c["outcome"]))
for key, cols in rows.items():
    print("%s %s %s | %s" % (key[0], key[1], key[2], " | ".join(cols)))
