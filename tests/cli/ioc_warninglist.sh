# Flags through ioc import of a ThreatFox feed: a documentation range, a hostname warninglist,
# the counts in stats, an --unflagged blocklist export, and a flag kept across re-imports.
. "$FH_SOURCE_DIR/tests/cli/lib/ioc_common.sh"

cat >feed.csv <<'CSV'
# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"
"2026-06-11 08:00:00", "1600001", "80.76.49.194:56001", "ip:port", "botnet_cc", "win.purerat", "None", "PureRAT", "None", "75", "False", "None", "None", "0", "analyst"
"2026-06-12 14:20:00", "1600002", "192.0.2.44:8080", "ip:port", "botnet_cc", "win.purerat", "None", "PureRAT", "None", "50", "False", "None", "None", "0", "analyst"
"2026-06-12 14:21:00", "1600003", "cdn.example.net", "domain", "payload_delivery", "win.purerat", "None", "PureRAT", "None", "50", "False", "None", "None", "0", "analyst"
"2026-06-12 14:22:00", "1600004", "c2.purerat.example", "domain", "botnet_cc", "win.purerat", "None", "PureRAT", "None", "90", "False", "None", "None", "0", "analyst"
CSV
cat >cdn-list.json <<'JSON'
{"name": "Example CDN hostnames", "version": 1, "description": "Shared hosting that appears in feeds", "type": "hostname", "list": ["example.net"]}
JSON

run 0 ioc import --warninglist cdn-list.json feed.csv
contains out.txt 'cdn-list.json: warninglist "Example CDN hostnames": 1 entry'
contains out.txt "feed.csv: threatfox-csv: 4 accepted, 0 merged duplicates, 2 flagged, 0 rejected"

run 0 ioc list --flagged
[ "$(wc -l <out.txt)" -eq 3 ] || fail "expected a header and 2 flagged rows: $(cat out.txt)"
contains out.txt "$(printf 'domain\tcdn.example.net\t')"
contains out.txt "warninglist: Example CDN hostnames"
contains out.txt "$(printf 'ip:port\t192.0.2.44:8080\t')"
contains out.txt "192.0.2.0/24"

run 0 ioc stats
contains out.txt "Indicators: 4 (2 flagged as likely false positives)"

# A blocklist export leaves the flagged values out when asked to.
run 0 ioc export --format zeek --unflagged
contains out.txt "$(printf '80.76.49.194\tIntel::ADDR\t')"
contains out.txt "$(printf 'c2.purerat.example\tIntel::DOMAIN\t')"
lacks out.txt "192.0.2.44"
lacks out.txt "cdn.example.net"

# A flag stays when a later import brings the value without one.
run 0 ioc import feed.csv
contains out.txt "0 accepted, 4 merged duplicates, 2 flagged"
run 0 ioc list --flagged --type domain
contains out.txt "warninglist: Example CDN hostnames"

run 3 ioc import --warninglist missing.json feed.csv
contains err.txt "missing.json"
