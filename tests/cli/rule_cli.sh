#!/bin/sh
# foxhound rule as a user runs it: output to stdout, a file and a folder, indicators from the
# database, selection options, the Sentinel split report, and usage errors with exit code 2.
. "$FH_SOURCE_DIR/tests/cli/lib/ioc_common.sh"
page="$FH_SOURCE_DIR/examples/purerat-rule.md"
mixed="$FH_SOURCE_DIR/tests/data/rules/mixed-page.md"
exclusions="$FH_SOURCE_DIR/examples/exclusions.yaml"

# The rule page of the example, byte for byte the golden page.
run 0 rule --iocs "$page" --family PureRAT --format markdown --exclusions "$exclusions"
cmp -s out.txt "$FH_SOURCE_DIR/tests/data/rules/purerat.md" || fail "markdown differs from golden"
contains err.txt "skipped 5: value repeats an indicator already on the page"

# -o FILE writes the same text; YAML documents are joined with ---.
run 0 rule --iocs "$page" --format sentinel -o rules.yaml
[ "$(grep -c '^---$' rules.yaml)" -eq 3 ] || fail "expected 4 YAML documents in rules.yaml"
contains rules.yaml "connectorId: CefAma"

# -o DIR writes one file per document; Suricata needs it for its hash list.
run 2 rule --iocs "$page" --format suricata
contains err.txt "the suricata rules load 1 file that must sit beside them (PureRAT-sha256.txt)"
run 0 rule --iocs "$page" --format suricata -o suricata/
[ -f suricata/PureRAT.rules ] || fail "suricata/PureRAT.rules missing"
[ "$(wc -l <suricata/PureRAT-sha256.txt)" -eq 3 ] || fail "hash list should hold 3 hashes"
contains err.txt "wrote 2 files to suricata/"

# Selection: only the hashes, at least 75% confidence.
run 0 rule --iocs "$mixed" --type sha256,md5 --min-confidence 75 --format zeek
[ "$(grep -c 'Intel::FILE_HASH' out.txt)" -eq 2 ] || fail "expected 2 hash lines"
lacks out.txt "Intel::ADDR"
run 3 rule --iocs "$mixed" --family NoSuchFamily --format kql
contains err.txt "no indicator matches the selection"
run 0 rule --iocs "$mixed" --since 2026-05-06 --format kql
contains out.txt "https://cdn.example.org/a/b.bin"
lacks out.txt "c2.example.net"

# Indicators from the database when no --iocs is given.
run 0 ioc import "$mixed"
run 0 rule --format stix --type domain
[ "$(grep -c '"type":"indicator"' out.txt)" -eq 2 ] || fail "expected 2 STIX indicators"

# Left-out indicators are reported.
run 0 rule --iocs "$mixed" --format suricata -o suri/
contains err.txt "suricata: left out 1 of 11 indicators: Suricata sees no host and path of https://"

# Usage errors.
run 2 rule --iocs "$page"
contains err.txt "missing --format"
run 2 rule --iocs "$page" --format yara
contains err.txt "invalid rule format 'yara'"
run 2 rule --iocs "$page" --format sentinel --severity critical
contains err.txt "invalid severity 'critical'"
run 2 rule --iocs "$page" --format suricata --sid-base 0
contains err.txt "invalid --sid-base '0'"
run 3 rule --iocs no-such-file.md --format kql
run 0 rule --help
contains out.txt "Usage: foxhound rule"
