# foxhound ioc import, list and stats on the public ThreatFox files and the PureRAT rule page:
# per-file counts, idempotent re-import, merged families, filters.
. "$FH_SOURCE_DIR/tests/cli/lib/ioc_common.sh"
need_shared
rulepage="$FH_SHARED_DIR/seed/threatfox-purerat-sentinel-rule.txt"

# The CSV holds 72 domains; the export 500 records of which 4 repeat a domain.
run 0 ioc import "$threatfox/cti-psi_threatfox_recent_csv_first72.csv" \
    "$threatfox/v3nom-intel_threatfox_export_json_recent_first500.json" "$rulepage"
contains out.txt "cti-psi_threatfox_recent_csv_first72.csv: threatfox-csv: 72 accepted, 0 merged duplicates, 0 flagged, 0 rejected"
contains out.txt "v3nom-intel_threatfox_export_json_recent_first500.json: threatfox-json: 496 accepted, 4 merged duplicates, 0 flagged, 0 rejected"
contains out.txt "threatfox-purerat-sentinel-rule.txt: rulepage: 6 accepted, 0 merged duplicates"
[ -s err.txt ] && fail "import wrote to stderr: $(cat err.txt)"

run 0 ioc export --format json
cp out.txt first-export.json

# Importing the same files again changes nothing: every value is a merged duplicate.
run 0 ioc import "$threatfox/cti-psi_threatfox_recent_csv_first72.csv" "$rulepage"
contains out.txt "threatfox-csv: 0 accepted, 72 merged duplicates"
contains out.txt "rulepage: 0 accepted, 6 merged duplicates"
run 0 ioc export --format json
cmp -s out.txt first-export.json || fail "re-import changed the database"

run 0 ioc stats
contains out.txt "Indicators: 574 (0 flagged as likely false positives)"
contains out.txt "ip:port    75"
contains out.txt "domain     218"
# The rule page's six PureRAT values and one ThreatFox sample (md5, sha1, sha256).
grep -E '^PureRAT +9 +ip:port, md5, sha1, sha256$' out.txt >/dev/null ||
    fail "PureRAT summary line missing: $(grep PureRAT out.txt)"
grep -E '^ClearFake +208 +domain, sha256$' out.txt >/dev/null ||
    fail "ClearFake summary line missing: $(grep ClearFake out.txt)"

run 0 ioc stats --family purerat --format json
contains out.txt '"total":9,'
contains out.txt '"families":[{"family":"PureRAT","total":9,"types":{"ip:port":3,"md5":1,"sha1":1,"sha256":4}}]'

# Not a terminal: TAB-separated rows under one header.
run 0 ioc list --family PureRAT --type ip:port
[ "$(wc -l <out.txt)" -eq 4 ] || fail "expected a header and 3 rows: $(cat out.txt)"
contains out.txt "$(printf 'ip:port\t80.76.49.194:56001\tPureRAT\tbotnet_cc\t75\t2026-06-11T00:00:00Z\t-\t-')"

run 0 ioc list --type sha256 --min-confidence 90 --since 2026-07-24 --format csv
contains out.txt "sha256,5f2979cd7d8192bb50266546557be153907b952d73f911122655c79c9ba73591,,,PureRAT,"
lacks out.txt "7e49b00bef718eb7e3645d8705e6521b011f66d10f06201e209a8a0511abc81a"

run 0 ioc list --family purerat --type md5 --format json
[ "$(wc -l <out.txt)" -eq 1 ] || fail "expected one JSON line: $(cat out.txt)"
contains out.txt '"value":"13aa55915fe8418214edc3f57138e29e"'
contains out.txt '"confidence":95'
