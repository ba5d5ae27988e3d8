#!/usr/bin/env python3
"""Generate firewall CEF syslog lines for benchmarks.

The lines imitate traffic logs in the style of three firewall families: Palo Alto, FortiGate
and Check Point. Each has an RFC 3164 syslog header. The extensions carry addresses, ports,
NAT, byte counts, rule names in custom strings, epoch-millisecond rt, user names and URLs with
query strings. Vendor keys without a CommonSecurityLog column land in AdditionalExtensions.
Output is deterministic for a given seed and size.

Planted hits: with --plant-ip, every --plant-every-th line gets that destination address (and
port when given), so that a hunt over the output has a known number of findings. The count
is printed on stderr.

Uses only the Python standard library.
"""

import argparse
import random
import sys
import time

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

APPS = ["ssl", "web-browsing", "dns", "ms-rdp", "ssh", "smtp", "ntp", "ldap", "kerberos", "smb"]
ACTIONS = ["allow", "allow", "allow", "allow", "deny", "drop", "reset-both"]
RULES = ["Allow-Outbound-Web", "Block-Known-Bad", "DMZ-to-Internet", "Users-to-DNS",
         "Default-Deny", "VPN-Users", "Servers-Backup"]
ZONES = ["trust", "untrust", "dmz", "vpn", "guest"]
USERS = ["alice", "bob", "carol", "dave", "svc_backup", "svc_sql", "erin", "frank"]
DOMAINS = ["corp.example.com", "example.net", "cdn.example.org", "mail.example.com",
           "updates.example.com", "api.example.io"]
PATHS = ["/", "/index.html", "/api/v1/items?id=42&sort=asc", "/login?next=%2Fhome",
         "/static/app.js", "/download/setup.exe", "/search?q=report+2024"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0 Safari/537.36",
          "curl/8.4.0", "Microsoft-CryptoAPI/10.0", "python-requests/2.31"]
HOSTS = ["fw-edge-01", "fw-edge-02", "fgt-branch-07", "cp-gw-dc1"]


def private_ip(rng):
    return "10.%d.%d.%d" % (rng.randrange(0, 64), rng.randrange(256), rng.randrange(1, 255))


def public_ip(rng):
    # Documentation and benchmark ranges only, so that no real address appears.
    prefix = rng.choice(["198.18", "198.19", "203.0.113", "198.51.100", "192.0.2"])
    if prefix.count(".") == 1:
        return "%s.%d.%d" % (prefix, rng.randrange(256), rng.randrange(1, 255))
    return "%s.%d" % (prefix, rng.randrange(1, 255))


def syslog_header(rng, when, host):
    tm = time.gmtime(when)
    return "<%d>%s %2d %02d:%02d:%02d %s " % (
        rng.choice([134, 133, 132, 14]), MONTHS[tm.tm_mon - 1], tm.tm_mday,
        tm.tm_hour, tm.tm_min, tm.tm_sec, host)


def palo_alto(rng, when_ms, src, dst, dport):
    action = rng.choice(ACTIONS)
    return ("CEF:0|Palo Alto Networks|PAN-OS|10.2.4|%s|TRAFFIC|%d|rt=%d deviceExternalId=0123456789%02d "
            "src=%s dst=%s sourceTranslatedAddress=%s destinationTranslatedAddress=%s "
            "cs1Label=Rule cs1=%s suser=corp\\\\%s duser= app=%s cs3Label=Virtual System cs3=vsys1 "
            "cs4Label=Source Zone cs4=%s cs5Label=Destination Zone cs5=%s "
            "deviceInboundInterface=ethernet1/2 deviceOutboundInterface=ethernet1/1 "
            "cs6Label=LogProfile cs6=default cn1Label=SessionID cn1=%d cnt=1 spt=%d dpt=%d "
            "sourceTranslatedPort=%d destinationTranslatedPort=%d proto=%s act=%s "
            "in=%d out=%d PanOSPackets=%d PanOSSessionDuration=%d cat=%s "
            "PanOSRuleUUID=%08x-1b2c-4d5e-8f90-%012x"
            % (rng.choice(["end", "start", "deny"]), rng.choice([1, 3, 5]), when_ms,
               rng.randrange(100), src, dst, public_ip(rng), dst, rng.choice(RULES),
               rng.choice(USERS), rng.choice(APPS), rng.choice(ZONES), rng.choice(ZONES),
               rng.randrange(1, 4000000), rng.randrange(1024, 65535), dport,
               rng.randrange(1024, 65535), dport, rng.choice(["TCP", "UDP"]), action,
               rng.randrange(40, 2000000), rng.randrange(40, 9000000), rng.randrange(1, 5000),
               rng.randrange(0, 3600), rng.choice(["any", "computer-and-internet-info",
                                                    "business-and-economy", "malware"]),
               rng.randrange(1 << 32), rng.randrange(1 << 48)))


def fortigate(rng, when_ms, src, dst, dport):
    domain = rng.choice(DOMAINS)
    return ("CEF:0|Fortinet|Fortigate|v7.2.5|00013|traffic:forward %s|3|deviceExternalId=FG100F%07d "
            "FTNTFGTlogid=0000000013 cat=traffic:forward FTNTFGTsubtype=forward FTNTFGTlevel=notice "
            "FTNTFGTvd=root FTNTFGTeventtime=%d000000 FTNTFGTtz=+0000 src=%s shost=%s spt=%d "
            "deviceInboundInterface=port2 FTNTFGTsrcintfrole=lan dst=%s dpt=%d "
            "deviceOutboundInterface=wan1 FTNTFGTdstintfrole=wan FTNTFGTsessionid=%d proto=6 "
            "act=%s FTNTFGTpolicyid=%d FTNTFGTpolicytype=policy FTNTFGTpoluuid=%08x-aaaa-bbbb-cccc-%012x "
            "FTNTFGTservice=HTTPS FTNTFGTdstcountry=Reserved FTNTFGTtrandisp=snat "
            "sourceTranslatedAddress=%s sourceTranslatedPort=%d FTNTFGTduration=%d out=%d in=%d "
            "FTNTFGTsentpkt=%d FTNTFGTrcvdpkt=%d FTNTFGTappcat=unscanned dhost=%s "
            "request=https://%s%s requestClientApplication=%s"
            % (rng.choice(["accept", "close", "deny"]), rng.randrange(10000000), when_ms, src,
               "ws-%04d.corp.example.com" % rng.randrange(10000), rng.randrange(1024, 65535), dst,
               dport, rng.randrange(1, 90000000), rng.choice(["accept", "close", "deny"]),
               rng.randrange(1, 300), rng.randrange(1 << 32), rng.randrange(1 << 48),
               public_ip(rng), rng.randrange(1024, 65535), rng.randrange(0, 900),
               rng.randrange(40, 900000), rng.randrange(40, 9000000), rng.randrange(1, 900),
               rng.randrange(1, 9000), domain, domain, rng.choice(PATHS), rng.choice(AGENTS)))


def check_point(rng, when_ms, src, dst, dport):
    return ("CEF:0|Check Point|VPN-1 & FireWall-1|Check Point|%s|%s|Unknown|act=%s "
            "cs2Label=Rule Name cs2=%s cs3Label=Rule UID cs3={%08X-1234-5678-9ABC-%012X} "
            "deviceDirection=%d rt=%d spt=%d dpt=%d src=%s dst=%s proto=%s "
            "deviceInboundInterface=eth1 ifname=eth1 layer_name=Network "
            "layer_uuid=%08x-0000-4000-8000-%012x match_id=%d parent_rule=0 "
            "rule_action=%s origin_sic_name=CN\\=%s,O\\=mgmt.corp.example.com.abc123 "
            "product=VPN-1 & FireWall-1 service_id=%s msg=%s"
            % (rng.choice(["Accept", "Drop", "Reject"]), rng.choice(["Accept", "Drop", "Log"]),
               rng.choice(["Accept", "Drop", "Reject"]), rng.choice(RULES),
               rng.randrange(1 << 32), rng.randrange(1 << 48), rng.randrange(2), when_ms,
               rng.randrange(1024, 65535), dport, src, dst, rng.choice(["6", "17"]),
               rng.randrange(1 << 32), rng.randrange(1 << 48), rng.randrange(1, 400),
               rng.choice(["Accept", "Drop"]), rng.choice(HOSTS), rng.choice(["https", "http",
                                                                              "domain-udp"]),
               rng.choice(["Connection accepted", "Packet dropped by policy",
                           "TCP packet out of state: first packet isn't SYN"])))


VENDORS = [palo_alto, palo_alto, fortigate, check_point]


def parse_plant(text):
    if text is None:
        return None, None
    if text.count(":") == 1:
        ip, port = text.split(":")
        return ip, int(port)
    return text, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--size-mb", type=float, required=True,
                        help="stop after this many MiB have been written")
    parser.add_argument("--start", type=int, default=1717200000,
                        help="time of the first line, in Unix seconds (default 2024-06-01)")
    parser.add_argument("--plant-ip", help="destination IP[:PORT] to plant as known hits")
    parser.add_argument("--plant-every", type=int, default=100000,
                        help="plant the hit in every Nth line (default 100000)")
    parser.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    plant_ip, plant_port = parse_plant(args.plant_ip)
    limit = int(args.size_mb * 1024 * 1024)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="ascii")

    written = 0
    lines = 0
    planted = 0
    when = float(args.start)
    chunk = []
    while written < limit:
        when += rng.random() * 0.05
        src = private_ip(rng)
        dst = public_ip(rng)
        dport = rng.choice([443, 443, 443, 80, 53, 22, 3389, 8443, 25, 123])
        if plant_ip is not None and lines % args.plant_every == args.plant_every - 1:
            dst = plant_ip
            dport = plant_port if plant_port is not None else dport
            planted += 1
        body = rng.choice(VENDORS)(rng, int(when * 1000), src, dst, dport)
        line = syslog_header(rng, int(when), rng.choice(HOSTS)) + body + "\n"
        chunk.append(line)
        written += len(line)
        lines += 1
        if len(chunk) >= 4096:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    if out is not sys.stdout:
        out.close()
    print("gen_cef: %d lines, %d bytes, %d planted hits" % (lines, written, planted),
          file=sys.stderr)


if __name__ == "__main__":
    main()
