#!/bin/sh
# The indicator database as Sentinel's ThreatIntelIndicators table: its columns, and a join in
# the shape of the STIX-table analytic rules against the example firewall log.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
cd "$FH_SOURCE_DIR" || fail "no source folder"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1796119200
"$FH_BIN" ioc import --db "$tmp/i.db" examples/purerat-rule.md examples/threatfox-domains.csv \
    >/dev/null || fail "import exited $?"

out=$("$FH_BIN" query --db "$tmp/i.db" -o csv 'ThreatIntelIndicators
| where ObservableKey == "domain-name:value"
| project ObservableValue, Pattern, Confidence, ValidFrom, IsActive, Name = tostring(Data.name)') ||
    fail "query exited $?"
expected='ObservableValue,Pattern,Confidence,ValidFrom,IsActive,Name
sync-update.example.net,[domain-name:value = '"'"'sync-update.example.net'"'"'],80,2026-06-11T09:12:40Z,true,PureRAT'
[ "$(echo "$out" | tr -d '\r')" = "$expected" ] || fail "domain row: $out"

out=$("$FH_BIN" query --db "$tmp/i.db" -o csv \
    'ThreatIntelIndicators | summarize count() by ObservableKey | order by ObservableKey asc') ||
    fail "count query exited $?"
expected="ObservableKey,count_
domain-name:value,1
file:hashes.'SHA-256',3
ipv4-addr:value,3
url:value,1"
[ "$(echo "$out" | tr -d '\r')" = "$expected" ] || fail "counts by key: $out"

# innerunique keeps one indicator row per address, so the three ip:port indicators of one
# address give one alert row: the latest event to that address.
out=$("$FH_BIN" query --db "$tmp/i.db" --now 2026-06-13T00:00:00Z -o csv 'let dt_lookBack = 1d;
ThreatIntelIndicators
| summarize LatestIndicatorTime = arg_max(TimeGenerated, *) by Id, ObservableValue
| where IsActive == true and (ValidUntil > now() or isempty(ValidUntil))
| where ObservableKey == "ipv4-addr:value"
| extend TI_ipEntity = ObservableValue
| join kind=innerunique (CommonSecurityLog | where TimeGenerated >= ago(dt_lookBack)
    | extend CS_ipEntity = DestinationIP) on $left.TI_ipEntity == $right.CS_ipEntity
| summarize TimeGenerated = arg_max(TimeGenerated, *) by Id, CS_ipEntity
| project TimeGenerated, SourceIP, DestinationIP, DestinationPort, Confidence' examples/logs) ||
    fail "join query exited $?"
expected='TimeGenerated,SourceIP,DestinationIP,DestinationPort,Confidence
2026-06-14T06:00:02Z,10.20.0.15,80.76.49.194,56003,75'
[ "$(echo "$out" | tr -d '\r')" = "$expected" ] || fail "join rows: $out"
exit 0
