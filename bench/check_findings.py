#!/usr/bin/env python3
"""Compare a tool's hunt findings with the hits that bench/gen_logs.py planted.

  check_findings.py DATA SET FINDINGS    FINDINGS contains "table,line" rows; prints how many
                                         match and exits 1 when any planted hit is missing
                                         or any finding was not planted
  check_findings.py DATA SET --lines LOG prints how many lines of LOG contain a value of SET
                                         (planted hits and decoys): what grep -c should print
  check_findings.py DATA SET --hunt CSV  compares `foxhound hunt --format csv` output with the
                                         planted hits by table and indicator, because the
                                         hunt output has no line numbers

SET is six, 10k or large. A set contains the values of the smaller sets, so its planted hits
are those of its own tier and the tiers below.

Uses only the Python standard library.
"""

import collections
import csv
import glob
import os
import sys

TIERS = {"six": {"six"}, "10k": {"six", "10k"}, "large": {"six", "10k", "large"}}


def planted(data, ioc_set, kinds):
    for path in sorted(glob.glob(os.path.join(data, "planted_*.csv"))):
        with open(path, encoding="ascii", newline="") as f:
            for row in csv.DictReader(f):
                if row["kind"] in kinds and row["tier"] in TIERS[ioc_set]:
                    yield row


def read_findings(path):
    found = set()
    with open(path, encoding="ascii") as f:
        for line in f:
            line = line.strip()
            if line:
                table, number = line.split(",")
                found.add((table, int(number)))
    return found


def indicator_key(table, value, ioc_type):
    """Returns (table, value) with an ip:port reduced to its address, since a hunt matches the
    address on any port and reports one of the address's indicators."""
    if ioc_type == "ip:port" or (ioc_type is None and value.count(":") == 1 and "/" not in value):
        value = value.rsplit(":", 1)[0]
    return table, value.lower()


def check_hunt(data, ioc_set, path):
    expected = collections.Counter(
        indicator_key(row["table"], row["value"], None)
        for row in planted(data, ioc_set, {"hit"}))
    found = collections.Counter()
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            found[indicator_key(row["Table"], row["Indicator"], row["IndicatorType"])] += 1
    missing = expected - found
    extra = found - expected
    total = sum(found.values())
    if not missing and not extra:
        print("ok: %d findings, all planted" % total)
        return 0
    print("MISMATCH: %d planted, %d found, missing %s, not planted %s"
          % (sum(expected.values()), total, sorted(missing.items())[:3],
             sorted(extra.items())[:3]))
    return 1


def main():
    if len(sys.argv) == 5 and sys.argv[3] == "--hunt":
        return check_hunt(sys.argv[1], sys.argv[2], sys.argv[4])
    if len(sys.argv) == 5 and sys.argv[3] == "--lines":
        log = os.path.basename(sys.argv[4])
        lines = {row["line"] for row in planted(sys.argv[1], sys.argv[2], {"hit", "decoy"})
                 if row["file"] == log}
        print(len(lines))
        return 0
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2

    expected = {(row["table"], int(row["line"]))
                for row in planted(sys.argv[1], sys.argv[2], {"hit"})}
    found = read_findings(sys.argv[3])
    missing = sorted(expected - found)
    extra = sorted(found - expected)
    if not missing and not extra:
        print("ok: %d findings, all planted" % len(found))
        return 0
    print("MISMATCH: %d planted, %d found, %d missing %s, %d not planted %s"
          % (len(expected), len(found), len(missing), missing[:3], len(extra), extra[:3]))
    return 1


if __name__ == "__main__":
    sys.exit(main())
