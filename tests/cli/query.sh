# foxhound query as a user runs it: the rule page hunt over a CEF file with a pinned now(),
# every output format, the exit codes, and a query error printed with its caret.
set -u
data="$FH_SOURCE_DIR/tests/data/kql"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

hunt='let malicious_ips = dynamic(["80.76.49.194"]);
CommonSecurityLog
| where DestinationIP in (malicious_ips) or SourceIP in (malicious_ips)
| project TimeGenerated, SourceIP, DestinationIP, DestinationPort
| order by TimeGenerated desc'

"$FH_BIN" query --format csv "$hunt" "$data/firewall.cef" >"$work/out.csv" 2>"$work/err.txt" ||
    fail "the hunt exited with $?: $(cat "$work/err.txt")"
printf 'TimeGenerated,SourceIP,DestinationIP,DestinationPort\r\n2026-06-14T06:00:02Z,10.20.0.15,80.76.49.194,56003\r\n2026-06-13T22:47:19Z,80.76.49.194,10.20.8.40,3389\r\n2026-06-12T08:14:03Z,10.20.4.17,80.76.49.194,56001\r\n' >"$work/want.csv"
cmp -s "$work/out.csv" "$work/want.csv" || fail "csv output differs: $(cat "$work/out.csv")"

"$FH_BIN" query --format json "$hunt | take 1" "$data/firewall.cef" >"$work/out.json" ||
    fail "json output failed"
grep -q '"DestinationPort":56003' "$work/out.json" || fail "json output: $(cat "$work/out.json")"

# The same query from a file, with --stats reporting the binding and the prefilter.
printf '%s\n' "$hunt" >"$work/hunt.kql"
"$FH_BIN" query --stats -f "$work/hunt.kql" --format csv "$data/firewall.cef" >/dev/null \
    2>"$work/stats.txt" || fail "query -f failed"
grep -q 'firewall.cef -> CommonSecurityLog' "$work/stats.txt" || fail "no binding line: $(cat "$work/stats.txt")"
grep -q '8 lines, 5 rows loaded, 3 filtered out by the prefilter' "$work/stats.txt" ||
    fail "stats: $(cat "$work/stats.txt")"
"$FH_BIN" query --stats --no-shortcuts -f "$work/hunt.kql" --format csv "$data/firewall.cef" \
    >"$work/plain.csv" 2>"$work/stats2.txt" || fail "--no-shortcuts failed"
cmp -s "$work/plain.csv" "$work/want.csv" || fail "--no-shortcuts changed the result"
grep -q '0 filtered out by the prefilter, 1 skipped' "$work/stats2.txt" ||
    fail "stats without shortcuts: $(cat "$work/stats2.txt")"

# A query that stops early still reports what it read.
"$FH_BIN" query --stats --format csv 'CommonSecurityLog | take 1' "$data/firewall.cef" \
    >/dev/null 2>"$work/stats3.txt" || fail "take 1 failed"
grep -q '8 lines, 7 rows loaded, 0 filtered out by the prefilter, 1 skipped' "$work/stats3.txt" ||
    fail "stats after take: $(cat "$work/stats3.txt")"

# ago() over old logs needs --now.
"$FH_BIN" query --format csv --now 2026-06-14T07:00:00Z \
    'CommonSecurityLog | where TimeGenerated >= ago(1h) | project DestinationIP' \
    "$data/firewall.cef" >"$work/recent.csv" || fail "--now query failed"
printf 'DestinationIP\r\n80.76.49.194\r\n' | cmp -s - "$work/recent.csv" ||
    fail "--now: $(cat "$work/recent.csv")"

# A query error exits 3 and shows the line with a caret under the column.
"$FH_BIN" query 'CommonSecurityLog | where SourceIp == "x"' "$data/firewall.cef" \
    >/dev/null 2>"$work/qerr.txt"
rc=$?
[ "$rc" -eq 3 ] || fail "query error exited with $rc"
printf "foxhound: <query>:1:27: unknown column 'SourceIp'; did you mean 'SourceIP'?\nCommonSecurityLog | where SourceIp == \"x\"\n                          ^\n" |
    cmp -s - "$work/qerr.txt" || fail "query error output: $(cat "$work/qerr.txt")"

# --db binds the indicator database as ThreatIntelligenceIndicator.
"$FH_BIN" ioc import --db "$work/ti.db" "$FH_SOURCE_DIR/docs/examples/threatfox-purerat.csv" \
    >/dev/null 2>&1 || fail "ioc import failed"
"$FH_BIN" query --db "$work/ti.db" --format csv 'ThreatIntelligenceIndicator
| where isnotempty(NetworkIP) and Active
| distinct NetworkIP
| join kind=inner (CommonSecurityLog
    | extend Ip = iff(ipv4_is_private(SourceIP), DestinationIP, SourceIP)) on $left.NetworkIP == $right.Ip
| project TimeGenerated, NetworkIP, DeviceAction
| order by TimeGenerated desc' "$data/firewall.cef" >"$work/ti.csv" 2>"$work/ti.err" ||
    fail "query --db failed: $(cat "$work/ti.err")"
printf 'TimeGenerated,NetworkIP,DeviceAction\r\n2026-06-14T06:00:02Z,80.76.49.194,deny\r\n2026-06-13T22:47:19Z,80.76.49.194,accept\r\n2026-06-12T08:14:03Z,80.76.49.194,accept\r\n' |
    cmp -s - "$work/ti.csv" || fail "query --db: $(cat "$work/ti.csv")"
"$FH_BIN" query --db "$work/missing.db" 'ThreatIntelligenceIndicator' >/dev/null 2>&1
[ $? -eq 3 ] || fail "a missing --db file should exit 3"

# Worker threads change nothing: a file large enough to be read in chunks gives the same rows
# and the same statistics (skip reasons with their first line numbers) with 1 and 2 threads.
awk '{ for (i = 0; i < 4000; i++) print }' "$data/firewall.cef" >"$work/big.cef"
group='CommonSecurityLog | summarize n = count(), first = min(TimeGenerated) by DestinationIP
| order by DestinationIP asc'
for n in 1 2; do
    "$FH_BIN" query --threads "$n" --stats --format csv "$group" "$work/big.cef" \
        >"$work/threads$n.csv" 2>"$work/threads$n.err" || fail "--threads $n failed"
done
cmp -s "$work/threads1.csv" "$work/threads2.csv" || fail "--threads 2 changed the rows"
cmp -s "$work/threads1.err" "$work/threads2.err" || fail "--threads 2 changed the statistics"
grep -q '^80.76.49.194,8000,2026-06-12T08:14:03Z' "$work/threads2.csv" ||
    fail "--threads 2 rows: $(head -c 400 "$work/threads2.csv")"
"$FH_BIN" query --threads 0 'print 1' >/dev/null 2>"$work/threads.err"
[ $? -eq 2 ] || fail "--threads 0 should exit 2"
grep -q "invalid --threads '0'; give a whole number from 1 to 16" "$work/threads.err" ||
    fail "--threads 0: $(cat "$work/threads.err")"

# Usage errors exit 2; --help exits 0.
"$FH_BIN" query --format xml 'T' >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown --format should exit 2"
"$FH_BIN" query >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing query should exit 2"
"$FH_BIN" query --now yesterday 'T' >/dev/null 2>&1
[ $? -eq 2 ] || fail "an invalid --now should exit 2"
"$FH_BIN" query --help | grep -q 'Usage: foxhound query' || fail "--help"
exit 0
