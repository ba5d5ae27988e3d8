/*
 * Indicator writers: CSV, JSON lines, STIX 2.1 bundles and Zeek intel files.
 *
 * CSV cells that a spreadsheet would run as a formula (starting with = + - @ TAB or CR) get a
 * leading apostrophe, as OWASP's CSV injection guidance recommends. STIX patterns follow the
 * STIX 2.1 patterning grammar with single-quoted strings, escaping ' and \. Zeek's intel
 * ADDR type has no port, so the ip:port indicators of one address become one ADDR line whose
 * meta.desc lists the ports; URLs lose their scheme because Zeek compares them without one.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sha1.h"
#include "core/strbuf.h"
#include "foxhound/datetime.h"
#include "foxhound/ioc_export.h"
#include "foxhound/limits.h"
#include "ioc/stix_export.h"

static const char *const format_names[FH_IOC_EXPORT_COUNT] = {"csv", "json", "stix", "zeek"};

/* Namespace of foxhound's version 5 UUIDs (a fixed random UUID). */
static const uint8_t stix_namespace[16] = {0x3b, 0x6f, 0x0e, 0x52, 0x8c, 0x1d, 0x4a, 0x77,
                                           0x9e, 0x25, 0x51, 0xd6, 0x0b, 0x84, 0xc9, 0x3f};

/* Longest "PORT,PORT,..." list kept for one Zeek ADDR line; more ports end in ",...". */
#define ZEEK_PORTS_MAX 512

struct fh_ioc_writer {
    fh_ioc_export_format format;
    FILE *out;
    char *out_name;
    uint64_t count;
    bool write_failed;
    fh_sha1 bundle_hash; /* STIX: hash of every indicator id, for the bundle id */
    /* Zeek: the ip:port line waiting for more ports of the same address. */
    char *pending_address;
    char *pending_family;
    char *pending_threat_type;
    int pending_confidence; /* the highest of the address's indicators */
    char *pending_source;
    char *pending_url;
    char pending_ports[ZEEK_PORTS_MAX];
};

const char *fh_ioc_export_format_name(fh_ioc_export_format format)
{
    return (unsigned)format < FH_IOC_EXPORT_COUNT ? format_names[format] : "unknown";
}

fh_status fh_ioc_export_format_from_name(const char *name, fh_ioc_export_format *out, fh_error *err)
{
    for (int i = 0; i < FH_IOC_EXPORT_COUNT; i++) {
        if (strcasecmp(name, format_names[i]) == 0) {
            *out = (fh_ioc_export_format)i;
            return FH_OK;
        }
    }
    return fh_error_set(err, FH_ERR_USAGE, NULL, 0, 0,
                        "invalid export format '%s'; use csv, json, stix or zeek", name);
}

void fh_ioc_stix_id(fh_ioc_type type, const char *value, char out[FH_STIX_ID_SIZE])
{
    const char *type_name = fh_ioc_type_name(type);
    fh_sha1 ctx;
    fh_sha1_init(&ctx);
    fh_sha1_update(&ctx, stix_namespace, sizeof stix_namespace);
    fh_sha1_update(&ctx, type_name, strlen(type_name));
    fh_sha1_update(&ctx, ":", 1);
    if (value != NULL)
        fh_sha1_update(&ctx, value, strlen(value));
    memcpy(out, "indicator--", 11);
    fh_uuid_v5_finish(&ctx, out + 11);
}

/* The text built so far, "" when nothing was appended; NULL when memory ran out. */
static const char *buf_text(const fh_strbuf *buf)
{
    if (buf->failed)
        return NULL;
    return buf->data != NULL ? buf->data : "";
}

static bool is_empty(const char *text)
{
    return text == NULL || text[0] == '\0';
}

static fh_status nomem(fh_error *err)
{
    return fh_error_set(err, FH_ERR_NOMEM, NULL, 0, 0, "out of memory writing indicators");
}

/*
 * Writes ticks as RFC 3339 UTC, "2026-06-11T08:20:03Z", or with exactly three fraction digits
 * ("2026-06-11T08:20:03.000Z") when millis is set, as STIX timestamps need. Returns false for
 * a time outside years 0001-9999.
 */
static bool format_time(int64_t ticks, bool millis, char *buf, size_t size)
{
    int64_t rest = ticks % FH_TICKS_PER_SECOND;
    if (rest < 0)
        rest += FH_TICKS_PER_SECOND;
    size_t len = fh_datetime_format(millis ? ticks - rest : ticks, buf, size);
    if (len < 20 || len >= size || buf[len - 1] != 'Z')
        return false;
    if (millis)
        snprintf(buf + len - 1, size - (len - 1), ".%03dZ", (int)(rest / 10000));
    return true;
}

/* The record's sources, or the indicator's own source fields when it has no list. */
static size_t record_sources(const fh_ioc_record *record, fh_ioc_source *single,
                             const fh_ioc_source **list)
{
    if (record->nsources > 0) {
        *list = record->sources;
        return record->nsources;
    }
    if (is_empty(record->ioc.source_feed))
        return 0;
    single->feed = record->ioc.source_feed;
    single->id = record->ioc.source_id != NULL ? record->ioc.source_id : "";
    *list = single;
    return 1;
}

static const char *first_source_feed(const fh_ioc_record *record)
{
    fh_ioc_source single;
    const fh_ioc_source *list = NULL;
    return record_sources(record, &single, &list) > 0 ? list[0].feed : NULL;
}

/* ThreatFox's page for one indicator, when the first source is ThreatFox. */
static bool threatfox_link(const fh_ioc_record *record, char *buf, size_t size)
{
    fh_ioc_source single;
    const fh_ioc_source *list = NULL;
    if (record_sources(record, &single, &list) == 0 || strcasecmp(list[0].feed, "threatfox") != 0 ||
        is_empty(list[0].id))
        return false;
    return (size_t)snprintf(buf, size, "https://threatfox.abuse.ch/ioc/%s/", list[0].id) < size;
}

static int64_t created_time(const fh_ioc_record *record)
{
    if (record->created != FH_TIME_UNKNOWN)
        return record->created;
    return record->ioc.first_seen != FH_TIME_UNKNOWN ? record->ioc.first_seen : 0;
}

static int64_t modified_time(const fh_ioc_record *record)
{
    int64_t created = created_time(record);
    return record->modified != FH_TIME_UNKNOWN && record->modified > created ? record->modified
                                                                             : created;
}

/* The address of an ip:port or CIDR, without brackets, into buf. */
static const char *network_address(const fh_indicator *ioc, char *buf, size_t size)
{
    if (!is_empty(ioc->address))
        return ioc->address;
    const char *value = ioc->value != NULL ? ioc->value : "";
    const char *end = strrchr(value, ioc->type == FH_IOC_CIDR ? '/' : ':');
    size_t len = end != NULL ? (size_t)(end - value) : strlen(value);
    if (len >= 2 && value[0] == '[' && value[len - 1] == ']') {
        value++;
        len -= 2;
    }
    if (len >= size)
        len = size - 1;
    memcpy(buf, value, len);
    buf[len] = '\0';
    return buf;
}

/* --- CSV --- */

static const char csv_header[] = "type,value,address,port,family,aliases,threat_type,confidence,"
                                 "first_seen,last_seen,tags,reference,reporter,description,"
                                 "sources,flag,created,modified\n";

/* A cell a spreadsheet would evaluate as a formula or whose first character it would drop. */
static bool csv_needs_formula_escape(const char *text)
{
    return text[0] != '\0' && strchr("=+-@\t\r", text[0]) != NULL;
}

static void csv_cell(FILE *out, const char *text, bool first)
{
    if (!first)
        fputc(',', out);
    if (is_empty(text))
        return;
    bool escape = csv_needs_formula_escape(text);
    bool quote = escape || strpbrk(text, ",\"\r\n") != NULL;
    if (!quote) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    if (escape)
        fputc('\'', out);
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

static void csv_time_cell(FILE *out, int64_t ticks)
{
    char text[48] = "";
    if (ticks != FH_TIME_UNKNOWN)
        format_time(ticks, false, text, sizeof text);
    csv_cell(out, text, false);
}

static void csv_int_cell(FILE *out, bool known, long value)
{
    char text[32] = "";
    if (known)
        snprintf(text, sizeof text, "%ld", value);
    csv_cell(out, text, false);
}

static void join_names(fh_strbuf *buf, char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            fh_strbuf_puts(buf, ",");
        fh_strbuf_puts(buf, names[i] != NULL ? names[i] : "");
    }
}

static void join_sources(fh_strbuf *buf, const fh_ioc_record *record)
{
    fh_ioc_source single;
    const fh_ioc_source *list = NULL;
    size_t count = record_sources(record, &single, &list);
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            fh_strbuf_puts(buf, ",");
        fh_strbuf_puts(buf, list[i].feed);
        if (!is_empty(list[i].id)) {
            fh_strbuf_puts(buf, ":");
            fh_strbuf_puts(buf, list[i].id);
        }
    }
}

static fh_status csv_write(fh_ioc_writer *writer, const fh_ioc_record *record, fh_error *err)
{
    const fh_indicator *ioc = &record->ioc;
    FILE *out = writer->out;
    fh_strbuf aliases = {0}, tags = {0}, sources = {0};
    join_names(&aliases, ioc->aliases, ioc->naliases);
    join_names(&tags, ioc->tags, ioc->ntags);
    join_sources(&sources, record);
    fh_status st = FH_OK;
    if (aliases.failed || tags.failed || sources.failed) {
        st = nomem(err);
        goto done;
    }

    csv_cell(out, fh_ioc_type_name(ioc->type), true);
    csv_cell(out, ioc->value, false);
    csv_cell(out, ioc->address, false);
    csv_int_cell(out, ioc->type == FH_IOC_IP_PORT, ioc->port);
    csv_cell(out, ioc->family, false);
    csv_cell(out, buf_text(&aliases), false);
    csv_cell(out, ioc->threat_type, false);
    csv_int_cell(out, ioc->confidence != FH_CONFIDENCE_UNKNOWN, ioc->confidence);
    csv_time_cell(out, ioc->first_seen);
    csv_time_cell(out, ioc->last_seen);
    csv_cell(out, buf_text(&tags), false);
    csv_cell(out, ioc->reference, false);
    csv_cell(out, ioc->reporter, false);
    csv_cell(out, ioc->description, false);
    csv_cell(out, buf_text(&sources), false);
    csv_cell(out, ioc->flag, false);
    csv_time_cell(out, created_time(record));
    csv_time_cell(out, modified_time(record));
    fputc('\n', out);

done:
    fh_strbuf_free(&aliases);
    fh_strbuf_free(&tags);
    fh_strbuf_free(&sources);
    return st;
}

/* --- JSON lines --- */

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs or surrogates), 0 if none. */
static size_t utf8_length(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    unsigned char lo = 0x80, hi = 0xbf;
    size_t len;
    if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        len = 2;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        len = 3;
        lo = p[0] == 0xe0 ? 0xa0 : 0x80;
        hi = p[0] == 0xed ? 0x9f : 0xbf;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        len = 4;
        lo = p[0] == 0xf0 ? 0x90 : 0x80;
        hi = p[0] == 0xf4 ? 0x8f : 0xbf;
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

/*
 * Makes a JSON string of text. jansson rejects invalid UTF-8, and feeds are not always valid,
 * so each byte that starts no valid sequence becomes U+FFFD. Returns NULL when memory runs out.
 */
static json_t *json_text(const char *text)
{
    json_t *string = json_string(text);
    if (string != NULL)
        return string;

    fh_strbuf fixed;
    fh_strbuf_init(&fixed);
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0';) {
        size_t len = utf8_length(p);
        if (len == 0) {
            fh_strbuf_puts(&fixed, "\xef\xbf\xbd");
            p++;
        } else {
            fh_strbuf_append(&fixed, (const char *)p, len);
            p += len;
        }
    }
    string = buf_text(&fixed) != NULL ? json_string(buf_text(&fixed)) : NULL;
    fh_strbuf_free(&fixed);
    return string;
}

static json_t *json_text_or_null(const char *text)
{
    return is_empty(text) ? json_null() : json_text(text);
}

static json_t *json_time_or_null(int64_t ticks)
{
    char text[48];
    if (ticks == FH_TIME_UNKNOWN || !format_time(ticks, false, text, sizeof text))
        return json_null();
    return json_string(text);
}

static json_t *json_names(char *const *names, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; i < count && array != NULL; i++)
        if (!is_empty(names[i]))
            json_array_append_new(array, json_text(names[i]));
    return array;
}

static json_t *json_sources(const fh_ioc_record *record)
{
    fh_ioc_source single;
    const fh_ioc_source *list = NULL;
    size_t count = record_sources(record, &single, &list);
    json_t *array = json_array();
    for (size_t i = 0; i < count && array != NULL; i++)
        json_array_append_new(array, json_pack("{s:o, s:o}", "feed", json_text(list[i].feed), "id",
                                               json_text_or_null(list[i].id)));
    return array;
}

/* Builds the object with every key present, in a fixed order; unknown values are null. */
static json_t *json_record(const fh_ioc_record *record)
{
    const fh_indicator *ioc = &record->ioc;
    json_t *obj = json_object();
    if (obj == NULL)
        return NULL;
    json_object_set_new(obj, "type", json_string(fh_ioc_type_name(ioc->type)));
    json_object_set_new(obj, "value", json_text_or_null(ioc->value));
    json_object_set_new(obj, "address", json_text_or_null(ioc->address));
    json_object_set_new(obj, "port",
                        ioc->type == FH_IOC_IP_PORT ? json_integer(ioc->port) : json_null());
    json_object_set_new(obj, "family", json_text_or_null(ioc->family));
    json_object_set_new(obj, "aliases", json_names(ioc->aliases, ioc->naliases));
    json_object_set_new(obj, "threat_type", json_text_or_null(ioc->threat_type));
    json_object_set_new(obj, "confidence",
                        ioc->confidence == FH_CONFIDENCE_UNKNOWN ? json_null()
                                                                 : json_integer(ioc->confidence));
    json_object_set_new(obj, "first_seen", json_time_or_null(ioc->first_seen));
    json_object_set_new(obj, "last_seen", json_time_or_null(ioc->last_seen));
    json_object_set_new(obj, "tags", json_names(ioc->tags, ioc->ntags));
    json_object_set_new(obj, "reference", json_text_or_null(ioc->reference));
    json_object_set_new(obj, "reporter", json_text_or_null(ioc->reporter));
    json_object_set_new(obj, "description", json_text_or_null(ioc->description));
    json_object_set_new(obj, "sources", json_sources(record));
    json_object_set_new(obj, "flag", json_text_or_null(ioc->flag));
    json_object_set_new(obj, "created", json_time_or_null(created_time(record)));
    json_object_set_new(obj, "modified", json_time_or_null(modified_time(record)));
    return obj;
}

/* Writes obj compactly with keys in insertion order. A NULL obj means memory ran out; a failed
 * write is reported by fh_ioc_writer_finish. */
static fh_status dump_json(fh_ioc_writer *writer, json_t *obj, fh_error *err)
{
    if (obj == NULL)
        return nomem(err);
    int rc = json_dumpf(obj, writer->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (rc != 0)
        writer->write_failed = true;
    return FH_OK;
}

static fh_status json_write(fh_ioc_writer *writer, const fh_ioc_record *record, fh_error *err)
{
    fh_status st = dump_json(writer, json_record(record), err);
    if (st == FH_OK)
        fputc('\n', writer->out);
    return st;
}

/* --- STIX 2.1 --- */

/* Appends a STIX pattern string literal: single quotes, with ' and \ escaped. */
static void stix_quoted(fh_strbuf *buf, const char *text)
{
    fh_strbuf_puts(buf, "'");
    for (const char *p = text != NULL ? text : ""; *p != '\0'; p++) {
        if (*p == '\'' || *p == '\\')
            fh_strbuf_puts(buf, "\\");
        fh_strbuf_append(buf, p, 1);
    }
    fh_strbuf_puts(buf, "'");
}

static const char *address_object_type(const char *address)
{
    return strchr(address, ':') != NULL ? "ipv6-addr" : "ipv4-addr";
}

static void stix_ip_port_pattern(fh_strbuf *buf, const fh_indicator *ioc)
{
    char address_buf[FH_MAX_INDICATOR_BYTES];
    const char *address = network_address(ioc, address_buf, sizeof address_buf);
    char port[32];
    snprintf(port, sizeof port, "%d", ioc->port);

    fh_strbuf_puts(buf, "[network-traffic:dst_ref.type = '");
    fh_strbuf_puts(buf, address_object_type(address));
    fh_strbuf_puts(buf, "' AND network-traffic:dst_ref.value = ");
    stix_quoted(buf, address);
    fh_strbuf_puts(buf, " AND network-traffic:dst_port = ");
    fh_strbuf_puts(buf, port);
    fh_strbuf_puts(buf, "]");
}

/* Writes the pattern of one indicator, per the STIX 2.1 object paths of each type. */
void fh_ioc_stix_pattern(fh_strbuf *buf, const fh_indicator *ioc)
{
    static const char *const paths[FH_IOC_TYPE_COUNT] = {
        [FH_IOC_IPV4] = "ipv4-addr:value",         [FH_IOC_IPV6] = "ipv6-addr:value",
        [FH_IOC_DOMAIN] = "domain-name:value",     [FH_IOC_URL] = "url:value",
        [FH_IOC_MD5] = "file:hashes.MD5",          [FH_IOC_SHA1] = "file:hashes.'SHA-1'",
        [FH_IOC_SHA256] = "file:hashes.'SHA-256'",
    };
    if (ioc->type == FH_IOC_IP_PORT) {
        stix_ip_port_pattern(buf, ioc);
        return;
    }
    fh_strbuf_puts(buf, "[");
    if (ioc->type == FH_IOC_CIDR) {
        fh_strbuf_puts(buf, address_object_type(ioc->value != NULL ? ioc->value : ""));
        fh_strbuf_puts(buf, ":value ISSUBSET ");
    } else {
        fh_strbuf_puts(buf, paths[ioc->type]);
        fh_strbuf_puts(buf, " = ");
    }
    stix_quoted(buf, ioc->value);
    fh_strbuf_puts(buf, "]");
}

/* Labels: the family, its aliases and the tags, each once ignoring ASCII case. */
static json_t *stix_labels(const fh_indicator *ioc)
{
    json_t *labels = json_array();
    const char *first[1] = {ioc->family};
    char *const *lists[3] = {(char *const *)first, ioc->aliases, ioc->tags};
    size_t counts[3] = {1, ioc->naliases, ioc->ntags};
    for (int l = 0; l < 3 && labels != NULL; l++) {
        for (size_t i = 0; i < counts[l]; i++) {
            const char *label = lists[l][i];
            bool seen = is_empty(label);
            for (size_t j = 0; j < json_array_size(labels) && !seen; j++)
                seen = strcasecmp(json_string_value(json_array_get(labels, j)), label) == 0;
            if (!seen)
                json_array_append_new(labels, json_text(label));
        }
    }
    return labels;
}

static json_t *stix_references(const fh_ioc_record *record)
{
    fh_ioc_source single;
    const fh_ioc_source *list = NULL;
    size_t count = record_sources(record, &single, &list);
    json_t *refs = json_array();
    char link[256];
    for (size_t i = 0; i < count && refs != NULL; i++) {
        json_t *ref = json_pack("{s:o}", "source_name", json_text(list[i].feed));
        if (!is_empty(list[i].id))
            json_object_set_new(ref, "external_id", json_text(list[i].id));
        if (i == 0 && threatfox_link(record, link, sizeof link))
            json_object_set_new(ref, "url", json_text(link));
        json_array_append_new(refs, ref);
    }
    if (refs != NULL && !is_empty(record->ioc.reference))
        json_array_append_new(refs, json_pack("{s:s, s:o}", "source_name", "reference", "url",
                                              json_text(record->ioc.reference)));
    return refs;
}

static void set_time(json_t *obj, const char *key, int64_t ticks)
{
    char text[48];
    if (!format_time(ticks, true, text, sizeof text))
        snprintf(text, sizeof text, "1970-01-01T00:00:00.000Z");
    json_object_set_new(obj, key, json_string(text));
}

static void stix_set_name(json_t *obj, const fh_indicator *ioc)
{
    fh_strbuf name = {0};
    if (!is_empty(ioc->family)) {
        fh_strbuf_puts(&name, ioc->family);
        fh_strbuf_puts(&name, " ");
    }
    fh_strbuf_puts(&name, fh_ioc_type_name(ioc->type));
    fh_strbuf_puts(&name, " ");
    fh_strbuf_puts(&name, ioc->value != NULL ? ioc->value : "");
    if (buf_text(&name) != NULL)
        json_object_set_new(obj, "name", json_text(buf_text(&name)));
    fh_strbuf_free(&name);
}

static json_t *stix_object(const fh_ioc_record *record, const char *id, const char *pattern)
{
    const fh_indicator *ioc = &record->ioc;
    json_t *obj = json_object();
    if (obj == NULL)
        return NULL;
    json_object_set_new(obj, "type", json_string("indicator"));
    json_object_set_new(obj, "spec_version", json_string("2.1"));
    json_object_set_new(obj, "id", json_string(id));
    set_time(obj, "created", created_time(record));
    set_time(obj, "modified", modified_time(record));
    stix_set_name(obj, ioc);
    if (!is_empty(ioc->description))
        json_object_set_new(obj, "description", json_text(ioc->description));
    json_object_set_new(obj, "indicator_types", json_pack("[s]", "malicious-activity"));
    json_object_set_new(obj, "pattern", json_text(pattern));
    json_object_set_new(obj, "pattern_type", json_string("stix"));
    json_object_set_new(obj, "pattern_version", json_string("2.1"));
    set_time(obj, "valid_from",
             ioc->first_seen != FH_TIME_UNKNOWN ? ioc->first_seen : created_time(record));
    if (ioc->confidence != FH_CONFIDENCE_UNKNOWN)
        json_object_set_new(obj, "confidence", json_integer(ioc->confidence));

    json_t *labels = stix_labels(ioc);
    if (json_array_size(labels) > 0)
        json_object_set_new(obj, "labels", labels);
    else
        json_decref(labels);
    json_t *refs = stix_references(record);
    if (json_array_size(refs) > 0)
        json_object_set_new(obj, "external_references", refs);
    else
        json_decref(refs);
    return obj;
}

static fh_status stix_write(fh_ioc_writer *writer, const fh_ioc_record *record, fh_error *err)
{
    char id[FH_STIX_ID_SIZE];
    fh_ioc_stix_id(record->ioc.type, record->ioc.value, id);
    fh_sha1_update(&writer->bundle_hash, id, strlen(id));

    fh_strbuf pattern = {0};
    fh_ioc_stix_pattern(&pattern, &record->ioc);
    if (buf_text(&pattern) == NULL)
        return nomem(err);

    fputs(writer->count == 0 ? "\n" : ",\n", writer->out);
    fh_status st = dump_json(writer, stix_object(record, id, buf_text(&pattern)), err);
    fh_strbuf_free(&pattern);
    return st;
}

/*
 * Ends the bundle. Its id comes last, because it is derived from every indicator id so that
 * the same indicators give the same bundle id; JSON object members have no order.
 */
static void stix_finish(fh_ioc_writer *writer)
{
    char uuid[37];
    fh_uuid_v5_finish(&writer->bundle_hash, uuid);
    fprintf(writer->out, "%s],\"id\":\"bundle--%s\"}\n", writer->count > 0 ? "\n" : "", uuid);
}

/* --- Zeek intel --- */

static const char zeek_header[] =
    "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\n";

/* Writes a field with TAB, CR, LF and other control bytes replaced by spaces; "-" if empty. */
static void zeek_field(FILE *out, const char *text, bool last)
{
    if (is_empty(text)) {
        fputc('-', out);
    } else {
        for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++)
            fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
    }
    fputc(last ? '\n' : '\t', out);
}

static void zeek_line(FILE *out, const char *indicator, const char *type, const char *source,
                      const char *desc, const char *url)
{
    zeek_field(out, indicator, false);
    zeek_field(out, type, false);
    zeek_field(out, source, false);
    zeek_field(out, desc, false);
    zeek_field(out, url, true);
}

/* "FAMILY THREAT_TYPE conf=N", leaving out what is unknown. */
static void zeek_desc(fh_strbuf *desc, const char *family, const char *threat_type, int confidence)
{
    const char *sep = "";
    if (!is_empty(family)) {
        fh_strbuf_puts(desc, family);
        sep = " ";
    }
    if (!is_empty(threat_type)) {
        fh_strbuf_puts(desc, sep);
        fh_strbuf_puts(desc, threat_type);
        sep = " ";
    }
    if (confidence != FH_CONFIDENCE_UNKNOWN)
        fh_strbuf_printf(desc, "%sconf=%d", sep, confidence);
}

static const char *zeek_source(const fh_ioc_record *record)
{
    const char *feed = first_source_feed(record);
    return is_empty(feed) ? "foxhound" : feed;
}

/* The reference link, else the ThreatFox page of the indicator; NULL when neither exists. */
static const char *zeek_url(const fh_ioc_record *record, char *link, size_t size)
{
    if (!is_empty(record->ioc.reference))
        return record->ioc.reference;
    return threatfox_link(record, link, size) ? link : NULL;
}

/* Zeek matches URLs as host[:port]/path without a scheme (Intel::URL in main.zeek). */
static const char *zeek_url_indicator(const char *url)
{
    const char *scheme_end = url != NULL ? strstr(url, "://") : NULL;
    return scheme_end != NULL ? scheme_end + 3 : url;
}

static void zeek_drop_pending(fh_ioc_writer *writer)
{
    free(writer->pending_address);
    free(writer->pending_family);
    free(writer->pending_threat_type);
    free(writer->pending_source);
    free(writer->pending_url);
    writer->pending_address = writer->pending_family = writer->pending_threat_type = NULL;
    writer->pending_source = writer->pending_url = NULL;
}

/* Writes the ADDR line of the pending address: the first indicator's family, threat type,
 * source and link, the highest confidence, and every port. */
static void zeek_flush_pending(fh_ioc_writer *writer)
{
    if (writer->pending_address == NULL)
        return;
    fh_strbuf desc;
    fh_strbuf_init(&desc);
    zeek_desc(&desc, writer->pending_family, writer->pending_threat_type,
              writer->pending_confidence);
    fh_strbuf_puts(&desc, desc.len == 0 ? "port=" : " port=");
    fh_strbuf_puts(&desc, writer->pending_ports);
    zeek_line(writer->out, writer->pending_address, "Intel::ADDR", writer->pending_source,
              buf_text(&desc) != NULL ? buf_text(&desc) : writer->pending_ports,
              writer->pending_url);
    fh_strbuf_free(&desc);
    zeek_drop_pending(writer);
}

static void zeek_add_port(fh_ioc_writer *writer, int port)
{
    char text[16];
    size_t used = strlen(writer->pending_ports);
    snprintf(text, sizeof text, "%s%d", used > 0 ? "," : "", port);
    if (used + strlen(text) + 5 < sizeof writer->pending_ports)
        strcat(writer->pending_ports, text);
    else if (used < 4 || strcmp(writer->pending_ports + used - 4, ",...") != 0)
        strcat(writer->pending_ports, ",...");
}

static char *dup_or_null(const char *text, bool *failed)
{
    if (text == NULL)
        return NULL;
    char *copy = strdup(text);
    if (copy == NULL)
        *failed = true;
    return copy;
}

static fh_status zeek_start_pending(fh_ioc_writer *writer, const fh_ioc_record *record,
                                    const char *address, fh_error *err)
{
    char link[256];
    bool failed = false;
    writer->pending_address = dup_or_null(address, &failed);
    writer->pending_family = dup_or_null(record->ioc.family, &failed);
    writer->pending_threat_type = dup_or_null(record->ioc.threat_type, &failed);
    writer->pending_confidence = record->ioc.confidence;
    writer->pending_source = dup_or_null(zeek_source(record), &failed);
    writer->pending_url = dup_or_null(zeek_url(record, link, sizeof link), &failed);
    writer->pending_ports[0] = '\0';
    if (failed) {
        zeek_drop_pending(writer);
        return nomem(err);
    }
    zeek_add_port(writer, record->ioc.port);
    return FH_OK;
}

static fh_status zeek_write_ip_port(fh_ioc_writer *writer, const fh_ioc_record *record,
                                    fh_error *err)
{
    char address_buf[FH_MAX_INDICATOR_BYTES];
    const char *address = network_address(&record->ioc, address_buf, sizeof address_buf);
    if (writer->pending_address != NULL && strcmp(writer->pending_address, address) == 0) {
        zeek_add_port(writer, record->ioc.port);
        if (record->ioc.confidence > writer->pending_confidence)
            writer->pending_confidence = record->ioc.confidence;
        return FH_OK;
    }
    zeek_flush_pending(writer);
    return zeek_start_pending(writer, record, address, err);
}

static const char *zeek_type(fh_ioc_type type)
{
    switch (type) {
    case FH_IOC_IPV4:
    case FH_IOC_IPV6:
    case FH_IOC_IP_PORT:
        return "Intel::ADDR";
    case FH_IOC_CIDR:
        return "Intel::SUBNET";
    case FH_IOC_DOMAIN:
        return "Intel::DOMAIN";
    case FH_IOC_URL:
        return "Intel::URL";
    default:
        return "Intel::FILE_HASH";
    }
}

static fh_status zeek_write(fh_ioc_writer *writer, const fh_ioc_record *record, fh_error *err)
{
    const fh_indicator *ioc = &record->ioc;
    if (ioc->type == FH_IOC_IP_PORT)
        return zeek_write_ip_port(writer, record, err);
    zeek_flush_pending(writer);

    fh_strbuf desc = {0};
    zeek_desc(&desc, ioc->family, ioc->threat_type, ioc->confidence);
    if (desc.failed) {
        fh_strbuf_free(&desc);
        return nomem(err);
    }
    char link[256];
    const char *indicator = ioc->type == FH_IOC_URL ? zeek_url_indicator(ioc->value) : ioc->value;
    zeek_line(writer->out, indicator, zeek_type(ioc->type), zeek_source(record), buf_text(&desc),
              zeek_url(record, link, sizeof link));
    fh_strbuf_free(&desc);
    return FH_OK;
}

/* --- The writer --- */

fh_status fh_ioc_writer_open(fh_ioc_export_format format, FILE *out, const char *out_name,
                             fh_ioc_writer **writer, fh_error *err)
{
    *writer = NULL;
    if ((unsigned)format >= FH_IOC_EXPORT_COUNT)
        return fh_error_set(err, FH_ERR_USAGE, NULL, 0, 0, "invalid export format number %d",
                            (int)format);
    fh_ioc_writer *w = calloc(1, sizeof *w);
    if (w == NULL || (w->out_name = strdup(out_name != NULL ? out_name : "-")) == NULL) {
        free(w);
        return nomem(err);
    }
    w->format = format;
    w->out = out;
    fh_sha1_init(&w->bundle_hash);
    fh_sha1_update(&w->bundle_hash, stix_namespace, sizeof stix_namespace);

    if (format == FH_IOC_EXPORT_CSV)
        fputs(csv_header, out);
    else if (format == FH_IOC_EXPORT_STIX)
        fputs("{\"type\":\"bundle\",\"objects\":[", out);
    else if (format == FH_IOC_EXPORT_ZEEK)
        fputs(zeek_header, out);
    *writer = w;
    return FH_OK;
}

fh_status fh_ioc_writer_write(fh_ioc_writer *writer, const fh_ioc_record *record, fh_error *err)
{
    if ((unsigned)record->ioc.type >= FH_IOC_TYPE_COUNT)
        return fh_error_set(err, FH_ERR_INVALID, NULL, 0, 0,
                            "cannot export an indicator of type number %d", (int)record->ioc.type);
    fh_status st;
    switch (writer->format) {
    case FH_IOC_EXPORT_CSV:
        st = csv_write(writer, record, err);
        break;
    case FH_IOC_EXPORT_JSON:
        st = json_write(writer, record, err);
        break;
    case FH_IOC_EXPORT_STIX:
        st = stix_write(writer, record, err);
        break;
    default:
        st = zeek_write(writer, record, err);
        break;
    }
    if (st == FH_OK)
        writer->count++;
    return st;
}

fh_status fh_ioc_writer_finish(fh_ioc_writer *writer, fh_error *err)
{
    if (writer->format == FH_IOC_EXPORT_STIX)
        stix_finish(writer);
    else if (writer->format == FH_IOC_EXPORT_ZEEK)
        zeek_flush_pending(writer);

    if (fflush(writer->out) != 0 || ferror(writer->out) || writer->write_failed)
        return fh_error_set(err, FH_ERR_IO, writer->out_name, 0, 0, "writing indicators failed: %s",
                            errno != 0 ? strerror(errno) : "output error");
    return FH_OK;
}

uint64_t fh_ioc_writer_count(const fh_ioc_writer *writer)
{
    return writer->count;
}

void fh_ioc_writer_destroy(fh_ioc_writer *writer)
{
    if (writer == NULL)
        return;
    zeek_drop_pending(writer);
    free(writer->out_name);
    free(writer);
}

fh_status fh_ioc_export(fh_ioc_store *store, const fh_ioc_filter *filter,
                        fh_ioc_export_format format, FILE *out, const char *out_name,
                        uint64_t *count, fh_error *err)
{
    *count = 0;
    fh_ioc_cursor *cursor = NULL;
    fh_ioc_writer *writer = NULL;
    fh_status st = fh_ioc_store_query(store, filter, &cursor, err);
    if (st == FH_OK)
        st = fh_ioc_writer_open(format, out, out_name, &writer, err);

    const fh_ioc_record *record = NULL;
    while (st == FH_OK && (st = fh_ioc_cursor_next(cursor, &record, err)) == FH_OK)
        st = fh_ioc_writer_write(writer, record, err);
    if (st == FH_DONE)
        st = fh_ioc_writer_finish(writer, err);
    if (writer != NULL)
        *count = fh_ioc_writer_count(writer);

    fh_ioc_writer_destroy(writer);
    fh_ioc_cursor_close(cursor);
    return st;
}
