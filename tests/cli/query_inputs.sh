#!/bin/sh
# foxhound query inputs: standard input, options after the query, and folders that hold files
# other than logs.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
cd "$FH_SOURCE_DIR" || fail "no source folder"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$(zstd -q -c examples/logs/defender-file.json | "$FH_BIN" query 'DeviceFileEvents | count' -o csv -)
[ "$(echo "$out" | tr -d '\r')" = "$(printf 'Count\n7')" ] || fail "count over stdin: $out"

out=$("$FH_BIN" query 'DeviceNetworkEvents | where RemotePort == 56001 | count' examples/logs \
    --now 2026-06-20T00:00:00Z -o json) || fail "options after the query exited $?"
[ "$out" = '{"Count":3}' ] || fail "options after the query: $out"

mkdir "$tmp/logs"
cp examples/logs/firewall.cef "$tmp/logs/"
echo "notes about this export" >"$tmp/logs/README.txt"
"$FH_BIN" query 'CommonSecurityLog | count' -o json "$tmp/logs" >"$tmp/out" 2>"$tmp/err" ||
    fail "a folder with a README exited $?: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = '{"Count":10}' ] || fail "folder count: $(cat "$tmp/out")"
grep -q "skipped: $tmp/logs/README.txt" "$tmp/err" || fail "README not reported: $(cat "$tmp/err")"
"$FH_BIN" query 'CommonSecurityLog | count' "$tmp/logs/README.txt" 2>/dev/null
[ $? -eq 3 ] || fail "a named non-log file should be an error"

# A Defender stream with records of two tables: each table loads only its own records, and
# the others are counted, whether the table was detected or named with --table.
printf '%s\n' \
    '{"time":"2026-06-14T10:00:00Z","category":"AdvancedHunting-DeviceNetworkEvents","properties":{"Timestamp":"2026-06-14T10:00:00Z","DeviceName":"a","RemoteIP":"203.0.113.77"}}' \
    '{"time":"2026-06-14T10:00:01Z","category":"AdvancedHunting-DeviceFileEvents","properties":{"Timestamp":"2026-06-14T10:00:01Z","DeviceName":"b","RemoteIP":"203.0.113.77"}}' \
    >"$tmp/mixed.json"
out=$("$FH_BIN" query --stats -o csv 'DeviceNetworkEvents | project DeviceName' "$tmp/mixed.json" \
    2>"$tmp/err") || fail "mixed categories exited $?"
[ "$out" = "$(printf 'DeviceName\r\na\r')" ] || fail "mixed categories loaded: $out"
grep -q '1 rows loaded, 0 filtered out by the prefilter, 1 skipped' "$tmp/err" ||
    fail "mixed categories stats: $(cat "$tmp/err")"
grep -q 'skipped 1: record of another Defender table (line 2)' "$tmp/err" ||
    fail "mixed categories reason: $(cat "$tmp/err")"
out=$("$FH_BIN" query --stats -o csv --table DeviceFileEvents="$tmp/mixed.json" \
    'DeviceFileEvents | project DeviceName' 2>"$tmp/err") || fail "named table exited $?"
[ "$out" = "$(printf 'DeviceName\r\nb\r')" ] || fail "named table loaded: $out"
grep -q "mixed.json -> DeviceFileEvents" "$tmp/err" || fail "--stats binding line: $(cat "$tmp/err")"
exit 0
