#!/usr/bin/env python3
"""Run the indicator hunt with pandas, as a comparison for foxhound.

Reads the CSV copies that bench/gen_logs.py writes (firewall.csv, network.csv, file.csv) and a
typed value list from bench/gen_iocs.py (NAME.tsv), and writes one "table,line" row per
matching record. The matching follows the KQL that `foxhound hunt` generates: an address in
the address columns, a URL equal to an indicator URL ignoring case, a host name (or the host of
a URL) equal to an indicator domain or a subdomain of it up to two labels deeper, and a
file hash in SHA256, SHA1 or MD5 ignoring case. Line numbers count data rows from 1, so they
equal the line numbers of the log files.

Needs pandas (Debian package python3-pandas).
"""

import argparse
import os

import pandas as pd


def read_table(path, columns):
    return pd.read_csv(path, usecols=columns, dtype=str, keep_default_na=False)


def parents(hosts):
    """Returns the host and its parents one and two labels up, as three Series."""
    up1 = hosts.str.split(".", n=1).str[1].fillna("")
    up2 = up1.str.split(".", n=1).str[1].fillna("")
    return hosts, up1, up2


def domain_match(hosts, domains):
    match = pd.Series(False, index=hosts.index)
    for level in parents(hosts):
        match |= level.isin(domains)
    return match


def url_host(urls):
    """The host of a URL, or the text before the first '/' when there is no scheme."""
    has_scheme = urls.str.contains("://", regex=False)
    rest = urls.where(~has_scheme, urls.str.split("://", n=1).str[1].fillna(""))
    return rest.str.split("/", n=1).str[0]


def hunt_firewall(path, iocs):
    df = read_table(path, ["SourceIP", "DestinationIP", "DestinationHostName", "RequestURL"])
    url = df["RequestURL"].str.lower()
    match = df["DestinationIP"].isin(iocs["ip"]) | df["SourceIP"].isin(iocs["ip"])
    match |= url.isin(iocs["url"])
    match |= domain_match(df["DestinationHostName"].str.lower(), iocs["domain"])
    match |= domain_match(url_host(url), iocs["domain"])
    return match


def hunt_network(path, iocs):
    df = read_table(path, ["RemoteIP", "RemoteUrl"])
    url = df["RemoteUrl"].str.lower()
    match = df["RemoteIP"].isin(iocs["ip"]) | url.isin(iocs["url"])
    match |= domain_match(url_host(url), iocs["domain"])
    return match


def hunt_file(path, iocs):
    df = read_table(path, ["SHA256", "SHA1", "MD5"])
    match = pd.Series(False, index=df.index)
    for column in ("SHA256", "SHA1", "MD5"):
        match |= df[column].str.lower().isin(iocs["hash"])
    return match


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iocs", required=True, help="typed value list (NAME.tsv)")
    parser.add_argument("--data", required=True, help="folder with the CSV copies of the logs")
    parser.add_argument("-o", "--output", required=True, help="findings file to write")
    args = parser.parse_args()

    values = pd.read_csv(args.iocs, sep="\t", dtype=str, keep_default_na=False)
    iocs = {kind: set(values.loc[values["kind"] == kind, "value"])
            for kind in ("ip", "domain", "url", "hash")}
    hunts = [("CommonSecurityLog", "firewall.csv", hunt_firewall),
             ("DeviceNetworkEvents", "network.csv", hunt_network),
             ("DeviceFileEvents", "file.csv", hunt_file)]
    with open(args.output, "w", encoding="ascii") as out:
        for table, name, hunt in hunts:
            match = hunt(os.path.join(args.data, name), iocs)
            for line in match[match].index:
                out.write("%s,%d\n" % (table, line + 1))


if __name__ == "__main__":
    main()
