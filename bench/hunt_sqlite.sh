#!/bin/sh
# Runs the indicator hunt with the sqlite3 command-line shell, as a comparison for foxhound:
# loads the CSV copies of the logs that bench/gen_logs.py writes and a typed value list from
# bench/gen_iocs.py into an in-memory database, then writes one "table,line" row per matching
# record. The matching follows the KQL that `foxhound hunt` generates (see bench/hunt_pandas.py
# for the rules). A row's rowid is its position in the CSV, which equals its log line number.
#
# Usage: bench/hunt_sqlite.sh DATA_FOLDER IOCS_TSV FINDINGS_OUT
set -eu

data=$1
iocs=$2
out=$3

# host and parents: the expression for a lowercase host, then one and two labels up.
parents() {
    echo "$1 IN ioc_domain OR substr($1, instr($1, '.') + 1) IN ioc_domain OR
      substr(substr($1, instr($1, '.') + 1), instr(substr($1, instr($1, '.') + 1), '.') + 1)
      IN ioc_domain"
}

sqlite3 :memory: <<EOF
.bail on
.import --csv '$data/firewall.csv' firewall
.import --csv '$data/network.csv' network
.import --csv '$data/file.csv' file
.mode tabs
.import '$iocs' ioc
CREATE TABLE ioc_ip AS SELECT value FROM ioc WHERE kind = 'ip';
CREATE TABLE ioc_domain AS SELECT value FROM ioc WHERE kind = 'domain';
CREATE TABLE ioc_url AS SELECT value FROM ioc WHERE kind = 'url';
CREATE TABLE ioc_hash AS SELECT value FROM ioc WHERE kind = 'hash';
.mode csv
.output '$out'
WITH f AS (
  SELECT rowid AS line, SourceIP, DestinationIP, lower(DestinationHostName) AS host,
         lower(RequestURL) AS url
  FROM firewall),
u AS (
  SELECT *, CASE WHEN instr(url, '://') > 0 THEN substr(url, instr(url, '://') + 3) ELSE url
            END AS rest
  FROM f),
h AS (
  SELECT *, CASE WHEN instr(rest, '/') > 0 THEN substr(rest, 1, instr(rest, '/') - 1)
            ELSE rest END AS url_host
  FROM u)
SELECT 'CommonSecurityLog', line FROM h
WHERE DestinationIP IN ioc_ip OR SourceIP IN ioc_ip OR url IN ioc_url
   OR $(parents host) OR $(parents url_host)
ORDER BY line;
WITH f AS (
  SELECT rowid AS line, RemoteIP, lower(RemoteUrl) AS url FROM network),
u AS (
  SELECT *, CASE WHEN instr(url, '://') > 0 THEN substr(url, instr(url, '://') + 3) ELSE url
            END AS rest
  FROM f),
h AS (
  SELECT *, CASE WHEN instr(rest, '/') > 0 THEN substr(rest, 1, instr(rest, '/') - 1)
            ELSE rest END AS url_host
  FROM u)
SELECT 'DeviceNetworkEvents', line FROM h
WHERE RemoteIP IN ioc_ip OR url IN ioc_url OR $(parents url_host)
ORDER BY line;
SELECT 'DeviceFileEvents', rowid FROM file
WHERE lower(SHA256) IN ioc_hash OR lower(SHA1) IN ioc_hash OR lower(MD5) IN ioc_hash
ORDER BY rowid;
EOF
