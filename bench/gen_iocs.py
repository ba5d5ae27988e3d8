#!/usr/bin/env python3
"""Generate indicator sets as ThreatFox CSV exports for benchmarks.

Writes three nested sets into a folder. The first is iocs_six.csv with the six PureRAT
indicators of the ThreatFox PureRAT rule page: three ip:port values on 80.76.49.194 and three
SHA-256 payload hashes. Next comes iocs_10k.csv with those six plus generated indicators up to
10,000, and iocs_large.csv extends the 10,000 to --large indicators (1,000,000 by default). So
every value of a smaller set is also in the larger ones.

Generated indicators follow the type mix of 500 consecutive records of a 2026 ThreatFox JSON
export: domain 30%, sha256_hash 17%, sha1_hash 16%, md5_hash 16%, ip:port 14%, url 7%. They
use values that cannot be real: addresses from 100.64.0.0/10 (RFC 6598 shared space), and
domains under the reserved top-level names .test, .example and .invalid (RFC 2606). Hashes
are random hex.

For each set the script also writes NAME.values: the values a log line must contain for a hunt
to match, one per line, for `grep -F -f` and `rg -F -f`. An ip:port contributes its address,
because a hunt matches the address on any port. NAME.tsv holds the same values with their kind
(ip, domain, url or hash) for the SQLite and pandas hunts. Output is deterministic for a given
seed.

Uses only the Python standard library.
"""

import argparse
import os
import random

HEADER = """################################################################
# ThreatFox IOCs: generated for foxhound benchmarks - CSV format
# Values are synthetic; only the six PureRAT rows are real.
#
################################################################
#
# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias",\
"malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags",\
"anonymous","reporter"
"""

PURERAT = [
    ("80.76.49.194:56003", "ip:port", "botnet_cc"),
    ("80.76.49.194:56002", "ip:port", "botnet_cc"),
    ("80.76.49.194:56001", "ip:port", "botnet_cc"),
    ("7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a", "sha256_hash", "payload"),
    ("b50a05e38e9d04fd5c4dac4f29850649a77bb3ae443639206c908058e45593eb", "sha256_hash", "payload"),
    ("a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab", "sha256_hash", "payload"),
]

# (ioc_type, weight in percent, threat types to draw from)
TYPE_MIX = [
    ("domain", 30, ["payload_delivery", "botnet_cc"]),
    ("sha256_hash", 17, ["payload"]),
    ("sha1_hash", 16, ["payload"]),
    ("md5_hash", 16, ["payload"]),
    ("ip:port", 14, ["botnet_cc"]),
    ("url", 7, ["payload_delivery", "payload_delivery", "payload_delivery", "botnet_cc"]),
]

# (fk_malware, malware_printable, weight)
FAMILIES = [
    ("win.cobalt_strike", "Cobalt Strike", 14), ("elf.mirai", "Mirai", 10),
    ("win.asyncrat", "AsyncRAT", 9), ("win.remcos", "Remcos", 8),
    ("win.agent_tesla", "Agent Tesla", 7), ("win.lumma", "Lumma Stealer", 7),
    ("js.clearfake", "ClearFake", 6), ("win.quasar_rat", "Quasar RAT", 5),
    ("win.xworm", "XWorm", 5), ("win.dcrat", "DCRat", 5), ("win.formbook", "Formbook", 4),
    ("win.redline_stealer", "RedLine Stealer", 4), ("win.sliver", "Sliver", 3),
    ("win.njrat", "NjRAT", 3), ("win.purerat", "PureRAT", 2), ("unknown", "Unknown malware", 8),
]

REPORTERS = ["abuse_ch", "ThreatFox", "threatcat_ch", "ttakvam", "DonPasci", "skocherhan",
             "Gi7w0rm", "bontchev", "anonymous"]
TLDS = ["test", "example", "invalid"]
SYLLABLES = ["ka", "ro", "mi", "zen", "tra", "lis", "vo", "quo", "net", "sec", "cdn", "up",
             "dat", "sync", "web", "api", "node", "view", "back", "call", "stage", "area",
             "work", "flux", "pix", "hub", "lo", "ve", "x", "q"]
PATHS = ["/", "/gate.php", "/panel/login.php", "/wp-content/plugins/a.zip",
         "/download/setup.msi", "/bin/x86", "/api/v2/check?id=", "/invoice.js", "/file.hta"]


def word(rng, syllables):
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def make_domain(rng):
    labels = [word(rng, rng.randint(2, 4)) + (str(rng.randrange(10)) if rng.random() < 0.3 else "")]
    if rng.random() < 0.35:
        labels.insert(0, word(rng, rng.randint(1, 2)) + str(rng.randrange(1, 9)))
    return ".".join(labels) + "." + rng.choice(TLDS)


def make_address(rng):
    # 100.64.0.0/10: second octet 64-127.
    return "100.%d.%d.%d" % (rng.randrange(64, 128), rng.randrange(256), rng.randrange(1, 255))


def make_value(rng, ioc_type):
    if ioc_type == "domain":
        return make_domain(rng)
    if ioc_type == "ip:port":
        return "%s:%d" % (make_address(rng), rng.choice([443, 80, 8080, 4444, 2404, 7443,
                                                         rng.randrange(1024, 65536)]))
    if ioc_type == "url":
        host = make_domain(rng) if rng.random() < 0.8 else make_address(rng)
        path = rng.choice(PATHS)
        if path.endswith("="):
            path += str(rng.randrange(100000))
        return "%s://%s%s" % (rng.choice(["http", "https"]), host, path)
    digits = {"sha256_hash": 64, "sha1_hash": 40, "md5_hash": 32}[ioc_type]
    return "%0*x" % (digits, rng.getrandbits(digits * 4))


def weighted(rng, table, weight_index):
    total = sum(row[weight_index] for row in table)
    pick = rng.randrange(total)
    for row in table:
        pick -= row[weight_index]
        if pick < 0:
            return row
    return table[-1]


def csv_row(fields):
    return ", ".join('"%s"' % f for f in fields) + "\n"


def purerat_rows():
    for i, (value, ioc_type, threat) in enumerate(PURERAT):
        yield [("2026-06-11 %02d:00:00" % i), str(1500000 + i), value, ioc_type, threat,
               "win.purerat", "None", "PureRAT", "", "75", "False", "None", "PureRAT", "0",
               "abuse_ch"]


def generated_row(rng, ioc_id, seen):
    ioc_type, _, threats = weighted(rng, TYPE_MIX, 1)
    value = make_value(rng, ioc_type)
    while value in seen:
        value = make_value(rng, ioc_type)
    seen.add(value)
    fk, printable, _ = weighted(rng, FAMILIES, 2)
    first_seen = "2025-%02d-%02d %02d:%02d:%02d" % (
        rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(24), rng.randrange(60),
        rng.randrange(60))
    tags = printable if rng.random() < 0.7 else "None"
    return [first_seen, str(ioc_id), value, ioc_type, rng.choice(threats), fk, "None",
            printable, "", str(rng.choice([50, 75, 75, 90, 100, 100])),
            "True" if rng.random() < 0.03 else "False", "None", tags,
            str(int(rng.random() < 0.2)), rng.choice(REPORTERS)]


def hunt_value(row):
    """Returns (kind, value) as a hunt matches them: addresses on any port, caseless text."""
    value, ioc_type = row[2], row[3]
    if ioc_type == "ip:port":
        return "ip", value.rsplit(":", 1)[0]
    if ioc_type in ("domain", "url"):
        return ioc_type, value.lower()
    return "hash", value.lower()


class SetWriter:
    """Writes one ThreatFox CSV file and its .values and .tsv files."""

    def __init__(self, folder, name):
        self.csv = open(os.path.join(folder, name + ".csv"), "w", encoding="ascii")
        self.values = open(os.path.join(folder, name + ".values"), "w", encoding="ascii")
        self.typed = open(os.path.join(folder, name + ".tsv"), "w", encoding="ascii")
        self.typed.write("kind\tvalue\n")
        self.csv.write(HEADER)
        self.seen_values = set()
        self.count = 0

    def write(self, row):
        self.csv.write(csv_row(row))
        kind, value = hunt_value(row)
        if value not in self.seen_values:
            self.seen_values.add(value)
            self.values.write(value + "\n")
            self.typed.write("%s\t%s\n" % (kind, value))
        self.count += 1

    def close(self):
        self.csv.close()
        self.values.close()
        self.typed.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--large", type=int, default=1000000,
                        help="indicators in iocs_large.csv (default 1000000)")
    parser.add_argument("-o", "--output", required=True, help="folder to write into")
    args = parser.parse_args()

    os.makedirs(args.output, exist_ok=True)
    rng = random.Random(args.seed)
    writers = [SetWriter(args.output, "iocs_six"), SetWriter(args.output, "iocs_10k"),
               SetWriter(args.output, "iocs_large")]
    seen = set(row[2] for row in purerat_rows())
    for row in purerat_rows():
        for writer in writers:
            writer.write(row)
    for ioc_id in range(1600000, 1600000 + args.large - len(PURERAT)):
        row = generated_row(rng, ioc_id, seen)
        targets = writers[1:] if writers[1].count < 10000 else writers[2:]
        for writer in targets:
            writer.write(row)
    for writer in writers:
        writer.close()
        print("gen_iocs: %s.csv %d indicators, %d hunt values"
              % (os.path.basename(writer.csv.name)[:-4], writer.count, len(writer.seen_values)))


if __name__ == "__main__":
    main()
