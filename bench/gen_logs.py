#!/usr/bin/env python3
"""Generate security logs with planted indicator hits for benchmarks.

Writes three log files into a folder, each with a CSV copy of the columns a hunt reads and
returns (for loading into SQLite or pandas):

  firewall.cef     CEF syslog from Palo Alto, FortiGate and Check Point style firewalls
                   (CommonSecurityLog), in the shapes of bench/gen_cef.py
  network.json     Defender DeviceNetworkEvents as streaming-API JSON lines
                   ({"category": "AdvancedHunting-DeviceNetworkEvents", "properties": {...}})
  file.json        Defender DeviceFileEvents in the same shape

Hits come from the indicator sets that bench/gen_iocs.py writes (iocs_six, iocs_10k and
iocs_large, nested). Every --hit-every-th record carries one indicator value in a column the
hunt matches. The indicators cycle through three tiers (the six PureRAT values, the rest of the
10,000 and the rest of the large set), so a hunt with each set has a known number of findings.
Every --decoy-every-th record instead carries an indicator value where a hunt must not match:
a firewall NAT address, a longer domain that ends in an indicator domain ("x" + domain), a
link whose query string contains an indicator URL, a process command line, or the hash of the
process that wrote a file. Substring tools such as
grep report decoys, and a hunt does not.

planted.csv lists every hit and decoy: file, line, table, column, value, tier, kind.

Background values never equal an indicator: addresses come from 10.0.0.0/10 and documentation
ranges, domains end in example.com/.net/.org/.io, and hashes are random. Output is deterministic
for a given seed and sizes.

Uses only the Python standard library.
"""

import argparse
import csv
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_cef  # noqa: E402  (shares the firewall vocabulary and helpers)

TIERS = ["six", "10k", "large"]
# A URL decoy is the indicator URL inside the query string of another site's link.
REDIRECT = "https://redirect.example.com/out?u="
NETWORK_TYPES = ("ip:port", "domain", "url")
HASH_TYPES = ("sha256_hash", "sha1_hash", "md5_hash")

CEF_CSV_COLUMNS = ["TimeGenerated", "Computer", "DeviceVendor", "DeviceProduct", "Activity",
                   "SourceIP", "DestinationIP", "DestinationPort",
                   "DestinationHostName", "RequestURL", "DeviceAction"]
NETWORK_CSV_COLUMNS = ["Timestamp", "DeviceName", "ActionType", "RemoteIP", "RemotePort",
                       "RemoteUrl", "LocalIP", "LocalPort", "InitiatingProcessFileName",
                       "InitiatingProcessCommandLine"]
FILE_CSV_COLUMNS = ["Timestamp", "DeviceName", "ActionType", "FileName", "FolderPath", "SHA256",
                    "SHA1", "MD5", "InitiatingProcessFileName", "InitiatingProcessSHA256"]

DEVICES = ["ws-%04d.corp.example.com" % i for i in range(0, 400, 7)] + \
    ["srv-sql-01.corp.example.com", "srv-file-02.corp.example.com", "dc01.corp.example.com"]
DEVICE_IDS = {name: "%040x" % (0x5eed << 100 | i) for i, name in enumerate(DEVICES)}
NETWORK_ACTIONS = ["ConnectionSuccess"] * 6 + ["ConnectionFailed", "ConnectionRequest",
                                               "InboundConnectionAccepted"]
FILE_ACTIONS = ["FileCreated"] * 4 + ["FileModified"] * 3 + ["FileRenamed", "FileDeleted"]
FOLDERS = ["C:\\Users\\%s\\Downloads\\", "C:\\Users\\%s\\AppData\\Local\\Temp\\",
           "C:\\Users\\%s\\AppData\\Roaming\\Microsoft\\Windows\\Recent\\",
           "C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\",
           "C:\\Windows\\Temp\\", "C:\\Windows\\SoftwareDistribution\\Download\\"]
FILE_NAMES = ["invoice_%d.pdf", "report_%d.xlsx", "setup_%d.msi", "update_%d.exe", "~tmp%d.tmp",
              "chrome_%d.log", "backup_%d.zip", "notes_%d.docx"]


class Process:
    """An initiating process with fixed image hashes, as Defender reports it."""

    def __init__(self, rng, name, folder, command):
        self.name = name
        self.folder = folder + name
        self.command = command
        self.sha256 = "%064x" % rng.getrandbits(256)
        self.sha1 = "%040x" % rng.getrandbits(160)
        self.md5 = "%032x" % rng.getrandbits(128)
        self.size = rng.randrange(100000, 5000000)


def make_processes(rng):
    system = "C:\\Windows\\System32\\"
    return [
        Process(rng, "chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\",
                '"chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService'),
        Process(rng, "msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\",
                '"msedge.exe" --single-argument'),
        Process(rng, "svchost.exe", system, "svchost.exe -k NetworkService -p -s Dnscache"),
        Process(rng, "powershell.exe", system + "WindowsPowerShell\\v1.0\\",
                '"powershell.exe" -NoProfile -ExecutionPolicy Bypass -File C:\\ops\\inventory.ps1'),
        Process(rng, "OneDrive.exe", "C:\\Program Files\\Microsoft OneDrive\\",
                '"OneDrive.exe" /background'),
        Process(rng, "Teams.exe", "C:\\Users\\alice\\AppData\\Local\\Microsoft\\Teams\\",
                '"Teams.exe" --system-initiated'),
        Process(rng, "MsMpEng.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\",
                "MsMpEng.exe"),
        Process(rng, "explorer.exe", "C:\\Windows\\", "C:\\Windows\\Explorer.EXE"),
        Process(rng, "rundll32.exe", system, "rundll32.exe shell32.dll,Control_RunDLL"),
        Process(rng, "outlook.exe", "C:\\Program Files\\Microsoft Office\\root\\Office16\\",
                '"OUTLOOK.EXE" /recycle'),
    ]


def load_tiers(folder):
    """Reads the nested indicator sets and returns {tier: {ioc_type: [values]}}."""
    tiers = {}
    earlier = set()
    for tier in TIERS:
        by_type = {}
        current = set()
        with open(os.path.join(folder, "iocs_%s.csv" % tier), encoding="ascii") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                fields = line.rstrip("\n")[1:-1].split('", "')
                value, ioc_type = fields[2], fields[3]
                current.add(value)
                if value not in earlier:
                    by_type.setdefault(ioc_type, []).append(value)
        earlier |= current
        tiers[tier] = by_type
    return tiers


class Planter:
    """Decides which records carry hits or decoys, and records them."""

    def __init__(self, rng, tiers, hit_every, decoy_every, writer):
        self.rng = rng
        self.tiers = tiers
        self.hit_every = hit_every
        self.decoy_every = decoy_every
        self.writer = writer
        self.turn = {"hit": 0, "decoy": 0}
        self.counts = {}
        self.all_domains = set()
        for by_type in tiers.values():
            self.all_domains.update(by_type.get("domain", []))

    def pick(self, index, types):
        """Returns (kind, tier, ioc_type, value) for record index, or None for background."""
        if index % self.hit_every == self.hit_every - 1:
            kind = "hit"
        elif index % self.decoy_every == self.decoy_every // 2:
            kind = "decoy"
        else:
            return None
        for _ in range(len(TIERS)):
            # Hits and decoys cycle through the tiers separately, so that each tier gets both.
            tier = TIERS[self.turn[kind] % len(TIERS)]
            self.turn[kind] += 1
            usable = [t for t in types if self.tiers[tier].get(t)]
            if usable:
                ioc_type = self.rng.choice(usable)
                value = self.pick_value(kind, self.tiers[tier][ioc_type], ioc_type)
                return kind, tier, ioc_type, value
        return None

    def pick_value(self, kind, values, ioc_type):
        """Picks a value whose planted record matches only that value's own indicator."""
        while True:
            value = self.rng.choice(values)
            if ioc_type == "domain" and kind == "decoy":
                # With two labels, the decoy's only parent is a top-level name.
                if value.count(".") == 1 and "x" + value not in self.all_domains:
                    return value
            elif ioc_type == "domain":
                # The planted host may get a "www." or "cdn." label in front.
                fronted = ("www." + value) in self.all_domains or ("cdn." + value) in self.all_domains
                if not fronted and not self.domain_match(value.split(".", 1)[1]):
                    return value
            elif ioc_type == "url" and kind == "hit":
                if not self.domain_match(url_host(value)):
                    return value
            else:
                return value

    def domain_match(self, host):
        """True when the host or one of its parents is a domain indicator of any tier."""
        labels = host.split(".")
        return any(".".join(labels[i:]) in self.all_domains for i in range(len(labels) - 1))

    def record(self, path, line, table, column, value, tier, kind):
        self.writer.writerow([os.path.basename(path), line, table, column, value, tier, kind])
        key = (os.path.basename(path), tier, kind)
        self.counts[key] = self.counts.get(key, 0) + 1


def iso_time(when):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(when)) + ".%07dZ" % (
        int((when % 1) * 1e7))


def url_host(url):
    rest = url.split("://", 1)[1]
    return rest.split("/", 1)[0]


def cef_escape(value):
    return value.replace("\\", "\\\\").replace("=", "\\=")


def fortigate_line(rng, when_ms, src, dst, dport, host, url, nat):
    """A FortiGate style record with a chosen destination host and request URL."""
    return ("CEF:0|Fortinet|Fortigate|v7.2.5|00013|traffic:forward close|3|"
            "deviceExternalId=FG100F%07d FTNTFGTlogid=0000000013 cat=traffic:forward "
            "FTNTFGTsubtype=forward FTNTFGTlevel=notice FTNTFGTvd=root FTNTFGTeventtime=%d000000 "
            "FTNTFGTtz=+0000 src=%s shost=ws-%04d.corp.example.com spt=%d "
            "deviceInboundInterface=port2 FTNTFGTsrcintfrole=lan dst=%s dpt=%d "
            "deviceOutboundInterface=wan1 FTNTFGTdstintfrole=wan FTNTFGTsessionid=%d proto=6 "
            "act=close FTNTFGTpolicyid=%d FTNTFGTpolicytype=policy FTNTFGTservice=HTTPS "
            "FTNTFGTdstcountry=Reserved FTNTFGTtrandisp=snat sourceTranslatedAddress=%s "
            "sourceTranslatedPort=%d FTNTFGTduration=%d out=%d in=%d FTNTFGTsentpkt=%d "
            "FTNTFGTrcvdpkt=%d FTNTFGTappcat=unscanned dhost=%s request=%s "
            "requestClientApplication=%s"
            % (rng.randrange(10000000), when_ms, src, rng.randrange(10000),
               rng.randrange(1024, 65535), dst, dport, rng.randrange(1, 90000000),
               rng.randrange(1, 300), nat, rng.randrange(1024, 65535), rng.randrange(0, 900),
               rng.randrange(40, 900000), rng.randrange(40, 9000000), rng.randrange(1, 900),
               rng.randrange(1, 9000), cef_escape(host), cef_escape(url),
               rng.choice(gen_cef.AGENTS)))


def cef_record(rng, when, plant):
    """Returns (line body, csv row, planted column) for one firewall record."""
    src = gen_cef.private_ip(rng)
    dst = gen_cef.public_ip(rng)
    dport = rng.choice([443, 443, 443, 80, 53, 22, 3389, 8443, 25, 123])
    domain = rng.choice(gen_cef.DOMAINS)
    host = domain
    url = "https://%s%s" % (domain, rng.choice(gen_cef.PATHS))
    nat = gen_cef.public_ip(rng)
    column = None
    fortigate = rng.random() < 0.25
    if plant is not None:
        kind, _, ioc_type, value = plant
        if ioc_type == "ip:port" and kind == "hit":
            address, port = value.rsplit(":", 1)
            if rng.random() < 0.8:
                dst, dport, column = address, int(port), "DestinationIP"
            else:
                src, column = address, "SourceIP"
        elif ioc_type == "ip:port":
            nat, column, fortigate = value.rsplit(":", 1)[0], "SourceTranslatedAddress", True
        elif ioc_type == "domain":
            host = ("x" + value) if kind == "decoy" else rng.choice(["", "www.", "cdn."]) + value
            url = "https://%s%s" % (host, rng.choice(gen_cef.PATHS))
            column, fortigate = "DestinationHostName", True
        else:
            url = (REDIRECT + value) if kind == "decoy" else value
            host = url_host(url)
            column, fortigate = "RequestURL", True
    ms = int(when * 1000)
    if fortigate:
        body = fortigate_line(rng, ms, src, dst, dport, host, url, nat)
        vendor, product, activity, action = "Fortinet", "Fortigate", "traffic:forward close", "close"
    else:
        maker = rng.choice([gen_cef.palo_alto, gen_cef.palo_alto, gen_cef.check_point])
        body = maker(rng, ms, src, dst, dport)
        header = body.split("|")
        vendor, product, activity = header[1], header[2], header[5]
        action = body.split(" act=", 1)[1].split(" ", 1)[0] if " act=" in body else ""
        host, url = "", ""
    row = [iso_time(when), "", vendor, product, activity, src, dst, str(dport), host, url,
           action]
    return body, row, column


def write_cef(path, csv_path, size_bytes, rng, planter, start):
    table = "CommonSecurityLog"
    written = lines = 0
    when = float(start)
    with open(path, "w", encoding="ascii") as out, \
            open(csv_path, "w", encoding="ascii", newline="") as csv_file:
        rows = csv.writer(csv_file, lineterminator="\n")
        rows.writerow(CEF_CSV_COLUMNS)
        chunk = []
        while written < size_bytes:
            when += rng.random() * 0.05
            plant = planter.pick(lines, NETWORK_TYPES)
            body, row, column = cef_record(rng, when, plant)
            computer = rng.choice(gen_cef.HOSTS)
            line = gen_cef.syslog_header(rng, int(when), computer) + body + "\n"
            row[1] = computer
            chunk.append(line)
            rows.writerow(row)
            written += len(line)
            lines += 1
            if plant is not None and column is not None:
                kind, tier, _, value = plant
                planter.record(path, lines, table, column, value, tier, kind)
            if len(chunk) >= 4096:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    return lines, written


def defender_lead(when, device, action):
    return {"Timestamp": iso_time(when), "DeviceId": DEVICE_IDS[device], "DeviceName": device,
            "ActionType": action}


def initiating(props, proc, rng, when, account):
    props.update({
        "InitiatingProcessSHA1": proc.sha1, "InitiatingProcessSHA256": proc.sha256,
        "InitiatingProcessMD5": proc.md5, "InitiatingProcessFileName": proc.name,
        "InitiatingProcessFileSize": proc.size, "InitiatingProcessId": rng.randrange(100, 60000),
        "InitiatingProcessCommandLine": proc.command,
        "InitiatingProcessCreationTime": iso_time(when - rng.randrange(60, 86400)),
        "InitiatingProcessFolderPath": proc.folder.lower(),
        "InitiatingProcessParentFileName": rng.choice(["explorer.exe", "services.exe",
                                                       "svchost.exe", "userinit.exe"]),
        "InitiatingProcessParentId": rng.randrange(100, 60000),
        "InitiatingProcessParentCreationTime": iso_time(when - rng.randrange(86400, 864000)),
        "InitiatingProcessAccountDomain": "corp", "InitiatingProcessAccountName": account,
        "InitiatingProcessAccountSid": "S-1-5-21-1004336348-1177238915-682003330-%d"
                                       % (1000 + len(account)),
        "InitiatingProcessAccountUpn": "%s@corp.example.com" % account,
        "InitiatingProcessAccountObjectId": "%08x-0000-4000-8000-%012x" % (
            len(account), len(account) * 7919),
        "InitiatingProcessIntegrityLevel": rng.choice(["Medium", "Medium", "High", "System"]),
        "InitiatingProcessTokenElevation": rng.choice(["TokenElevationTypeDefault",
                                                       "TokenElevationTypeLimited"]),
    })


def streaming_record(table, when, props):
    return json.dumps({
        "time": iso_time(when + 2.5), "tenantId": "00000000-1111-2222-3333-444444444444",
        "operationName": "Publish", "category": "AdvancedHunting-" + table,
        "_TimeReceivedBySvc": iso_time(when + 1.2), "properties": props,
    }, separators=(",", ":")) + "\n"


def network_record(rng, when, procs, plant):
    device = rng.choice(DEVICES)
    props = defender_lead(when, device, rng.choice(NETWORK_ACTIONS))
    proc = rng.choice(procs)
    remote_ip = gen_cef.public_ip(rng)
    remote_port = rng.choice([443, 443, 443, 80, 53, 8080, 5228])
    remote_url = rng.choice(gen_cef.DOMAINS) if rng.random() < 0.6 else ""
    command = proc.command
    column = None
    if plant is not None:
        kind, _, ioc_type, value = plant
        if ioc_type == "ip:port" and kind == "hit":
            remote_ip, port = value.rsplit(":", 1)
            remote_port, column = int(port), "RemoteIP"
        elif ioc_type == "ip:port":
            address = value.rsplit(":", 1)[0]
            command = "powershell.exe -c Test-NetConnection %s -Port 443" % address
            column = "InitiatingProcessCommandLine"
        elif ioc_type == "domain":
            remote_url = ("x" + value) if kind == "decoy" else rng.choice(["", "www."]) + value
            column = "RemoteUrl"
        else:
            remote_url = (REDIRECT + value) if kind == "decoy" else value
            column = "RemoteUrl"
    local_port = rng.randrange(49152, 65535)
    props.update({
        "RemoteIP": remote_ip, "RemotePort": remote_port, "RemoteUrl": remote_url,
        "LocalIP": gen_cef.private_ip(rng), "LocalPort": local_port,
        "Protocol": rng.choice(["Tcp", "Tcp", "Tcp", "Udp"]), "LocalIPType": "Private",
        "RemoteIPType": "Public",
    })
    initiating(props, proc, rng, when, rng.choice(gen_cef.USERS))
    props["InitiatingProcessCommandLine"] = command
    props.update({"ReportId": rng.randrange(1, 10 ** 6), "AppGuardContainerId": "",
                  "AdditionalFields": None, "MachineGroup": "Workstations"})
    row = [props["Timestamp"], device, props["ActionType"], remote_ip, str(remote_port),
           remote_url, props["LocalIP"], str(local_port), proc.name, command]
    return props, row, column


def file_record(rng, when, procs, recurring, plant):
    device = rng.choice(DEVICES)
    user = rng.choice(gen_cef.USERS)
    props = defender_lead(when, device, rng.choice(FILE_ACTIONS))
    proc = rng.choice(procs)
    if rng.random() < 0.6:
        sha256, sha1, md5 = rng.choice(recurring)
    else:
        sha256 = "%064x" % rng.getrandbits(256)
        sha1 = "%040x" % rng.getrandbits(160)
        md5 = "%032x" % rng.getrandbits(128)
    if rng.random() < 0.1:
        sha256 = ""  # Defender leaves SHA256 empty when it did not compute it.
    proc_hashes = {"sha256_hash": proc.sha256, "sha1_hash": proc.sha1, "md5_hash": proc.md5}
    column = None
    if plant is not None:
        kind, _, ioc_type, value = plant
        if kind == "decoy":
            proc_hashes[ioc_type] = value
            column = {"sha256_hash": "InitiatingProcessSHA256", "sha1_hash": "InitiatingProcessSHA1",
                      "md5_hash": "InitiatingProcessMD5"}[ioc_type]
        elif ioc_type == "sha256_hash":
            sha256, column = value, "SHA256"
        elif ioc_type == "sha1_hash":
            sha1, column = value, "SHA1"
        else:
            md5, column = value, "MD5"
    folder = rng.choice(FOLDERS)
    if "%s" in folder:
        folder = folder % user
    name = rng.choice(FILE_NAMES) % rng.randrange(1000)
    props.update({
        "FileName": name, "FolderPath": folder + name, "SHA1": sha1, "SHA256": sha256,
        "MD5": md5, "FileOriginUrl": "", "FileOriginReferrerUrl": "", "FileOriginIP": "",
        "PreviousFolderPath": "", "PreviousFileName": "",
        "FileSize": rng.randrange(100, 50000000),
    })
    initiating(props, proc, rng, when, user)
    props["InitiatingProcessSHA256"] = proc_hashes["sha256_hash"]
    props["InitiatingProcessSHA1"] = proc_hashes["sha1_hash"]
    props["InitiatingProcessMD5"] = proc_hashes["md5_hash"]
    props.update({"RequestProtocol": "Local", "RequestSourceIP": "", "RequestSourcePort": None,
                  "RequestAccountName": user, "RequestAccountDomain": "corp",
                  "RequestAccountSid": props["InitiatingProcessAccountSid"], "ShareName": "",
                  "SensitivityLabel": "", "SensitivitySubLabel": "",
                  "IsAzureInfoProtectionApplied": False, "ReportId": rng.randrange(1, 10 ** 6),
                  "AppGuardContainerId": "", "AdditionalFields": None})
    row = [props["Timestamp"], device, props["ActionType"], name, folder + name, sha256, sha1,
           md5, proc.name, proc_hashes["sha256_hash"]]
    return props, row, column


def write_json(path, csv_path, columns, table, size_bytes, make, types, planter, start, rng):
    written = lines = 0
    when = float(start)
    with open(path, "w", encoding="ascii") as out, \
            open(csv_path, "w", encoding="ascii", newline="") as csv_file:
        rows = csv.writer(csv_file, lineterminator="\n")
        rows.writerow(columns)
        chunk = []
        while written < size_bytes:
            when += rng.random() * 0.2
            plant = planter.pick(lines, types)
            props, row, column = make(when, plant)
            line = streaming_record(table, when, props)
            chunk.append(line)
            rows.writerow(row)
            written += len(line)
            lines += 1
            if plant is not None and column is not None:
                kind, tier, _, value = plant
                planter.record(path, lines, table, column, value, tier, kind)
            if len(chunk) >= 2048:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
    return lines, written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--iocs", required=True, help="folder with gen_iocs.py output")
    parser.add_argument("--cef-mb", type=float, default=100, help="MiB of CEF (default 100)")
    parser.add_argument("--json-mb", type=float, default=100,
                        help="MiB of each Defender JSON lines file (default 100)")
    parser.add_argument("--only", choices=["cef", "json"], help="write only these files")
    parser.add_argument("--hit-every", type=int, default=10000,
                        help="plant a hit in every Nth record (default 10000)")
    parser.add_argument("--decoy-every", type=int, default=20000,
                        help="plant a decoy in every Nth record (default 20000)")
    parser.add_argument("--start", type=int, default=1780000000,
                        help="time of the first record, in Unix seconds (default 2026-05-28)")
    parser.add_argument("-o", "--output", required=True, help="folder to write into")
    args = parser.parse_args()

    os.makedirs(args.output, exist_ok=True)
    tiers = load_tiers(args.iocs)
    mib = 1024 * 1024
    jobs = []
    if args.only in (None, "cef"):
        jobs.append("cef")
    if args.only in (None, "json"):
        jobs.append("json")

    for job in jobs:
        rng = random.Random("%d-%s" % (args.seed, job))
        planted_path = os.path.join(args.output, "planted_%s.csv" % job)
        with open(planted_path, "w", encoding="ascii", newline="") as planted_file:
            writer = csv.writer(planted_file, lineterminator="\n")
            writer.writerow(["file", "line", "table", "column", "value", "tier", "kind"])
            planter = Planter(rng, tiers, args.hit_every, args.decoy_every, writer)
            out = lambda name: os.path.join(args.output, name)  # noqa: E731
            if job == "cef":
                lines, size = write_cef(out("firewall.cef"), out("firewall.csv"),
                                        int(args.cef_mb * mib), rng, planter, args.start)
                print("gen_logs: firewall.cef %d lines, %d bytes" % (lines, size), file=sys.stderr)
                continue
            procs = make_processes(rng)
            recurring = [("%064x" % rng.getrandbits(256), "%040x" % rng.getrandbits(160),
                          "%032x" % rng.getrandbits(128)) for _ in range(2000)]
            lines, size = write_json(
                out("network.json"), out("network.csv"), NETWORK_CSV_COLUMNS,
                "DeviceNetworkEvents", int(args.json_mb * mib),
                lambda when, plant: network_record(rng, when, procs, plant), NETWORK_TYPES,
                planter, args.start, rng)
            print("gen_logs: network.json %d lines, %d bytes" % (lines, size), file=sys.stderr)
            lines, size = write_json(
                out("file.json"), out("file.csv"), FILE_CSV_COLUMNS, "DeviceFileEvents",
                int(args.json_mb * mib),
                lambda when, plant: file_record(rng, when, procs, recurring, plant), HASH_TYPES,
                planter, args.start, rng)
            print("gen_logs: file.json %d lines, %d bytes" % (lines, size), file=sys.stderr)
        for (name, tier, kind), count in sorted(planter.counts.items()):
            print("gen_logs: %s %s %s: %d" % (name, tier, kind, count), file=sys.stderr)


if __name__ == "__main__":
    main()
