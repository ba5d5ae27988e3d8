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
exit 0
