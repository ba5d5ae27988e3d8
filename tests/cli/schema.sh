#!/bin/sh
# foxhound schema: the table list, one table's columns in each format, and the errors.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

out=$("$FH_BIN" schema) || fail "schema exited $?"
echo "$out" | grep -q '^CommonSecurityLog  *164  CEF syslog' || fail "table list: $out"
echo "$out" | grep -q '^DeviceProcessEvents  *63 ' || fail "table list lacks DeviceProcessEvents"

out=$("$FH_BIN" schema CommonSecurityLog) || fail "schema CommonSecurityLog exited $?"
first=$(echo "$out" | sed -n 2p)
[ "$first" = "TimeGenerated                    datetime" ] || fail "first column row: '$first'"
[ "$(echo "$out" | wc -l)" -eq 165 ] || fail "expected a header and 164 rows"

out=$("$FH_BIN" schema --format csv DeviceNetworkEvents) || fail "csv exited $?"
[ "$(echo "$out" | sed -n 1p)" = "column,type" ] || fail "csv header"
echo "$out" | grep -qx 'RemotePort,int' || fail "csv lacks RemotePort,int"
echo "$out" | grep -qx 'AdditionalFields,dynamic' || fail "csv lacks AdditionalFields,dynamic"

out=$("$FH_BIN" schema -f json DeviceFileEvents | sed -n 1p) || fail "json exited $?"
[ "$out" = '{"column":"Timestamp","type":"datetime"}' ] || fail "json first line: $out"

err=$("$FH_BIN" schema NoSuchTable 2>&1 >/dev/null)
rc=$?
[ $rc -eq 2 ] || fail "unknown table exited $rc, expected 2"
echo "$err" | grep -q "table 'NoSuchTable' not found; built-in tables: CommonSecurityLog, " ||
    fail "unknown table message: $err"

"$FH_BIN" schema --format xml >/dev/null 2>&1
[ $? -eq 2 ] || fail "invalid --format should exit 2"
"$FH_BIN" schema --help | grep -q '^Usage: foxhound schema' || fail "help text"
echo "schema CLI: ok"

out=$("$FH_BIN" schema) || fail "schema exited $?"
echo "$out" | grep -q '^ThreatIntelligenceIndicator  *64  the indicator database' ||
    fail "table list lacks ThreatIntelligenceIndicator: $out"
"$FH_BIN" schema ThreatIntelligenceIndicator | grep -q "^NetworkIP  *string$" ||
    fail "ThreatIntelligenceIndicator lacks NetworkIP"
err=$("$FH_BIN" schema commonsecuritylog 2>&1 >/dev/null)
echo "$err" | grep -q "did you mean 'CommonSecurityLog'? Table names are case-sensitive" ||
    fail "case hint: $err"
