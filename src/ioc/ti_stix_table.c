/*
 * The indicator database as Sentinel's STIX-based ThreatIntelIndicators table, the successor
 * of ThreatIntelligenceIndicator that newer analytic rules query.
 *
 * The columns and their types are Sentinel's. Their order here is foxhound's, with
 * TimeGenerated second as in the other tables. How columns are filled:
 * - Id is the indicator's STIX id, Pattern its STIX 2.1 pattern, SourceSystem the first feed.
 * - ObservableKey is the STIX object path ("ipv4-addr:value", "domain-name:value", "url:value",
 *   "file:hashes.'SHA-256'") and ObservableValue the value. An ip:port indicator is keyed by
 *   its address, so rules that test ObservableKey == "ipv4-addr:value" see it; its port is in
 *   Pattern and Data.
 * - TimeGenerated and Modified are when an import last changed the indicator, Created when
 *   the database first stored it, ValidFrom the first seen time and ValidUntil last seen +
 *   FH_TI_EXPIRY_DAYS days (null without a last seen time, which rules read as no expiry).
 * - IsActive is true, IsDeleted and Revoked false, Confidence the confidence (null unknown).
 * - Tags is a JSON array as text; Data is a dynamic bag with the STIX indicator's name,
 *   indicator_types, labels and, for ip:port, the port.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/ioc_export.h"
#include "foxhound/ioc_store.h"
#include "foxhound/limits.h"
#include "ioc/ti_rows.h"
#include "ioc/stix_export.h"

#define TS_COLUMNS(X)                                                                              \
    X(TenantId, STRING)                                                                            \
    X(TimeGenerated, DATETIME)                                                                     \
    X(WorkspaceId, STRING)                                                                         \
    X(AzureTenantId, STRING)                                                                       \
    X(Id, STRING)                                                                                  \
    X(SourceSystem, STRING)                                                                        \
    X(LastUpdateMethod, STRING)                                                                    \
    X(Created, DATETIME)                                                                           \
    X(Modified, DATETIME)                                                                          \
    X(ValidFrom, DATETIME)                                                                         \
    X(ValidUntil, DATETIME)                                                                        \
    X(IsDeleted, BOOL)                                                                             \
    X(IsActive, BOOL)                                                                              \
    X(Revoked, BOOL)                                                                               \
    X(Confidence, INT)                                                                             \
    X(Tags, STRING)                                                                                \
    X(Pattern, STRING)                                                                             \
    X(ObservableKey, STRING)                                                                       \
    X(ObservableValue, STRING)                                                                     \
    X(AdditionalFields, DYNAMIC)                                                                   \
    X(Data, DYNAMIC)                                                                               \
    X(Type, STRING)

#define TS_ENUM(name, type) TS_##name,
enum { TS_COLUMNS(TS_ENUM) TS_COLUMN_COUNT };

#define TS_COLUMN(name, type) {#name, FH_TYPE_##type},
static fh_column ts_columns[] = {TS_COLUMNS(TS_COLUMN)};

static const fh_schema ts_schema = {
    .name = "ThreatIntelIndicators",
    .ncols = TS_COLUMN_COUNT,
    .cols = ts_columns,
    .owned = false,
};

struct fh_ti_stix_table {
    ti_rows rows;
};

const fh_schema *fh_ti_stix_table_schema(void)
{
    return &ts_schema;
}

fh_status fh_ti_stix_table_open(fh_ioc_store *store, const fh_ioc_filter *filter,
                                fh_ti_stix_table **out, fh_error *err)
{
    *out = NULL;
    fh_ti_stix_table *table = calloc(1, sizeof *table);
    if (table == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0,
                            "out of memory opening the ThreatIntelIndicators table");
    fh_status st = ti_rows_open(&table->rows, store, filter, "ThreatIntelIndicators", err);
    if (st != FH_OK) {
        free(table);
        return st;
    }
    *out = table;
    return FH_OK;
}

void fh_ti_stix_table_close(fh_ti_stix_table *table)
{
    if (table == NULL)
        return;
    ti_rows_close(&table->rows);
    free(table);
}

static const char *observable_key(const fh_indicator *ioc)
{
    switch (ioc->type) {
    case FH_IOC_IPV4:
        return "ipv4-addr:value";
    case FH_IOC_IPV6:
        return "ipv6-addr:value";
    case FH_IOC_IP_PORT:
    case FH_IOC_CIDR: {
        const char *addr = ioc->address != NULL ? ioc->address : ioc->value;
        return strchr(addr, ':') != NULL ? "ipv6-addr:value" : "ipv4-addr:value";
    }
    case FH_IOC_DOMAIN:
        return "domain-name:value";
    case FH_IOC_URL:
        return "url:value";
    case FH_IOC_MD5:
        return "file:hashes.MD5";
    case FH_IOC_SHA1:
        return "file:hashes.'SHA-1'";
    default:
        return "file:hashes.'SHA-256'";
    }
}

/* Adopts json into the batch arena and stores it in a dynamic cell. */
static bool set_json(fh_batch *batch, fh_value *row, int col, json_t *json)
{
    if (json == NULL)
        return false;
    row[col].is_null = false;
    row[col].u.dyn = json;
    return fh_arena_adopt_json(&batch->arena, json) == FH_OK;
}

static json_t *string_array(char *const *items, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; array != NULL && i < count; i++)
        json_array_append_new(array, json_string(items[i]));
    return array;
}

static json_t *data_bag(const fh_indicator *ioc)
{
    json_t *bag = json_object();
    if (bag == NULL)
        return NULL;
    if (ioc->family != NULL)
        json_object_set_new(bag, "name", json_string(ioc->family));
    if (ioc->threat_type != NULL)
        json_object_set_new(bag, "indicator_types", string_array(&ioc->threat_type, 1));
    json_object_set_new(bag, "labels", string_array(ioc->tags, ioc->ntags));
    if (ioc->type == FH_IOC_IP_PORT)
        json_object_set_new(bag, "port", json_integer(ioc->port));
    return bag;
}

static bool set_tags(fh_batch *batch, fh_value *row, const fh_indicator *ioc)
{
    if (ioc->ntags == 0)
        return true;
    json_t *tags = string_array(ioc->tags, ioc->ntags);
    char *text = tags != NULL ? json_dumps(tags, JSON_COMPACT) : NULL;
    json_decref(tags);
    bool ok = text != NULL && ti_rows_set_string(batch, row, TS_Tags, text);
    free(text);
    return ok;
}

static bool set_pattern(fh_batch *batch, fh_value *row, const fh_indicator *ioc)
{
    fh_strbuf pattern;
    fh_strbuf_init(&pattern);
    fh_ioc_stix_pattern(&pattern, ioc);
    bool ok = fh_strbuf_status(&pattern) == FH_OK &&
              ti_rows_set_string(batch, row, TS_Pattern, pattern.data ? pattern.data : "");
    fh_strbuf_free(&pattern);
    return ok;
}

static bool fill_row(fh_batch *batch, fh_value *row, const fh_ioc_record *record)
{
    const fh_indicator *ioc = &record->ioc;
    char id[FH_STIX_ID_SIZE];
    fh_ioc_stix_id(ioc->type, ioc->value, id);

    row[TS_TimeGenerated] = fh_value_datetime(record->modified);
    row[TS_Created] = fh_value_datetime(record->created);
    row[TS_Modified] = fh_value_datetime(record->modified);
    if (ioc->first_seen != FH_TIME_UNKNOWN)
        row[TS_ValidFrom] = fh_value_datetime(ioc->first_seen);
    if (ioc->last_seen != FH_TIME_UNKNOWN)
        row[TS_ValidUntil] =
            fh_value_datetime(ioc->last_seen + FH_TI_EXPIRY_DAYS * FH_TICKS_PER_DAY);
    row[TS_IsDeleted] = fh_value_bool(false);
    row[TS_IsActive] = fh_value_bool(true);
    row[TS_Revoked] = fh_value_bool(false);
    if (ioc->confidence != FH_CONFIDENCE_UNKNOWN)
        row[TS_Confidence] = fh_value_int(ioc->confidence);

    const char *value = ioc->type == FH_IOC_IP_PORT ? ioc->address : ioc->value;
    const char *feed = record->nsources > 0 ? record->sources[0].feed : NULL;
    return ti_rows_set_string(batch, row, TS_Id, id) &&
           ti_rows_set_string(batch, row, TS_SourceSystem, feed) &&
           ti_rows_set_string(batch, row, TS_LastUpdateMethod, "foxhound ioc import") &&
           ti_rows_set_string(batch, row, TS_ObservableKey, observable_key(ioc)) &&
           ti_rows_set_string(batch, row, TS_ObservableValue, value) &&
           ti_rows_set_string(batch, row, TS_Type, "ThreatIntelIndicators") &&
           set_tags(batch, row, ioc) && set_pattern(batch, row, ioc) &&
           set_json(batch, row, TS_Data, data_bag(ioc));
}

fh_status fh_ti_stix_table_next(fh_ti_stix_table *table, fh_batch *batch, fh_error *err)
{
    return ti_rows_next(&table->rows, batch, fill_row, err);
}
