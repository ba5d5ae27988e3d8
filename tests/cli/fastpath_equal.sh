#!/bin/sh
# The fast path never changes a result: every query gives the same output with and without
# --no-shortcuts (column pushdown, literal prefilter, hash sets), on generated logs with
# planted hits and decoys and on the logs under examples/. The indicator queries must also
# return exactly the planted hits, so that a fast path and a slow path that are wrong in the
# same way still fail.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

if ! "$FH_BIN" query --help >/dev/null 2>&1; then
    echo "SKIP: foxhound query is not built in this version" >&2
    exit 77
fi
command -v python3 >/dev/null || {
    echo "SKIP: python3 is needed to generate the logs" >&2
    exit 77
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$FH_SOURCE_DIR/bench/gen_iocs.py" --seed 7 --large 20000 -o "$tmp" >/dev/null ||
    fail "gen_iocs.py failed"
python3 "$FH_SOURCE_DIR/bench/gen_logs.py" --seed 7 --iocs "$tmp" --cef-mb 3 --json-mb 1 \
    --hit-every 97 --decoy-every 131 -o "$tmp" 2>/dev/null || fail "gen_logs.py failed"

# planted TABLE SETS: the number of planted hits in TABLE whose tier is in SETS ("six|10k").
planted() {
    cat "$tmp"/planted_*.csv | awk -F, -v table="$1" -v sets="$2" \
        '$3 == table && $7 == "hit" && $6 ~ ("^(" sets ")$") { n++ } END { print n + 0 }'
}

# same NAME EXPECTED_ROWS QUERY LOG...: runs QUERY both ways, compares the CSV outputs, and
# checks the data row count when EXPECTED_ROWS is not "-". The query goes through a file
# because Linux limits one command-line argument to 128 KiB.
same() {
    name=$1 expected=$2
    printf '%s\n' "$3" >"$tmp/query.kql"
    shift 3
    "$FH_BIN" query --stats --format csv -f "$tmp/query.kql" "$@" >"$tmp/fast.csv" 2>"$tmp/fast.err" ||
        fail "$name: query exited $?: $(cat "$tmp/fast.err")"
    "$FH_BIN" query --no-shortcuts --format csv -f "$tmp/query.kql" "$@" >"$tmp/slow.csv" \
        2>"$tmp/slow.err" || fail "$name: query --no-shortcuts exited $?: $(cat "$tmp/slow.err")"
    cmp -s "$tmp/fast.csv" "$tmp/slow.csv" ||
        fail "$name: output differs with --no-shortcuts: $(diff "$tmp/fast.csv" "$tmp/slow.csv" | head -5)"
    rows=$(($(wc -l <"$tmp/fast.csv") - 1))
    if [ "$expected" != - ] && [ "$rows" -ne "$expected" ]; then
        fail "$name: $rows rows, expected $expected"
    fi
}

# prefilter_literals: the literal count of the first "prefilter: N literals" line of the last
# fast run's --stats output, or 0 when it ran without a prefilter.
prefilter_literals() {
    sed -n 's/^foxhound:   prefilter: \([0-9]*\) literals\{0,1\}$/\1/p' "$tmp/fast.err" | head -n 1 |
        awk '{ n = $1 } END { print n + 0 }'
}

# Builds a KQL list literal from the values of one kind in a typed value list.
kql_list() {
    awk -F'\t' -v kind="$2" 'NR > 1 && $1 == kind { printf "%s\"%s\"", sep, $2; sep = ", " }' "$1"
}

purerat_ip='dynamic(["80.76.49.194"])'
purerat_hashes='dynamic(["7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a",
  "B50A05E38E9D04FD5C4DAC4F29850649A77BB3AE443639206C908058E45593EB",
  "a05254840b45fcbfd12d09fd416ca860e2cfcab793f4780fa8f138b8f7a86aab"])'

same "firewall six" "$(planted CommonSecurityLog six)" \
    "let ips = $purerat_ip; CommonSecurityLog
     | where DestinationIP in (ips) or SourceIP in (ips)
     | project TimeGenerated, SourceIP, DestinationIP, DestinationPort, DeviceAction, Activity
     | order by TimeGenerated desc" "$tmp/firewall.cef"
same "network six" "$(planted DeviceNetworkEvents six)" \
    "let ips = $purerat_ip; DeviceNetworkEvents | where RemoteIP in (ips)
     | project Timestamp, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName" \
    "$tmp/network.json"
# One hash is upper case, so only a caseless prefilter keeps its rows.
same "file six caseless" "$(planted DeviceFileEvents six)" \
    "DeviceFileEvents | where SHA256 in~ ($purerat_hashes) or SHA1 in~ ($purerat_hashes)
     | project Timestamp, DeviceName, FileName, SHA256" "$tmp/file.json"

ips=$(kql_list "$tmp/iocs_10k.tsv" ip)
hashes=$(kql_list "$tmp/iocs_10k.tsv" hash)
urls=$(kql_list "$tmp/iocs_10k.tsv" url)
domains=$(kql_list "$tmp/iocs_10k.tsv" domain)
same "firewall 10k addresses" - \
    "let ips = dynamic([$ips]); CommonSecurityLog
     | where DestinationIP in (ips) or SourceIP in (ips) | project SourceIP, DestinationIP" \
    "$tmp/firewall.cef"
# URLs with '=' are escaped as '\=' in CEF lines, so the raw line does not contain the literal.
same "firewall 10k urls" - \
    "CommonSecurityLog | where RequestURL in~ (dynamic([$urls])) | project RequestURL" \
    "$tmp/firewall.cef"
# Decoy hosts such as "xdomain.test" contain a domain as a substring but not as a term.
same "network 10k domains" - \
    "DeviceNetworkEvents | where RemoteUrl has_any (dynamic([$domains])) | project RemoteUrl" \
    "$tmp/network.json"
# Upper-case items match caseless, and ".io" and "example." start or end with a byte that is
# not a letter or digit, so the term lookup tests them one by one.
upper_domains=$(printf '%s' "$domains" | tr 'a-z' 'A-Z')
same "network 10k domains caseless" - \
    "DeviceNetworkEvents | where RemoteUrl has_any (dynamic([$upper_domains, '.io', 'example.']))
     | project RemoteUrl" "$tmp/network.json"
same "file 10k hashes" "$(planted DeviceFileEvents 'six|10k')" \
    "let h = dynamic([$hashes]); DeviceFileEvents
     | where SHA256 in~ (h) or SHA1 in~ (h) or MD5 in~ (h) | project SHA256, SHA1, MD5" \
    "$tmp/file.json"
# About 4,900 distinct hashes, so the prefilter scans for thousands of literals.
[ "$(prefilter_literals)" -gt 2000 ] ||
    fail "file 10k hashes: expected a prefilter of more than 2000 literals: $(cat "$tmp/fast.err")"
same "network summarize" - \
    "DeviceNetworkEvents | where ActionType == 'ConnectionSuccess' and RemotePort == 443
     | summarize n = count() by InitiatingProcessFileName | order by InitiatingProcessFileName asc" \
    "$tmp/network.json"

# The whole hunt with the 10k tier: addresses, domains (has_any and label-by-label matching),
# URLs (whose '/' and '=' leave only the host to scan for) and hashes. Every table runs with a
# prefilter of thousands of literals and finds exactly the planted hits, as without shortcuts.
"$FH_BIN" hunt --stats --format csv --iocs "$tmp/iocs_10k.csv" "$tmp/firewall.cef" \
    "$tmp/network.json" "$tmp/file.json" >"$tmp/fast.csv" 2>"$tmp/fast.err"
[ $? -eq 1 ] || fail "hunt 10k: expected exit status 1 (findings): $(cat "$tmp/fast.err")"
"$FH_BIN" hunt --no-shortcuts --format csv --iocs "$tmp/iocs_10k.csv" "$tmp/firewall.cef" \
    "$tmp/network.json" "$tmp/file.json" >"$tmp/slow.csv" 2>"$tmp/slow.err"
[ $? -eq 1 ] || fail "hunt 10k --no-shortcuts: expected exit status 1: $(cat "$tmp/slow.err")"
cmp -s "$tmp/fast.csv" "$tmp/slow.csv" ||
    fail "hunt 10k: output differs with --no-shortcuts: $(diff "$tmp/fast.csv" "$tmp/slow.csv" | head -5)"
hunt_rows=$(($(wc -l <"$tmp/fast.csv") - 1))
hunt_planted=$(($(planted CommonSecurityLog 'six|10k') + $(planted DeviceNetworkEvents 'six|10k') +
    $(planted DeviceFileEvents 'six|10k')))
[ "$hunt_rows" -eq "$hunt_planted" ] || fail "hunt 10k: $hunt_rows findings, expected $hunt_planted"
# Tables are hunted at the same time unless --threads 1; the findings must not depend on it.
"$FH_BIN" hunt --threads 1 --format csv --iocs "$tmp/iocs_10k.csv" "$tmp/firewall.cef" \
    "$tmp/network.json" "$tmp/file.json" >"$tmp/one.csv" 2>"$tmp/one.err"
[ $? -eq 1 ] || fail "hunt 10k --threads 1: expected exit status 1: $(cat "$tmp/one.err")"
cmp -s "$tmp/fast.csv" "$tmp/one.csv" ||
    fail "hunt 10k: output differs with --threads 1: $(diff "$tmp/fast.csv" "$tmp/one.csv" | head -5)"
prefilters=$(grep -c '^foxhound:   prefilter: [0-9][0-9][0-9][0-9]* literals$' "$tmp/fast.err")
[ "$prefilters" -eq 3 ] ||
    fail "hunt 10k: expected a prefilter of 1000 or more literals per file: $(cat "$tmp/fast.err")"

# A plain file of a few MiB is read in chunks by worker threads, a gzip file by one reader:
# rows must come in the same order.
gzip -c "$tmp/firewall.cef" >"$tmp/firewall.cef.gz"
order_query="CommonSecurityLog | where DestinationPort in (443, 56001) | project DestinationIP, DestinationPort"
"$FH_BIN" query --format csv "$order_query" "$tmp/firewall.cef" >"$tmp/chunked.csv" ||
    fail "chunked read exited $?"
"$FH_BIN" query --format csv "$order_query" "$tmp/firewall.cef.gz" >"$tmp/single.csv" ||
    fail "gzip read exited $?"
[ "$(wc -l <"$tmp/single.csv")" -gt 1000 ] || fail "order check: too few rows to tell"
cmp -s "$tmp/chunked.csv" "$tmp/single.csv" || fail "rows differ in order between a chunked and a single read"

# .NET's default JSON encoder writes '&' as \u0026, as real Defender exports do: a URL with
# '&' must still be found, so its prefilter literal is a part of the URL without the '&'.
printf '%s\n' '{"Timestamp":"2026-06-14T10:00:00Z","DeviceName":"ws-1","RemoteIP":"203.0.113.9","RemoteUrl":"http://evil.test/a?aaaaaaaaaaaaaaaaaaaa\u0026bbbbbbbbbbbbbbbbbbbbbb"}' \
    '{"Timestamp":"2026-06-14T10:00:01Z","DeviceName":"ws-2","RemoteIP":"203.0.113.10","RemoteUrl":"http://other.test/"}' \
    >"$tmp/escaped.json"
same "escaped ampersand" 1 \
    "DeviceNetworkEvents | where RemoteUrl == 'http://evil.test/a?aaaaaaaaaaaaaaaaaaaa&bbbbbbbbbbbbbbbbbbbbbb'
     | project DeviceName" "$tmp/escaped.json"
[ "$(prefilter_literals)" -eq 1 ] || fail "escaped ampersand: no prefilter: $(cat "$tmp/fast.err")"

examples=$FH_SOURCE_DIR/examples/logs
same "examples firewall" - \
    "CommonSecurityLog | where DestinationIP == '80.76.49.194' or SourceIP has '80.76.49.194'
     | project TimeGenerated, SourceIP, DestinationIP, DestinationPort" "$examples/firewall.cef"
same "examples network" - \
    "DeviceNetworkEvents | where RemoteIP in ('80.76.49.194') | project Timestamp, RemoteIP" \
    "$examples/defender-network.json"
same "examples file" - \
    "DeviceFileEvents | where SHA256 =~ 'A05254840B45FCBFD12D09FD416CA860E2CFCAB793F4780FA8F138B8F7A86AAB'
     | project Timestamp, FileName, SHA256" "$examples/defender-file.json"
echo "fast path equal: ok"
