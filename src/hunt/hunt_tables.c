/*
 * The four Sentinel tables hunt generates queries for. Context columns follow what an
 * analyst needs to triage each kind of event; the time column is Timestamp on the Defender
 * tables because that is what their hunting queries use.
 */
#include <stddef.h>
#include <string.h>

#include "foxhound/hunt.h"
#include "hunt/hunt_tables.h"

static const hunt_table tables[] = {
    {
        .name = "CommonSecurityLog",
        .time_column = "TimeGenerated",
        .host_column = "Computer",
        .connector = "the Common Event Format (CEF) via AMA data connector, or a CEF syslog "
                     "export",
        .ips = {{"DestinationIP", "DestinationPort"}, {"SourceIP", "SourcePort"}},
        .url_column = "RequestURL",
        .hostname_column = "DestinationHostName",
        .context = "SourceIP, DestinationIP, DestinationPort, DeviceAction, Activity, "
                   "RequestURL, DestinationHostName",
    },
    {
        .name = "DeviceNetworkEvents",
        .time_column = "Timestamp",
        .host_column = "DeviceName",
        .connector = "the Microsoft Defender XDR data connector, or a Defender export of "
                     "DeviceNetworkEvents",
        .ips = {{"RemoteIP", "RemotePort"}, {NULL, NULL}},
        .url_column = "RemoteUrl",
        .url_column_may_be_host = true,
        .context = "RemoteIP, RemotePort, RemoteUrl, InitiatingProcessFileName, ActionType",
    },
    {
        .name = "DeviceFileEvents",
        .time_column = "Timestamp",
        .host_column = "DeviceName",
        .connector = "the Microsoft Defender XDR data connector, or a Defender export of "
                     "DeviceFileEvents",
        .hashes = true,
        .context = "FileName, FolderPath, SHA256, InitiatingProcessFileName",
    },
    {
        .name = "DeviceProcessEvents",
        .time_column = "Timestamp",
        .host_column = "DeviceName",
        .connector = "the Microsoft Defender XDR data connector, or a Defender export of "
                     "DeviceProcessEvents",
        .hashes = true,
        .context = "FileName, FolderPath, SHA256, ProcessCommandLine, InitiatingProcessFileName",
    },
};

static const char *const table_names[] = {"CommonSecurityLog", "DeviceNetworkEvents",
                                          "DeviceFileEvents", "DeviceProcessEvents", NULL};

const hunt_table *hunt_table_find(const char *name)
{
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        if (strcmp(tables[i].name, name) == 0)
            return &tables[i];
    }
    return NULL;
}

const hunt_table *hunt_table_all(size_t *count)
{
    *count = sizeof tables / sizeof tables[0];
    return tables;
}

const char *const *fh_hunt_tables(void)
{
    return table_names;
}
