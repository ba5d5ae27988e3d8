#!/bin/sh
# foxhound ioc import flags likely false positives (special-purpose ranges and warninglist
# entries) without dropping them, and reports skipped values with their reasons.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
cd "$FH_SOURCE_DIR" || fail "no source folder"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '10.1.2.3\n127.0.0.1\n192.0.2.5\n8.8.8.8\n80.76.49.194\nhttp://bad\033[2J.example/\n' \
    >"$tmp/iocs.txt"
cat >"$tmp/resolvers.json" <<'JSON'
{"name": "List of example public resolvers", "version": 1, "description": "test",
 "type": "string", "list": ["8.8.8.8"]}
JSON

out=$("$FH_BIN" ioc import --db "$tmp/i.db" --warninglist "$tmp/resolvers.json" "$tmp/iocs.txt") ||
    fail "import exited $?"
echo "$out" | grep -q ': text: 5 accepted, 0 merged duplicates, 4 flagged, 1 rejected' ||
    fail "import counts: $out"
echo "$out" | grep -q "URL 'http://bad\\\\x1b\[2J.example/'" || fail "reject reason not escaped: $out"
printf '%s' "$out" | grep -q "$(printf '\033')" && fail "raw escape byte in the import report"

flags=$("$FH_BIN" ioc list --db "$tmp/i.db" --flagged --format csv | cut -d, -f2,16)
for expected in '10.1.2.3,private range 10.0.0.0/8 (RFC 1918)' \
    '127.0.0.1,loopback range 127.0.0.0/8 (RFC 1122)' \
    '192.0.2.5,documentation range 192.0.2.0/24 (RFC 5737)' \
    '8.8.8.8,warninglist: List of example public resolvers'; do
    echo "$flags" | grep -qxF "$expected" || fail "missing flag '$expected' in: $flags"
done
"$FH_BIN" ioc list --db "$tmp/i.db" --unflagged --format csv | grep -q '^ipv4,80.76.49.194,' ||
    fail "the public address should stay unflagged"

out=$("$FH_BIN" ioc import --db "$tmp/i.db" examples/purerat-rule.md) || fail "rule page import"
echo "$out" | grep -q '^  skipped 5: value repeats an indicator already on the page$' ||
    fail "skip reason: $out"
exit 0
