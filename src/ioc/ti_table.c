/*
 * The indicator database as Sentinel's legacy ThreatIntelligenceIndicator table, so that
 * Microsoft's "TI map ..." analytic rules run on it unchanged.
 *
 * The columns, their order and types are those of the table definition in Azure-Sentinel's
 * KQL validation tests (.script/tests/KqlvalidationsTests/CustomTables/
 * ThreatIntelligenceIndicator.json). Sentinel appends a row per indicator version; this table
 * has one row per indicator, its latest state, so the rules' arg_max by IndicatorId keeps it.
 *
 * How the columns are filled:
 * - IndicatorId is the indicator's STIX id (as in a STIX export); ExternalIndicatorId,
 *   SourceSystem and IndicatorProvider come from the first source (feed id and feed name).
 * - TimeGenerated is when an import last changed the indicator, so the rules' lookback
 *   (`TimeGenerated >= ago(14d)`) keeps recently imported indicators.
 * - ExpirationDateTime is last seen + FH_TI_EXPIRY_DAYS days; without a last seen time it is
 *   9999-12-31T23:59:59Z, Kusto's largest datetime, so the indicator never expires.
 * - Active is true. ConfidenceScore is the confidence as a real, null when unknown.
 * - ipv4 and ipv6 fill NetworkIP. ip:port fills NetworkIP and NetworkDestinationIP with the
 *   address and NetworkDestinationPort with the port. A CIDR fills NetworkCidrBlock, a domain
 *   DomainName, a URL Url, and a hash FileHashType ("MD5", "SHA1", "SHA256") and
 *   FileHashValue (lowercase, as stored).
 * - ThreatType maps ThreatFox's types onto Microsoft Graph's tiIndicator threatType values
 *   (botnet_cc to C2, payload to Malware, payload_delivery to MaliciousUrl) and keeps others.
 * - Description is the feed's description, else "FAMILY THREAT_TYPE"; MalwareNames and Tags are
 * JSON arrays as text; KnownFalsePositives is the false-positive flag; TrafficLightProtocolLevel
 * comes from a "tlp:..." tag. Columns foxhound has no data for are null, or "" for strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/ioc_export.h"
#include "foxhound/ioc_store.h"
#include "foxhound/limits.h"
#include "ioc/ti_rows.h"

/* Every column in the order of Sentinel's table definition. */
#define TI_COLUMNS(X)                                                                              \
    X(TenantId, STRING)                                                                            \
    X(TimeGenerated, DATETIME)                                                                     \
    X(SourceSystem, STRING)                                                                        \
    X(Action, STRING)                                                                              \
    X(ActivityGroupNames, STRING)                                                                  \
    X(AdditionalInformation, STRING)                                                               \
    X(ApplicationId, STRING)                                                                       \
    X(AzureTenantId, STRING)                                                                       \
    X(ConfidenceScore, REAL)                                                                       \
    X(Description, STRING)                                                                         \
    X(DiamondModel, STRING)                                                                        \
    X(ExternalIndicatorId, STRING)                                                                 \
    X(ExpirationDateTime, DATETIME)                                                                \
    X(IndicatorId, STRING)                                                                         \
    X(ThreatType, STRING)                                                                          \
    X(Active, BOOL)                                                                                \
    X(KillChainActions, BOOL)                                                                      \
    X(KillChainC2, BOOL)                                                                           \
    X(KillChainDelivery, BOOL)                                                                     \
    X(KillChainExploitation, BOOL)                                                                 \
    X(KillChainReconnaissance, BOOL)                                                               \
    X(KillChainWeaponization, BOOL)                                                                \
    X(KnownFalsePositives, STRING)                                                                 \
    X(MalwareNames, STRING)                                                                        \
    X(PassiveOnly, BOOL)                                                                           \
    X(ThreatSeverity, INT)                                                                         \
    X(Tags, STRING)                                                                                \
    X(TrafficLightProtocolLevel, STRING)                                                           \
    X(EmailEncoding, STRING)                                                                       \
    X(EmailLanguage, STRING)                                                                       \
    X(EmailRecipient, STRING)                                                                      \
    X(EmailSenderAddress, STRING)                                                                  \
    X(EmailSenderName, STRING)                                                                     \
    X(EmailSourceDomain, STRING)                                                                   \
    X(EmailSourceIpAddress, STRING)                                                                \
    X(EmailSubject, STRING)                                                                        \
    X(EmailXMailer, STRING)                                                                        \
    X(FileCompileDateTime, DATETIME)                                                               \
    X(FileCreatedDateTime, DATETIME)                                                               \
    X(FileHashType, STRING)                                                                        \
    X(FileHashValue, STRING)                                                                       \
    X(FileMutexName, STRING)                                                                       \
    X(FileName, STRING)                                                                            \
    X(FilePacker, STRING)                                                                          \
    X(FilePath, STRING)                                                                            \
    X(FileSize, INT)                                                                               \
    X(FileType, STRING)                                                                            \
    X(DomainName, STRING)                                                                          \
    X(NetworkIP, STRING)                                                                           \
    X(NetworkPort, INT)                                                                            \
    X(NetworkDestinationAsn, INT)                                                                  \
    X(NetworkDestinationCidrBlock, STRING)                                                         \
    X(NetworkDestinationIP, STRING)                                                                \
    X(NetworkCidrBlock, STRING)                                                                    \
    X(NetworkDestinationPort, INT)                                                                 \
    X(NetworkProtocol, INT)                                                                        \
    X(NetworkSourceAsn, INT)                                                                       \
    X(NetworkSourceCidrBlock, STRING)                                                              \
    X(NetworkSourceIP, STRING)                                                                     \
    X(NetworkSourcePort, INT)                                                                      \
    X(Url, STRING)                                                                                 \
    X(UserAgent, STRING)                                                                           \
    X(IndicatorProvider, STRING)                                                                   \
    X(Type, STRING)

#define TI_ENUM(name, type) TI_##name,
enum { TI_COLUMNS(TI_ENUM) TI_COLUMN_COUNT };

#define TI_COLUMN(name, type) {#name, FH_TYPE_##type},
static fh_column ti_columns[] = {TI_COLUMNS(TI_COLUMN)};

static const fh_schema ti_schema = {
    .name = "ThreatIntelligenceIndicator",
    .ncols = TI_COLUMN_COUNT,
    .cols = ti_columns,
    .owned = false,
};

/* 9999-12-31T23:59:59Z in ticks: Kusto's largest datetime, to the second. */
#define TI_NEVER_EXPIRES (253402300799LL * FH_TICKS_PER_SECOND)

struct fh_ti_table {
    ti_rows rows;
};

const fh_schema *fh_ti_table_schema(void)
{
    return &ti_schema;
}

fh_status fh_ti_table_open(fh_ioc_store *store, const fh_ioc_filter *filter, fh_ti_table **out,
                           fh_error *err)
{
    *out = NULL;
    fh_ti_table *table = calloc(1, sizeof *table);
    if (table == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0,
                            "out of memory opening the ThreatIntelligenceIndicator table");
    fh_status st = ti_rows_open(&table->rows, store, filter, "ThreatIntelligenceIndicator", err);
    if (st != FH_OK) {
        free(table);
        return st;
    }
    *out = table;
    return FH_OK;
}

void fh_ti_table_close(fh_ti_table *table)
{
    if (table == NULL)
        return;
    ti_rows_close(&table->rows);
    free(table);
}

static const char *threat_type(const char *feed_type)
{
    static const char *const map[][2] = {
        {"botnet_cc", "C2"},
        {"payload", "Malware"},
        {"payload_delivery", "MaliciousUrl"},
    };
    if (feed_type == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(feed_type, map[i][0]) == 0)
            return map[i][1];
    return feed_type;
}

/* Sentinel's level names for a "tlp:..." tag (TLP 2.0 CLEAR is TLP 1.0 WHITE). */
static const char *tlp_level(const fh_indicator *ioc)
{
    static const char *const map[][2] = {
        {"tlp:white", "White"}, {"tlp:clear", "White"},        {"tlp:green", "Green"},
        {"tlp:amber", "Amber"}, {"tlp:amber+strict", "Amber"}, {"tlp:red", "Red"},
    };
    for (size_t t = 0; t < ioc->ntags; t++)
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (ioc->tags[t] != NULL && strcasecmp(ioc->tags[t], map[i][0]) == 0)
                return map[i][1];
    return NULL;
}

/*
 * Writes first (when not NULL) and names as a JSON array of strings into the arena, with
 * control bytes replaced by spaces. Returns NULL when memory runs out.
 */
static char *json_array_text(fh_batch *batch, const char *first, char *const *names, size_t count)
{
    size_t need = 3 + (first != NULL ? 2 * strlen(first) + 3 : 0);
    for (size_t i = 0; i < count; i++)
        need += 2 * strlen(names[i]) + 3;
    char *text = fh_arena_alloc(&batch->arena, need);
    if (text == NULL)
        return NULL;

    char *p = text;
    *p++ = '[';
    for (size_t i = 0; i <= count; i++) {
        const char *name = i == 0 ? first : names[i - 1];
        if (name == NULL)
            continue;
        if (p > text + 1)
            *p++ = ',';
        *p++ = '"';
        for (const char *s = name; *s != '\0'; s++) {
            if (*s == '"' || *s == '\\')
                *p++ = '\\';
            *p++ = (unsigned char)*s < 0x20 ? ' ' : *s;
        }
        *p++ = '"';
    }
    *p++ = ']';
    *p = '\0';
    return text;
}

/* The feed's description when it has one, else "FAMILY THREAT_TYPE". */
static bool set_description(fh_batch *batch, fh_value *row, const fh_indicator *ioc)
{
    if (ioc->description != NULL && ioc->description[0] != '\0')
        return ti_rows_set_string(batch, row, TI_Description, ioc->description);

    const char *family = ioc->family != NULL ? ioc->family : "";
    const char *type = ioc->threat_type != NULL ? ioc->threat_type : "";
    size_t len = strlen(family) + 1 + strlen(type);
    char *text = fh_arena_alloc(&batch->arena, len + 1);
    if (text == NULL)
        return false;
    snprintf(text, len + 1, "%s%s%s", family, family[0] && type[0] ? " " : "", type);
    row[TI_Description] = fh_value_string(text, strlen(text));
    return true;
}

/* NOTE: how Sentinel serialises these string columns is not documented; a JSON array as text
 * works with has, contains and parse_json() either way. */
static bool set_names(fh_batch *batch, fh_value *row, const fh_indicator *ioc)
{
    bool ok = true;
    if (ioc->family != NULL || ioc->naliases > 0) {
        char *names = json_array_text(batch, ioc->family, ioc->aliases, ioc->naliases);
        ok = names != NULL && ti_rows_set_string(batch, row, TI_MalwareNames, names);
    }
    if (ok && ioc->ntags > 0) {
        char *tags = json_array_text(batch, NULL, ioc->tags, ioc->ntags);
        ok = tags != NULL && ti_rows_set_string(batch, row, TI_Tags, tags);
    }
    return ok;
}

static bool set_observable(fh_batch *batch, fh_value *row, const fh_indicator *ioc)
{
    static const char *const hash_names[FH_IOC_TYPE_COUNT] = {
        [FH_IOC_MD5] = "MD5", [FH_IOC_SHA1] = "SHA1", [FH_IOC_SHA256] = "SHA256"};

    switch (ioc->type) {
    case FH_IOC_IPV4:
    case FH_IOC_IPV6:
        return ti_rows_set_string(batch, row, TI_NetworkIP, ioc->value);
    case FH_IOC_IP_PORT:
        row[TI_NetworkDestinationPort] = fh_value_int(ioc->port);
        return ti_rows_set_string(batch, row, TI_NetworkIP, ioc->address) &&
               ti_rows_set_string(batch, row, TI_NetworkDestinationIP, ioc->address);
    case FH_IOC_CIDR:
        return ti_rows_set_string(batch, row, TI_NetworkCidrBlock, ioc->value);
    case FH_IOC_DOMAIN:
        return ti_rows_set_string(batch, row, TI_DomainName, ioc->value);
    case FH_IOC_URL:
        return ti_rows_set_string(batch, row, TI_Url, ioc->value);
    default:
        return ti_rows_set_string(batch, row, TI_FileHashType, hash_names[ioc->type]) &&
               ti_rows_set_string(batch, row, TI_FileHashValue, ioc->value);
    }
}

static int64_t expiration(const fh_indicator *ioc)
{
    if (ioc->last_seen == FH_TIME_UNKNOWN ||
        ioc->last_seen > TI_NEVER_EXPIRES - FH_TI_EXPIRY_DAYS * FH_TICKS_PER_DAY)
        return TI_NEVER_EXPIRES;
    return ioc->last_seen + FH_TI_EXPIRY_DAYS * FH_TICKS_PER_DAY;
}

static bool fill_row(fh_batch *batch, fh_value *row, const fh_ioc_record *record)
{
    const fh_indicator *ioc = &record->ioc;
    char id[FH_STIX_ID_SIZE];
    fh_ioc_stix_id(ioc->type, ioc->value, id);
    const char *feed = record->nsources > 0 ? record->sources[0].feed : NULL;
    const char *feed_id = record->nsources > 0 ? record->sources[0].id : NULL;

    row[TI_TimeGenerated] = fh_value_datetime(record->modified);
    row[TI_ExpirationDateTime] = fh_value_datetime(expiration(ioc));
    row[TI_Active] = fh_value_bool(true);
    if (ioc->confidence != FH_CONFIDENCE_UNKNOWN)
        row[TI_ConfidenceScore] = fh_value_real(ioc->confidence);

    return ti_rows_set_string(batch, row, TI_IndicatorId, id) &&
           ti_rows_set_string(batch, row, TI_ExternalIndicatorId, feed_id) &&
           ti_rows_set_string(batch, row, TI_SourceSystem, feed) &&
           ti_rows_set_string(batch, row, TI_IndicatorProvider, feed) &&
           ti_rows_set_string(batch, row, TI_ThreatType, threat_type(ioc->threat_type)) &&
           ti_rows_set_string(batch, row, TI_KnownFalsePositives, ioc->flag) &&
           ti_rows_set_string(batch, row, TI_TrafficLightProtocolLevel, tlp_level(ioc)) &&
           ti_rows_set_string(batch, row, TI_Type, "ThreatIntelligenceIndicator") &&
           set_description(batch, row, ioc) && set_names(batch, row, ioc) &&
           set_observable(batch, row, ioc);
}

fh_status fh_ti_table_next(fh_ti_table *table, fh_batch *batch, fh_error *err)
{
    return ti_rows_next(&table->rows, batch, fill_row, err);
}
