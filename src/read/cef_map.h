/*
 * The CEF extension keys that feed CommonSecurityLog columns, looked up by exact
 * (case-sensitive) key.
 */
#ifndef FOXHOUND_CEF_MAP_H
#define FOXHOUND_CEF_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef enum cef_key_kind {
    CEF_KEY_COLUMN,        /* the value fills column, decoded by the column's type */
    CEF_KEY_EXTERNAL_ID,   /* externalId: ExtID as text, ExternalID when it fits an int */
    CEF_KEY_CUSTOM_NUMBER, /* cnN: FieldDeviceCustomNumberN (long), DeviceCustomNumberN (int) */
    CEF_KEY_RECEIPT_TIME,  /* rt: ReceiptTime as raw text, and a source for TimeGenerated */
    CEF_KEY_START_TIME,    /* start: StartTime, and a source for TimeGenerated */
} cef_key_kind;

typedef struct cef_key {
    const char *name;
    uint8_t name_len;
    uint8_t kind;     /* cef_key_kind */
    uint16_t column;  /* CommonSecurityLog column index */
    uint16_t column2; /* second column for EXTERNAL_ID and CUSTOM_NUMBER, else unused */
} cef_key;

/* Returns the mapping of an extension key, or NULL when the key feeds AdditionalExtensions. */
const cef_key *cef_map_lookup(const char *key, size_t len);

#endif
