/*
 * CEF extension key to CommonSecurityLog column. The keys are those of Microsoft's mapping page
 * (MicrosoftDocs/azure-docs, articles/sentinel/cef-name-mapping.md), plus cat, outcome and
 * reason, which fill the columns DeviceEventCategory, EventOutcome and Reason of Microsoft's
 * CommonSecurityLog schema file. The page spells one key "deviceExternalID" where the CEF
 * key list has "deviceExternalId", so both are mapped. Keys match case-sensitively, so
 * "requestmethod" lands in AdditionalExtensions.
 *
 * Lookup hashes the key and compares it with the entries of an open-addressing table. The table
 * is built once on first use and kept under half full, so most lookups compare once.
 */
#include <pthread.h>
#include <string.h>

#include "read/cef_map.h"
#include "table/schema_builtin.h"

#define KEY(name, column)                                                                          \
    {                                                                                              \
        name, sizeof(name) - 1, CEF_KEY_COLUMN, CSL_##column, 0                                    \
    }
#define KEY2(name, kind, column, column2)                                                          \
    {                                                                                              \
        name, sizeof(name) - 1, kind, CSL_##column, CSL_##column2                                  \
    }

static const cef_key cef_keys[] = {
    KEY("act", DeviceAction),
    KEY("app", ApplicationProtocol),
    KEY("cat", DeviceEventCategory),
    KEY("cnt", EventCount),
    KEY("destinationDnsDomain", DestinationDnsDomain),
    KEY("destinationServiceName", DestinationServiceName),
    KEY("destinationTranslatedAddress", DestinationTranslatedAddress),
    KEY("destinationTranslatedPort", DestinationTranslatedPort),
    KEY("deviceDirection", CommunicationDirection),
    KEY("deviceDnsDomain", DeviceDnsDomain),
    KEY("deviceExternalId", DeviceExternalID),
    KEY("deviceExternalID", DeviceExternalID),
    KEY("deviceFacility", DeviceFacility),
    KEY("deviceInboundInterface", DeviceInboundInterface),
    KEY("deviceNtDomain", DeviceNtDomain),
    KEY("deviceOutboundInterface", DeviceOutboundInterface),
    KEY("devicePayloadId", DevicePayloadId),
    KEY("deviceProcessName", ProcessName),
    KEY("deviceTranslatedAddress", DeviceTranslatedAddress),
    KEY("dhost", DestinationHostName),
    KEY("dmac", DestinationMACAddress),
    KEY("dntdom", DestinationNTDomain),
    KEY("dpid", DestinationProcessId),
    KEY("dpriv", DestinationUserPrivileges),
    KEY("dproc", DestinationProcessName),
    KEY("dpt", DestinationPort),
    KEY("dst", DestinationIP),
    KEY("dtz", DeviceTimeZone),
    KEY("duid", DestinationUserID),
    KEY("duser", DestinationUserName),
    KEY("dvc", DeviceAddress),
    KEY("dvchost", DeviceName),
    KEY("dvcmac", DeviceMacAddress),
    KEY("dvcpid", ProcessID),
    KEY("end", EndTime),
    KEY2("externalId", CEF_KEY_EXTERNAL_ID, ExternalID, ExtID),
    KEY("fileCreateTime", FileCreateTime),
    KEY("fileHash", FileHash),
    KEY("fileId", FileID),
    KEY("fileModificationTime", FileModificationTime),
    KEY("filePath", FilePath),
    KEY("filePermission", FilePermission),
    KEY("fileType", FileType),
    KEY("fname", FileName),
    KEY("fsize", FileSize),
    KEY("in", ReceivedBytes),
    KEY("msg", Message),
    KEY("oldFileCreateTime", OldFileCreateTime),
    KEY("oldFileHash", OldFileHash),
    KEY("oldFileId", OldFileID),
    KEY("oldFileModificationTime", OldFileModificationTime),
    KEY("oldFileName", OldFileName),
    KEY("oldFilePath", OldFilePath),
    KEY("oldFilePermission", OldFilePermission),
    KEY("oldFileSize", OldFileSize),
    KEY("oldFileType", OldFileType),
    KEY("out", SentBytes),
    KEY("outcome", EventOutcome),
    KEY("proto", Protocol),
    KEY("reason", Reason),
    KEY("request", RequestURL),
    KEY("requestClientApplication", RequestClientApplication),
    KEY("requestContext", RequestContext),
    KEY("requestCookies", RequestCookies),
    KEY("requestMethod", RequestMethod),
    KEY2("rt", CEF_KEY_RECEIPT_TIME, ReceiptTime, ReceiptTime),
    KEY("shost", SourceHostName),
    KEY("smac", SourceMACAddress),
    KEY("sntdom", SourceNTDomain),
    KEY("sourceDnsDomain", SourceDnsDomain),
    KEY("sourceServiceName", SourceServiceName),
    KEY("sourceTranslatedAddress", SourceTranslatedAddress),
    KEY("sourceTranslatedPort", SourceTranslatedPort),
    KEY("spid", SourceProcessId),
    KEY("spriv", SourceUserPrivileges),
    KEY("sproc", SourceProcessName),
    KEY("spt", SourcePort),
    KEY("src", SourceIP),
    KEY2("start", CEF_KEY_START_TIME, StartTime, StartTime),
    KEY("suid", SourceUserID),
    KEY("suser", SourceUserName),
    KEY("type", EventType),
    KEY("c6a1", DeviceCustomIPv6Address1),
    KEY("c6a1Label", DeviceCustomIPv6Address1Label),
    KEY("c6a2", DeviceCustomIPv6Address2),
    KEY("c6a2Label", DeviceCustomIPv6Address2Label),
    KEY("c6a3", DeviceCustomIPv6Address3),
    KEY("c6a3Label", DeviceCustomIPv6Address3Label),
    KEY("c6a4", DeviceCustomIPv6Address4),
    KEY("c6a4Label", DeviceCustomIPv6Address4Label),
    KEY("cfp1", DeviceCustomFloatingPoint1),
    KEY("cfp1Label", DeviceCustomFloatingPoint1Label),
    KEY("cfp2", DeviceCustomFloatingPoint2),
    KEY("cfp2Label", DeviceCustomFloatingPoint2Label),
    KEY("cfp3", DeviceCustomFloatingPoint3),
    KEY("cfp3Label", DeviceCustomFloatingPoint3Label),
    KEY("cfp4", DeviceCustomFloatingPoint4),
    KEY("cfp4Label", DeviceCustomFloatingPoint4Label),
    KEY2("cn1", CEF_KEY_CUSTOM_NUMBER, DeviceCustomNumber1, FieldDeviceCustomNumber1),
    KEY("cn1Label", DeviceCustomNumber1Label),
    KEY2("cn2", CEF_KEY_CUSTOM_NUMBER, DeviceCustomNumber2, FieldDeviceCustomNumber2),
    KEY("cn2Label", DeviceCustomNumber2Label),
    KEY2("cn3", CEF_KEY_CUSTOM_NUMBER, DeviceCustomNumber3, FieldDeviceCustomNumber3),
    KEY("cn3Label", DeviceCustomNumber3Label),
    KEY("cs1", DeviceCustomString1),
    KEY("cs1Label", DeviceCustomString1Label),
    KEY("cs2", DeviceCustomString2),
    KEY("cs2Label", DeviceCustomString2Label),
    KEY("cs3", DeviceCustomString3),
    KEY("cs3Label", DeviceCustomString3Label),
    KEY("cs4", DeviceCustomString4),
    KEY("cs4Label", DeviceCustomString4Label),
    KEY("cs5", DeviceCustomString5),
    KEY("cs5Label", DeviceCustomString5Label),
    KEY("cs6", DeviceCustomString6),
    KEY("cs6Label", DeviceCustomString6Label),
    KEY("deviceCustomDate1", DeviceCustomDate1),
    KEY("deviceCustomDate1Label", DeviceCustomDate1Label),
    KEY("deviceCustomDate2", DeviceCustomDate2),
    KEY("deviceCustomDate2Label", DeviceCustomDate2Label),
    KEY("flexDate1", FlexDate1),
    KEY("flexDate1Label", FlexDate1Label),
    KEY("flexNumber1", FlexNumber1),
    KEY("flexNumber1Label", FlexNumber1Label),
    KEY("flexNumber2", FlexNumber2),
    KEY("flexNumber2Label", FlexNumber2Label),
    KEY("flexString1", FlexString1),
    KEY("flexString1Label", FlexString1Label),
    KEY("flexString2", FlexString2),
    KEY("flexString2Label", FlexString2Label),
};

#define KEY_COUNT (sizeof cef_keys / sizeof cef_keys[0])
#define SLOT_COUNT 512 /* a power of two, more than twice KEY_COUNT */

_Static_assert(SLOT_COUNT >= 2 * KEY_COUNT, "CEF key table too full for fast probing");

/* Slot i is 1 + the index of a key in cef_keys, or 0 when empty. */
static uint8_t key_slots[SLOT_COUNT];
static pthread_once_t key_slots_once = PTHREAD_ONCE_INIT;

/*
 * Hashes the first and last 8 bytes of a key with its length. Keys that differ only in the
 * middle of a long name collide and cost one more probe, never a wrong match.
 */
static uint32_t key_hash(const char *key, size_t len)
{
    uint64_t head = 0;
    uint64_t tail = 0;
    memcpy(&head, key, len < 8 ? len : 8);
    if (len > 8)
        memcpy(&tail, key + len - 8, 8);
    uint64_t hash = (head ^ (tail * 0x9E3779B97F4A7C15ULL) ^ len) * 0xFF51AFD7ED558CCDULL;
    return (uint32_t)(hash >> 32);
}

static void build_key_slots(void)
{
    for (size_t i = 0; i < KEY_COUNT; i++) {
        uint32_t slot = key_hash(cef_keys[i].name, cef_keys[i].name_len) & (SLOT_COUNT - 1);
        while (key_slots[slot] != 0)
            slot = (slot + 1) & (SLOT_COUNT - 1);
        key_slots[slot] = (uint8_t)(i + 1);
    }
}

_Static_assert(KEY_COUNT < 255, "key index must fit a slot byte");

const cef_key *cef_map_lookup(const char *key, size_t len)
{
    pthread_once(&key_slots_once, build_key_slots);

    uint32_t slot = key_hash(key, len) & (SLOT_COUNT - 1);
    while (key_slots[slot] != 0) {
        const cef_key *entry = &cef_keys[key_slots[slot] - 1];
        if (entry->name_len == len && memcmp(entry->name, key, len) == 0)
            return entry;
        slot = (slot + 1) & (SLOT_COUNT - 1);
    }
    return NULL;
}
