#!/usr/bin/env python3
"""report_agree.py - do the TAP, JUnit and JSON reports of one run agree?

Usage: report_agree.py TAP_FILE JUNIT_FILE JSON_FILE

The three come from the same `tcprig run` (TAP on stdout with --tap, the
others from --junit FILE and --json FILE). Cases are compared in order, the
order all three report them in; each must name the same case and give it the
same verdict:

  verdict        TAP (tcprig run --tap)               JUnit                          JSON
  PASS           ok N - PATH (T s)                    no failure/error/skipped       "PASS"
  FAIL           not ok N - PATH (T s)                <failure type="FAIL">          "FAIL"
  SKIP           ok N - PATH # SKIP reason            <skipped>                      "SKIP"
  INCONCLUSIVE   ok N - PATH # SKIP inconclusive: ..  <failure type="INCONCLUSIVE">  "INCONCLUSIVE"
  ERROR          not ok N - PATH ...                  <error>                        "ERROR"

TAP has no word for a case that could not run: a `not ok` agrees with FAIL or
ERROR, unless its first diagnostic line says "could not run", which only
ERROR agrees with. A case's name is its path, with " [config]" for a matrix
cell (JUnit's testcase name; JSON's path and config; TAP's description may be
either). Each report's own counts (TAP plan, JUnit's tests/failures/errors/
skipped, JSON's summary) must match its cases too.

Exit: 0 all agree, 1 they do not (each difference on stderr), 2 a file is
missing or is not what it should be. Python 3 standard library only.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

VERDICTS = ("PASS", "FAIL", "SKIP", "INCONCLUSIVE", "ERROR")
NOT_OK = "not ok"  # TAP's FAIL-or-ERROR

TAP_LINE = re.compile(r"^(not ok|ok)\b(?:\s+(\d+))?(?:\s*-)?\s*(.*)$")
TAP_DIRECTIVE = re.compile(r"\s#\s*(SKIP|TODO)\b:?\s*(.*)$", re.IGNORECASE)
# "(0.12 s)", "(0.12 s, outcome ack)"
TAP_TIME = re.compile(r"\s*\(\d+(?:\.\d+)?\s*s(?:,[^()]*)?\)\s*$")
TAP_PLAN = re.compile(r"^1\.\.(\d+)")


class BadInput(Exception):
    pass


def read_tap(path):
    """[(name, verdict, how)]: verdict one of VERDICTS or NOT_OK."""
    cases, plan, problems = [], None, []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise BadInput(f"{path}: {e.strerror}")
    for line in lines:
        m = TAP_PLAN.match(line)
        if m:
            plan = int(m.group(1))
            continue
        if line.startswith("#") and cases and cases[-1][3] is None:
            # The first diagnostic after a test line.
            name, verdict, how, _ = cases[-1]
            diag = line[1:].strip()
            if verdict == NOT_OK and diag.lower().startswith("could not run"):
                verdict, how = "ERROR", how + " (# could not run)"
            cases[-1] = (name, verdict, how, diag)
            continue
        m = TAP_LINE.match(line)
        if not m:
            continue
        status, num, desc = m.groups()
        directive, reason = None, ""
        d = TAP_DIRECTIVE.search(desc)
        if d:
            directive, reason = d.group(1).upper(), d.group(2)
            desc = desc[: d.start()]
        desc = TAP_TIME.sub("", desc).strip()
        if num is not None and int(num) != len(cases) + 1:
            problems.append(f"TAP: test {len(cases) + 1} is numbered {num}")
        if directive == "TODO":
            verdict = "TODO"
        elif status == "not ok":
            verdict = NOT_OK
        elif directive == "SKIP" and reason.lower().startswith("inconclusive"):
            verdict = "INCONCLUSIVE"
        elif directive == "SKIP":
            verdict = "SKIP"
        else:
            verdict = "PASS"
        how = status + (f" # {directive}" if directive else "")
        if verdict == "INCONCLUSIVE":
            how += " inconclusive"
        cases.append((desc, verdict, how, None))
    if not cases and plan is None:
        raise BadInput(f"{path}: no TAP test lines and no plan")
    if plan is not None and plan != len(cases):
        problems.append(f"TAP: plan 1..{plan} but {len(cases)} test lines")
    return [(n, v, h) for n, v, h, _ in cases], problems


def read_junit(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        raise BadInput(f"{path}: {e}")
    if root.tag == "testsuite":
        suites = [root]
    elif root.tag == "testsuites":
        suites = root.findall("testsuite")
    else:
        raise BadInput(f"{path}: the root is <{root.tag}>, not <testsuites> or <testsuite>")
    cases, problems = [], []
    totals = dict(tests=0, failures=0, errors=0, skipped=0)
    for s in suites:
        counts = dict(tests=0, failures=0, errors=0, skipped=0)
        for tc in s.findall("testcase"):
            outcomes = [c for c in tc if c.tag in ("failure", "error", "skipped")]
            name = tc.get("name", "")
            counts["tests"] += 1
            if len(outcomes) > 1:
                verdict = "AMBIGUOUS"
                how = "+".join(c.tag for c in outcomes)
            elif not outcomes:
                verdict, how = "PASS", "no failure/error/skipped"
            elif outcomes[0].tag == "failure":
                t = outcomes[0].get("type", "")
                verdict = "INCONCLUSIVE" if t == "INCONCLUSIVE" else "FAIL"
                how = f'<failure type="{t}">'
                counts["failures"] += 1
            elif outcomes[0].tag == "error":
                verdict, how = "ERROR", "<error>"
                counts["errors"] += 1
            else:
                verdict, how = "SKIP", "<skipped>"
                counts["skipped"] += 1
            cases.append((name, verdict, how))
        for k, v in counts.items():
            totals[k] += v
            a = s.get(k)
            if a is not None and a != str(v):
                problems.append(f'JUnit: testsuite "{s.get("name")}" says {k}="{a}", '
                                f"its testcases make {v}")
    if root.tag == "testsuites":
        for k, v in totals.items():
            a = root.get(k)
            if a is not None and a != str(v):
                problems.append(f'JUnit: testsuites says {k}="{a}", its testcases make {v}')
    return cases, problems


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput(f"{path}: {e}")
    if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
        raise BadInput(f"{path}: no \"cases\" list")
    cases, problems = [], []
    counts = dict.fromkeys(VERDICTS, 0)
    for i, c in enumerate(doc["cases"]):
        name = str(c.get("path", ""))
        if c.get("config") is not None:
            name += f" [{c['config']}]"
        verdict = c.get("verdict")
        if verdict not in VERDICTS:
            problems.append(f"JSON: case {i + 1} has verdict {verdict!r}")
        else:
            counts[verdict] += 1
        cases.append((name, verdict, f'"{verdict}"', str(c.get("path", ""))))
    summary = doc.get("summary", {})
    keys = dict(PASS="passed", FAIL="failed", SKIP="skipped", INCONCLUSIVE="inconclusive",
                ERROR="errors")
    for v, k in keys.items():
        if summary.get(k) != counts[v]:
            problems.append(f'JSON: summary says "{k}": {summary.get(k)}, its cases make '
                            f"{counts[v]}")
    return cases, problems


def tap_says(verdict):
    return "FAIL or ERROR" if verdict == NOT_OK else verdict


def agree(tap_verdict, verdict):
    if tap_verdict == NOT_OK:
        return verdict in ("FAIL", "ERROR")
    return tap_verdict == verdict


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        tap, tap_problems = read_tap(argv[1])
        junit, junit_problems = read_junit(argv[2])
        js, json_problems = read_json(argv[3])
    except BadInput as e:
        print(f"report_agree: {e}", file=sys.stderr)
        return 2

    problems = tap_problems + junit_problems + json_problems
    if not len(tap) == len(junit) == len(js):
        problems.append(f"case counts differ: TAP {len(tap)}, JUnit {len(junit)}, "
                        f"JSON {len(js)}")
    for i in range(max(len(tap), len(junit), len(js))):
        t = tap[i] if i < len(tap) else None
        u = junit[i] if i < len(junit) else None
        j = js[i] if i < len(js) else None
        name = (j or u or t)[0]
        diffs = []
        if t and j and t[0] not in (j[0], j[3]):
            diffs.append(f"TAP names it {t[0]!r}")
        if u and j and u[0] != j[0]:
            diffs.append(f"JUnit names it {u[0]!r}")
        verdicts = [x[1] for x in (u, j) if x]
        if len(set(verdicts)) > 1 or (t and verdicts and not all(agree(t[1], v) for v in verdicts)):
            diffs.append("verdicts differ")
        if diffs or not (t and u and j):
            problems.append(
                f"case {i + 1} {name!r}: " + "; ".join(diffs or ["missing from a report"]) + "\n"
                f"    TAP:   {t[2] + ' -> ' + tap_says(t[1]) if t else '(none)'}\n"
                f"    JUnit: {u[2] + ' -> ' + u[1] if u else '(none)'}\n"
                f"    JSON:  {j[2] if j else '(none)'}")
    if problems:
        print(f"report_agree: the reports disagree ({argv[1]}, {argv[2]}, {argv[3]}):",
              file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    tally = {v: sum(1 for c in js if c[1] == v) for v in VERDICTS}
    print(f"report_agree: {len(js)} cases agree (" +
          ", ".join(f"{n} {v}" for v, n in tally.items() if n) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
