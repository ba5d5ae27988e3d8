#!/bin/sh
# foxhound hunt as a user runs it: the bundled examples, output formats, exit codes, the
# generated queries, and a hunt over the public sample logs when they are present.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
cd "$FH_SOURCE_DIR" || fail "no source folder"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
iocs="--iocs examples/purerat-rule.md --iocs examples/threatfox-domains.csv"

# The main job: findings exit 1, with the summary on standard output.
"$FH_BIN" hunt $iocs --exclusions examples/exclusions.yaml examples/logs >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "examples hunt exited $rc, expected 1: $(cat "$tmp/err")"
grep -q '^Summary: 11 findings, 7 suppressed by exclusions$' "$tmp/out" || fail "summary: $(cat "$tmp/out")"
grep -q '^  by table:     CommonSecurityLog (6), DeviceNetworkEvents (3), DeviceFileEvents (2)$' \
    "$tmp/out" || fail "by table line"
grep -q '^  suppressed:   admin-powershell (2)$' "$tmp/out" || fail "admin-powershell count"
grep -q 'note: DeviceProcessEvents: the indicators call for this table' "$tmp/err" ||
    fail "missing coverage note: $(cat "$tmp/err")"
grep -q 'examples/purerat-rule.md: rulepage, 6 indicators' "$tmp/err" || fail "import line"

# The prefilter skips the firewall log's non-CEF line unparsed; without shortcuts every line
# is parsed and that line is reported as skipped. The findings are the same either way.
"$FH_BIN" hunt $iocs --stats --exclusions examples/exclusions.yaml examples/logs \
    >"$tmp/fast" 2>"$tmp/fast.err"
grep -q 'firewall.cef (CommonSecurityLog): 11 lines, 8 rows loaded, 3 filtered out by the prefilter, 0 skipped$' \
    "$tmp/fast.err" || fail "firewall stats with the prefilter: $(cat "$tmp/fast.err")"
"$FH_BIN" hunt $iocs --no-shortcuts --exclusions examples/exclusions.yaml examples/logs \
    >"$tmp/slow" 2>"$tmp/slow.err"
grep -q 'firewall.cef: 1 row skipped (first: not a CEF record: .*line 9)' "$tmp/slow.err" ||
    fail "skipped line without shortcuts: $(cat "$tmp/slow.err")"
cmp -s "$tmp/out" "$tmp/slow" || fail "--no-shortcuts changed the findings"

# JSON lines: one object per finding, newest first, stable keys.
"$FH_BIN" hunt $iocs --exclusions examples/exclusions.yaml --format json examples/logs \
    >"$tmp/json" 2>/dev/null
[ "$(wc -l <"$tmp/json")" -eq 11 ] || fail "json rows: $(wc -l <"$tmp/json")"
head -n 1 "$tmp/json" | grep -q '^{"TimeGenerated":"2026-06-15T11:02:36Z","Table":"CommonSecurityLog","Host":"fw01.corp.example","MatchedColumn":"RequestURL",' ||
    fail "first json row: $(head -n 1 "$tmp/json")"
tail -n 1 "$tmp/json" | grep -q '"PortMatch":true,"BeforeFirstSeen":true,' ||
    fail "last json row is the retro-hunt hit: $(tail -n 1 "$tmp/json")"

# Suppressed rows are listed with the exclusion's name.
"$FH_BIN" hunt $iocs --exclusions examples/exclusions.yaml --show-suppressed --format csv \
    examples/logs >"$tmp/csv" 2>/dev/null
grep -c ',scheduled-maintenance,' "$tmp/csv" | grep -qx 1 || fail "csv lacks scheduled-maintenance"
grep -c ',network-monitoring-firewall,' "$tmp/csv" | grep -qx 1 || fail "csv lacks firewall exclusion"

# Without exclusions the suppressed rows come back as findings.
"$FH_BIN" hunt $iocs --format json examples/logs >"$tmp/all" 2>/dev/null
[ "$(wc -l <"$tmp/all")" -eq 18 ] || fail "hunt without exclusions: $(wc -l <"$tmp/all") rows"

# A range with no events: exit 0 and a note per table that has no rows in range.
"$FH_BIN" hunt $iocs --start 2027-01-01 examples/logs >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "empty range exited $rc, expected 0"
grep -q 'note: CommonSecurityLog: logs feed this table but none of its rows falls in the hunted time range' \
    "$tmp/err" || fail "empty-range note: $(cat "$tmp/err")"

# Filters: only hashes leaves the network tables out.
"$FH_BIN" hunt $iocs --type sha256 --format json examples/logs >"$tmp/json" 2>/dev/null
grep -v '"Table":"DeviceFileEvents"' "$tmp/json" && fail "--type sha256 returned other tables"
[ "$(wc -l <"$tmp/json")" -eq 5 ] || fail "--type sha256 rows"

# --explain prints one query per table that the indicators call for.
"$FH_BIN" hunt $iocs --explain >"$tmp/kql" || fail "--explain exited $?"
[ "$(grep -c '^// foxhound hunt: ' "$tmp/kql")" -eq 4 ] || fail "--explain query count"

# Indicators from the database give the same findings as the files they were imported from.
"$FH_BIN" ioc import --db "$tmp/iocs.db" examples/purerat-rule.md examples/threatfox-domains.csv \
    >/dev/null || fail "ioc import exited $?"
"$FH_BIN" hunt --db "$tmp/iocs.db" --exclusions examples/exclusions.yaml --format json \
    examples/logs >"$tmp/db.json" 2>"$tmp/err"
[ $? -eq 1 ] || fail "hunt --db exited without findings: $(cat "$tmp/err")"
"$FH_BIN" hunt $iocs --exclusions examples/exclusions.yaml --format json examples/logs \
    >"$tmp/files.json" 2>/dev/null
cmp -s "$tmp/db.json" "$tmp/files.json" || fail "database and file hunts differ"
FOXHOUND_DB="$tmp/none.db" "$FH_BIN" hunt examples/logs 2>"$tmp/err"
[ $? -eq 2 ] || fail "hunt without indicators should exit 2"
grep -q "no indicators: give --iocs FILE, or load the database" "$tmp/err" ||
    fail "no-indicator message: $(cat "$tmp/err")"

# --strict hunts clean logs normally and stops at the firewall log's one non-CEF line.
"$FH_BIN" hunt $iocs --strict --format json examples/logs/defender-network.json \
    examples/logs/defender-file.json >"$tmp/json" 2>"$tmp/err"
[ $? -eq 1 ] || fail "--strict on clean logs: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/json")" -eq 11 ] || fail "--strict rows: $(wc -l <"$tmp/json")"
"$FH_BIN" hunt $iocs --strict examples/logs >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] || fail "--strict with a bad row should exit 3"
grep -q 'firewall.cef:9:1: not a CEF record' "$tmp/err" || fail "--strict message: $(cat "$tmp/err")"
# With only the rule page the prefilter could skip the bad line unseen; --strict must not.
"$FH_BIN" hunt --iocs examples/purerat-rule.md --strict examples/logs >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] || fail "--strict with the rule page alone should exit 3"
grep -q 'firewall.cef:9:1: not a CEF record' "$tmp/err" || fail "--strict rule page message"

# --stats reports the hunt's own scan of each file, not the later probe for rows in range.
python3 bench/gen_cef.py --seed 1 --size-mb 2 -o "$tmp/generated.cef" >/dev/null 2>&1 ||
    fail "bench/gen_cef.py failed"
lines=$(wc -l <"$tmp/generated.cef")
"$FH_BIN" hunt --iocs examples/purerat-rule.md --start 2030-01-01 --stats "$tmp/generated.cef" \
    >/dev/null 2>"$tmp/err"
grep -q "generated.cef (CommonSecurityLog): $lines lines, 0 rows loaded, $lines filtered out by the prefilter" \
    "$tmp/err" || fail "--stats should show the prefiltered hunt scan: $(cat "$tmp/err")"

# A missing log keeps the findings of the others but exits 3; no readable log at all is an
# error too, never "no findings".
"$FH_BIN" hunt $iocs --format json examples/logs no-such.log >"$tmp/json" 2>"$tmp/err"
[ $? -eq 3 ] || fail "a missing log should exit 3"
[ "$(wc -l <"$tmp/json")" -eq 18 ] || fail "findings lost because of a missing log"
grep -q 'error, not hunted: no-such.log: ' "$tmp/err" || fail "missing log message"
: >"$tmp/empty.cef"
"$FH_BIN" hunt $iocs "$tmp/empty.cef" 2>"$tmp/err" >/dev/null
[ $? -eq 3 ] || fail "a hunt with no readable log should exit 3"
grep -q 'no log file could be read, so nothing was hunted' "$tmp/err" || fail "no-log message"

# Filters that select no indicator are an error, as in rule; relative times are accepted.
"$FH_BIN" hunt $iocs --family NoSuchFamily examples/logs 2>/dev/null
[ $? -eq 3 ] || fail "a filter selecting nothing should exit 3"
"$FH_BIN" hunt $iocs --type sha256 --exclusions "$tmp/bad.yaml" --explain >/dev/null 2>&1
[ $? -eq 3 ] || fail "--explain should check every exclusion, even of tables not hunted"
"$FH_BIN" hunt $iocs --since 30d --now 2026-06-20 --format json examples/logs >"$tmp/json" \
    2>/dev/null
[ "$(wc -l <"$tmp/json")" -eq 18 ] || fail "--since 30d should keep every indicator"

# An exclusion that names an unknown column is reported at the exclusion in its file.
sed 's/SourceHostName =~/SourceHostNam =~/' examples/exclusions.yaml >"$tmp/bad.yaml"
"$FH_BIN" hunt $iocs --exclusions "$tmp/bad.yaml" examples/logs >/dev/null 2>"$tmp/err"
[ $? -eq 3 ] || fail "a bad exclusion should exit 3"
grep -q "bad.yaml:58: exclusion 'network-monitoring-firewall' on CommonSecurityLog: unknown column 'SourceHostNam'" \
    "$tmp/err" || fail "bad exclusion message: $(cat "$tmp/err")"

# Rows that cannot be parsed are reported even without --stats.
"$FH_BIN" hunt $iocs --no-shortcuts examples/logs >/dev/null 2>"$tmp/err"
grep -q 'firewall.cef: 1 row skipped (first: not a CEF record' "$tmp/err" ||
    fail "skipped row note: $(cat "$tmp/err")"

# Standard input as a log, plain or compressed.
gzip -c examples/logs/firewall.cef | "$FH_BIN" hunt $iocs --format json - >"$tmp/json" 2>"$tmp/err"
[ $? -eq 1 ] || fail "hunt over stdin found nothing: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/json")" -eq 7 ] || fail "hunt over stdin rows: $(wc -l <"$tmp/json")"

# Usage errors exit 2, missing files exit 3.
"$FH_BIN" hunt $iocs --format xml examples/logs 2>"$tmp/err"
[ $? -eq 2 ] || fail "unknown format should exit 2"
grep -q "Try 'foxhound hunt --help'" "$tmp/err" || fail "usage error lacks the help pointer"
"$FH_BIN" hunt --iocs examples/no-such-feed.csv examples/logs 2>"$tmp/err"
[ $? -eq 3 ] || fail "missing feed should exit 3"
"$FH_BIN" hunt --help | grep -q '^Exit status: 0 no findings, 1 findings' || fail "--help exit codes"

# The public sample logs: every file is read or reported, and the hunt completes with
# coverage notes. One published sample is invalid JSON, which makes the result incomplete.
if [ -n "${FH_SHARED_DIR:-}" ] && [ -d "$FH_SHARED_DIR/data/public" ]; then
    "$FH_BIN" hunt --iocs "$FH_SHARED_DIR/seed/threatfox-purerat-sentinel-rule.txt" \
        "$FH_SHARED_DIR/data/public" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    grep -q '^Summary: 0 findings' "$tmp/out" || fail "public data summary: $(cat "$tmp/err")"
    grep -q 'note: DeviceFileEvents: the indicators call for this table but no log feeds it' \
        "$tmp/err" || fail "public data coverage note"
    grep -q 'error, not hunted: .*fotinatefortigate.json:20:830: invalid JSON' "$tmp/err" ||
        fail "the invalid sample is not reported"
    [ $rc -eq 3 ] || fail "public data hunt exited $rc, expected 3 for the invalid sample"
else
    echo "SKIP: public sample data not found; the public data hunt was not run" >&2
fi
exit 0
