# foxhound ioc export: each format from a feed the test writes, formula escaping in CSV, and
# an output file that a failed export leaves untouched.
. "$FH_SOURCE_DIR/tests/cli/lib/ioc_common.sh"

# A ThreatFox CSV export with a malware name and a tag that a spreadsheet would run.
cat >feed.csv <<'CSV'
# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"
"2026-06-11 08:00:00", "1600001", "80[.]76[.]49[.]194:56001", "ip:port", "botnet_cc", "win.purerat", "None", "PureRAT", "None", "75", "False", "None", "=HYPERLINK(""http://x"")", "0", "analyst"
"2026-06-11 08:00:00", "1600002", "80.76.49.194:56002", "ip:port", "botnet_cc", "win.purerat", "None", "PureRAT", "2026-06-20 00:00:00", "75", "False", "None", "PureRAT", "0", "@reporter"
"2026-06-12 09:30:00", "1600003", "hxxps://c2[.]example[.]net/gate.php", "url", "botnet_cc", "win.other", "None", "+Other", "None", "50", "False", "https://example.org/report", "None", "0", "analyst"
CSV
run 0 ioc import feed.csv
contains out.txt "feed.csv: threatfox-csv: 3 accepted, 0 merged duplicates, 0 flagged, 0 rejected"

run 0 ioc export --format csv
contains out.txt 'type,value,address,port,family,aliases,threat_type,confidence,first_seen,last_seen,tags,reference,reporter,description,sources,flag,created,modified'
contains out.txt ",\"'=HYPERLINK(\"\"http://x\"\")\","
contains out.txt ",\"'@reporter\","
contains out.txt ",\"'+Other\","
contains out.txt 'ip:port,80.76.49.194:56002,80.76.49.194,56002,PureRAT,'
contains out.txt ',botnet_cc,75,2026-06-11T08:00:00Z,2026-06-20T00:00:00Z,PureRAT,' 

run 0 ioc export --format zeek
contains out.txt "$(printf '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url')"
contains out.txt "$(printf '80.76.49.194\tIntel::ADDR\tthreatfox\tPureRAT botnet_cc conf=75 port=56001,56002\thttps://threatfox.abuse.ch/ioc/1600001/')"
contains out.txt "$(printf 'c2.example.net/gate.php\tIntel::URL\tthreatfox\t+Other botnet_cc conf=50\thttps://example.org/report')"

run 0 ioc export --format stix -o bundle.json
contains err.txt "exported 3 indicators as stix to bundle.json"
contains bundle.json "\"pattern\":\"[url:value = 'https://c2.example.net/gate.php']\""
contains bundle.json "\"valid_from\":\"2026-06-11T08:00:00.000Z\""
contains bundle.json "\"created\":\"2026-12-01T10:00:00.000Z\""
# The same database exports the same bundle, ids included.
run 0 ioc export --format stix
cmp -s out.txt bundle.json || fail "a second STIX export differs"

run 0 ioc export --format json --type url
[ "$(wc -l <out.txt)" -eq 1 ] || fail "expected one JSON line: $(cat out.txt)"
contains out.txt '"sources":[{"feed":"threatfox","id":"1600003"}]'

# An export that cannot be written reports the file and leaves no partial output behind.
mkdir locked.json
run 3 ioc export --format csv -o locked.json
contains err.txt "locked.json"
[ -d locked.json ] || fail "the folder in the way was replaced"
[ ! -e locked.json.tmp ] || fail "a partial export was left behind"

# Control characters from a feed reach the terminal only as escapes.
printf '"2026-06-13 10:00:00", "1600004", "evil.example.org", "domain", "payload_delivery", "js.x", "None", "Bad\033[31mName", "None", "60", "False", "None", "None", "0", "analyst"\n' >escape.csv
run 0 ioc import --format threatfox-csv escape.csv
run 0 ioc list --type domain
contains out.txt 'Bad\x1b[31mName'
if grep -q "$(printf '\033')" out.txt; then
    fail "ioc list wrote a raw escape character"
fi

# On a terminal the table is aligned with spaces instead of TABs.
if command -v script >/dev/null 2>&1; then
    script -qc "\"$FH_BIN\" ioc list --type ip:port" /dev/null | tr -d '\r' >tty.txt
    contains tty.txt "TYPE     VALUE               FAMILY   THREAT TYPE  CONFIDENCE  FIRST SEEN            LAST SEEN             FLAG"
    contains tty.txt "ip:port  80.76.49.194:56002  PureRAT  botnet_cc    75          2026-06-11T08:00:00Z  2026-06-20T00:00:00Z  -"
fi

# A STIX export imports back with the same values, types, confidences and first-seen times.
run 0 ioc export --format stix -o roundtrip.json
run 0 ioc import --db roundtrip.db roundtrip.json
contains out.txt "roundtrip.json: stix: 4 accepted, 0 merged duplicates"
run 0 ioc list --format csv
cut -d, -f1,2,8,9 out.txt >original.csv
run 0 ioc list --db roundtrip.db --format csv
cut -d, -f1,2,8,9 out.txt >reimported.csv
cmp -s original.csv reimported.csv || fail "STIX round trip differs: $(diff original.csv reimported.csv)"
