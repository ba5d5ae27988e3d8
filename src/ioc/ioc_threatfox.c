/*
 * abuse.ch ThreatFox importer: API responses ({"query_status":"ok","data":[...]}), JSON
 * exports keyed by IOC id ({"123":[{...}]}) and CSV exports.
 *
 * The two JSON shapes name fields differently (ioc/ioc_value, first_seen/first_seen_utc) and
 * carry tags as an array or a comma-joined string. The CSV export quotes every field, joins
 * fields with ", " and puts its header in a comment line ('# "first_seen_utc","ioc_id",...').
 * Its column set changed over time (is_compromised was added as a 15th column), so columns
 * are mapped by the names in that header.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

/* Fields of one ThreatFox record, in the spellings of the API and the exports. */
typedef struct tf_fields {
    const char *id, *value, *ioc_type, *threat_type, *malware, *malware_printable;
    const char *malware_alias, *first_seen, *last_seen, *confidence, *reference, *reporter;
    const char *tags, *is_compromised;
    size_t id_len, value_len, ioc_type_len, threat_type_len, malware_len, printable_len;
    size_t alias_len, first_len, last_len, confidence_len, reference_len, reporter_len;
    size_t tags_len, compromised_len;
    json_t *tag_array; /* API responses carry tags as a JSON array instead of a string */
} tf_fields;

static const struct {
    const char *name;
    fh_ioc_type type;
} tf_types[] = {
    {"ip:port", FH_IOC_IP_PORT}, {"domain", FH_IOC_DOMAIN},  {"url", FH_IOC_URL},
    {"md5_hash", FH_IOC_MD5},    {"sha1_hash", FH_IOC_SHA1}, {"sha256_hash", FH_IOC_SHA256},
};

static bool tf_type(const char *s, size_t n, fh_ioc_type *out)
{
    for (size_t i = 0; i < sizeof tf_types / sizeof tf_types[0]; i++) {
        if (strlen(tf_types[i].name) == n && strncmp(tf_types[i].name, s, n) == 0) {
            *out = tf_types[i].type;
            return true;
        }
    }
    return false;
}

static bool text_is(const char *s, size_t n, const char *word)
{
    return s != NULL && strlen(word) == n && strncmp(s, word, n) == 0;
}

/*
 * Returns the bytes that tf_meta may copy into the scratch: each text, list entry and NUL,
 * with slack.
 */
static size_t tf_meta_bytes(const tf_fields *f)
{
    size_t lists = f->malware_len + f->alias_len + f->tags_len;
    size_t i;
    json_t *tag;
    json_array_foreach(f->tag_array, i, tag)
    {
        if (json_is_string(tag))
            lists += json_string_length(tag) + 1;
    }
    return f->id_len + f->threat_type_len + f->printable_len + f->reference_len + f->reporter_len +
           2 * lists + 64;
}

/* Fills meta from a record with strings in the import's scratch, which meta borrows. */
static fh_status tf_meta(ioc_import *imp, const tf_fields *f, fh_indicator *meta)
{
    ioc_scratch *scratch = &imp->scratch;
    fh_status st = ioc_scratch_begin(scratch, tf_meta_bytes(f), meta);
    if (st == FH_OK)
        st = ioc_scratch_text(scratch, &meta->source_feed, "threatfox", 9);
    if (st == FH_OK && f->id != NULL)
        st = ioc_scratch_text(scratch, &meta->source_id, f->id, f->id_len);
    if (st == FH_OK && f->threat_type != NULL)
        st = ioc_scratch_text(scratch, &meta->threat_type, f->threat_type, f->threat_type_len);
    /* "unknown" / "Unknown malware" is ThreatFox's placeholder, not a family. */
    bool unknown = text_is(f->malware, f->malware_len, "unknown");
    if (st == FH_OK && f->malware_printable != NULL && !unknown)
        st = ioc_scratch_text(scratch, &meta->family, f->malware_printable, f->printable_len);
    if (st == FH_OK && f->malware != NULL && !unknown)
        st = ioc_list_status(imp, ioc_scratch_alias(scratch, meta, f->malware, f->malware_len));
    if (st == FH_OK && f->malware_alias != NULL)
        st = ioc_list_status(
            imp, ioc_scratch_alias_list(scratch, meta, f->malware_alias, f->alias_len, ','));
    if (st == FH_OK && f->reference != NULL)
        st = ioc_scratch_text(scratch, &meta->reference, f->reference, f->reference_len);
    if (st == FH_OK && f->reporter != NULL)
        st = ioc_scratch_text(scratch, &meta->reporter, f->reporter, f->reporter_len);
    if (st == FH_OK && f->tags != NULL)
        st = ioc_list_status(imp, ioc_scratch_tag_list(scratch, meta, f->tags, f->tags_len, ','));
    size_t i;
    json_t *tag;
    json_array_foreach(f->tag_array, i, tag)
    {
        if (st == FH_OK && json_is_string(tag))
            st = ioc_list_status(imp, ioc_scratch_tag(scratch, meta, json_string_value(tag),
                                                      json_string_length(tag)));
    }
    /* A compromised legitimate host is lower-fidelity evidence than attacker infrastructure. */
    bool compromised = text_is(f->is_compromised, f->compromised_len, "True") ||
                       text_is(f->is_compromised, f->compromised_len, "true");
    if (st == FH_OK && compromised)
        st = ioc_list_status(imp, ioc_scratch_tag(scratch, meta, "compromised", 11));
    if (st == FH_ERR_NOMEM)
        return fh_error_set(imp->err, st, imp->name, 0, 0, "out of memory");
    if (st == FH_ERR_INTERNAL)
        return fh_error_set(imp->err, st, imp->name, 0, 0,
                            "ThreatFox record metadata overran its scratch buffer");
    return st;
}

/* Checks the confidence and the times; returns false with a reason when one is malformed. */
static bool tf_numbers(const tf_fields *f, fh_indicator *meta, char *why, size_t whysz)
{
    if (f->confidence != NULL && !ioc_is_null_text(f->confidence, f->confidence_len) &&
        !ioc_parse_confidence(f->confidence, f->confidence_len, &meta->confidence)) {
        snprintf(why, whysz, "confidence_level '%.*s' is not a number from 0 to 100",
                 (int)(f->confidence_len > 20 ? 20 : f->confidence_len), f->confidence);
        return false;
    }
    if (f->first_seen != NULL && !ioc_parse_time(f->first_seen, f->first_len, &meta->first_seen)) {
        snprintf(why, whysz, "first seen time '%.*s' is not a date and time",
                 (int)(f->first_len > 40 ? 40 : f->first_len), f->first_seen);
        return false;
    }
    if (f->last_seen != NULL && !ioc_parse_time(f->last_seen, f->last_len, &meta->last_seen)) {
        snprintf(why, whysz, "last seen time '%.*s' is not a date and time",
                 (int)(f->last_len > 40 ? 40 : f->last_len), f->last_seen);
        return false;
    }
    return true;
}

/* Imports one record: type check, metadata, then the value. */
static fh_status tf_record(ioc_import *imp, unsigned long line, const tf_fields *f,
                           const char *where)
{
    if (f->value == NULL || f->ioc_type == NULL) {
        char reason[160];
        snprintf(reason, sizeof reason, "%s: record has no %s", where,
                 f->value == NULL ? "IOC value" : "ioc_type");
        return fh_ioc_set_reject(imp->set, imp->name, line, "", 0, reason);
    }
    fh_ioc_type type;
    if (!tf_type(f->ioc_type, f->ioc_type_len, &type)) {
        char reason[128];
        snprintf(reason, sizeof reason, "ThreatFox ioc_type '%.*s' is not hunted",
                 (int)(f->ioc_type_len > 40 ? 40 : f->ioc_type_len), f->ioc_type);
        return fh_ioc_set_skip(imp->set, reason);
    }

    fh_indicator meta;
    char why[160];
    fh_status st = tf_meta(imp, f, &meta);
    if (st == FH_OK && !tf_numbers(f, &meta, why, sizeof why)) {
        char reason[256];
        snprintf(reason, sizeof reason, "%s: %s", where, why);
        st = ioc_reject(imp, line, f->value, f->value_len, reason);
    } else if (st == FH_OK) {
        st = ioc_emit(imp, line, type, f->value, f->value_len, &meta, where);
    }
    return st;
}

/* Reads a member as text: strings as they are, numbers and booleans as written in JSON. */
static const char *json_field(json_t *obj, const char *key, size_t *len, char *num, size_t numsz)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_string(v)) {
        *len = json_string_length(v);
        return json_string_value(v);
    }
    if (num == NULL)
        return NULL;
    if (json_is_integer(v))
        snprintf(num, numsz, "%lld", (long long)json_integer_value(v));
    else if (json_is_true(v))
        snprintf(num, numsz, "true");
    else if (json_is_false(v))
        snprintf(num, numsz, "false");
    else
        return NULL;
    *len = strlen(num);
    return num;
}

static fh_status tf_json_record(ioc_import *imp, json_t *obj, const char *id, const char *where)
{
    if (!json_is_object(obj)) {
        char reason[160];
        snprintf(reason, sizeof reason, "%s: record is not a JSON object", where);
        return fh_ioc_set_reject(imp->set, imp->name, 0, "", 0, reason);
    }
    char idbuf[32], confbuf[32], cbuf[8];
    tf_fields f = {0};
    f.id = id != NULL ? id : json_field(obj, "id", &f.id_len, idbuf, sizeof idbuf);
    if (id != NULL)
        f.id_len = strlen(id);
    f.value = json_field(obj, "ioc", &f.value_len, NULL, 0);
    if (f.value == NULL)
        f.value = json_field(obj, "ioc_value", &f.value_len, NULL, 0);
    f.ioc_type = json_field(obj, "ioc_type", &f.ioc_type_len, NULL, 0);
    f.threat_type = json_field(obj, "threat_type", &f.threat_type_len, NULL, 0);
    f.malware = json_field(obj, "malware", &f.malware_len, NULL, 0);
    f.malware_printable = json_field(obj, "malware_printable", &f.printable_len, NULL, 0);
    f.malware_alias = json_field(obj, "malware_alias", &f.alias_len, NULL, 0);
    f.first_seen = json_field(obj, "first_seen", &f.first_len, NULL, 0);
    if (f.first_seen == NULL)
        f.first_seen = json_field(obj, "first_seen_utc", &f.first_len, NULL, 0);
    f.last_seen = json_field(obj, "last_seen", &f.last_len, NULL, 0);
    if (f.last_seen == NULL)
        f.last_seen = json_field(obj, "last_seen_utc", &f.last_len, NULL, 0);
    f.confidence = json_field(obj, "confidence_level", &f.confidence_len, confbuf, sizeof confbuf);
    f.reference = json_field(obj, "reference", &f.reference_len, NULL, 0);
    f.reporter = json_field(obj, "reporter", &f.reporter_len, NULL, 0);
    json_t *tags = json_object_get(obj, "tags");
    if (json_is_array(tags))
        f.tag_array = tags;
    else
        f.tags = json_field(obj, "tags", &f.tags_len, NULL, 0);
    f.is_compromised = json_field(obj, "is_compromised", &f.compromised_len, cbuf, sizeof cbuf);
    return tf_record(imp, 0, &f, where);
}

static fh_status tf_api(ioc_import *imp, json_t *root)
{
    const char *status = ioc_json_str(root, "query_status");
    if (status != NULL && strcmp(status, "no_result") == 0)
        return FH_OK;
    if (status == NULL || strcmp(status, "ok") != 0)
        return fh_error_set(imp->err, FH_ERR_INVALID, imp->name, 0, 0,
                            "ThreatFox query_status is '%s', not 'ok'; the response holds no "
                            "indicators",
                            status != NULL ? status : "(not a string)");

    json_t *data = json_object_get(root, "data");
    if (!json_is_array(data))
        return fh_error_set(imp->err, FH_ERR_PARSE, imp->name, 0, 0,
                            "ThreatFox response has query_status 'ok' but no \"data\" array");
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item)
    {
        char where[48];
        snprintf(where, sizeof where, "data[%zu]", i);
        fh_status st = tf_json_record(imp, item, NULL, where);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status tf_export(ioc_import *imp, json_t *root)
{
    const char *id;
    json_t *records;
    json_object_foreach(root, id, records)
    {
        json_t *list = records;
        size_t count = json_is_array(list) ? json_array_size(list) : 1;
        for (size_t i = 0; i < count; i++) {
            json_t *item = json_is_array(list) ? json_array_get(list, i) : list;
            char where[96];
            snprintf(where, sizeof where, "\"%.40s\"[%zu]", id, i);
            fh_status st = tf_json_record(imp, item, id, where);
            if (st != FH_OK)
                return st;
        }
    }
    return FH_OK;
}

fh_status ioc_threatfox_json(ioc_import *imp, json_t *root)
{
    if (!json_is_object(root))
        return fh_error_set(imp->err, FH_ERR_PARSE, imp->name, 1, 1,
                            "ThreatFox JSON must be an object (an API response or an export)");
    if (json_object_get(root, "query_status") != NULL)
        return tf_api(imp, root);
    return tf_export(imp, root);
}

/* CSV */

enum { TF_COL_MAX = 32 };

typedef struct csv_field {
    const char *s;
    size_t n;
    bool doubled; /* whether the text contains "" that unquote turns into " */
} csv_field;

/* Reads a quoted field from line[*i] (after its opening quote) to its closing quote. */
static bool csv_quoted(const char *line, size_t n, size_t *i, csv_field *f)
{
    size_t start = *i;
    f->doubled = false;
    for (;;) {
        const char *quote = *i < n ? memchr(line + *i, '"', n - *i) : NULL;
        if (quote == NULL)
            return false;
        size_t at = (size_t)(quote - line);
        if (at + 1 < n && line[at + 1] == '"') {
            f->doubled = true;
            *i = at + 2;
            continue;
        }
        f->s = line + start;
        f->n = at - start;
        *i = at + 1;
        return true;
    }
}

/* Reads a bare field up to the next ',', without the spaces before the comma. */
static void csv_bare(const char *line, size_t n, size_t *i, csv_field *f)
{
    const char *comma = memchr(line + *i, ',', n - *i);
    size_t end = comma == NULL ? n : (size_t)(comma - line);
    f->s = line + *i;
    f->n = end - *i;
    *i = end;
    while (f->n > 0 && f->s[f->n - 1] == ' ')
        f->n--;
    /* A bare field keeps any "" as written, and unquote collapses it like a quoted one. */
    f->doubled = memchr(f->s, '"', f->n) != NULL && memmem(f->s, f->n, "\"\"", 2) != NULL;
}

/*
 * Splits one CSV record into fields: double-quoted with "" for a quote, or bare, separated by
 * ',' with optional spaces around it. Returns false with the 1-based column of the problem.
 */
static bool csv_split(const char *line, size_t n, csv_field *fields, size_t *count,
                      size_t *bad_column)
{
    size_t i = 0;
    *count = 0;
    for (;;) {
        while (i < n && line[i] == ' ')
            i++;
        if (*count >= TF_COL_MAX) {
            *bad_column = i + 1;
            return false;
        }
        csv_field *f = &fields[(*count)++];
        if (i < n && line[i] == '"') {
            size_t start = ++i;
            if (!csv_quoted(line, n, &i, f)) {
                *bad_column = start;
                return false;
            }
        } else {
            csv_bare(line, n, &i, f);
        }
        while (i < n && line[i] == ' ')
            i++;
        if (i >= n)
            return true;
        if (line[i] != ',') {
            *bad_column = i + 1;
            return false;
        }
        i++;
    }
}

static int column_of(const csv_field *names, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(name) == names[i].n && strncmp(names[i].s, name, names[i].n) == 0)
            return (int)i;
    return -1;
}

static void map_columns(const csv_field *names, size_t count, ioc_tf_columns *c)
{
    c->count = count;
    c->first_seen = column_of(names, count, "first_seen_utc");
    c->id = column_of(names, count, "ioc_id");
    c->value = column_of(names, count, "ioc_value");
    c->ioc_type = column_of(names, count, "ioc_type");
    c->threat_type = column_of(names, count, "threat_type");
    c->malware = column_of(names, count, "fk_malware");
    c->alias = column_of(names, count, "malware_alias");
    c->printable = column_of(names, count, "malware_printable");
    c->last_seen = column_of(names, count, "last_seen_utc");
    c->confidence = column_of(names, count, "confidence_level");
    c->compromised = column_of(names, count, "is_compromised");
    c->reference = column_of(names, count, "reference");
    c->tags = column_of(names, count, "tags");
    c->reporter = column_of(names, count, "reporter");
}

/*
 * Column names of the export when a file has lost its header comment: 15 columns since
 * is_compromised was added, 14 before.
 */
static void default_columns(size_t count, ioc_tf_columns *c)
{
    static const char *const names[] = {
        "first_seen_utc", "ioc_id",           "ioc_value",      "ioc_type",
        "threat_type",    "fk_malware",       "malware_alias",  "malware_printable",
        "last_seen_utc",  "confidence_level", "is_compromised", "reference",
        "tags",           "anonymous",        "reporter"};
    csv_field fields[15];
    size_t k = 0;
    for (size_t i = 0; i < 15; i++) {
        if (count == 14 && i == 10)
            continue;
        fields[k].s = names[i];
        fields[k].n = strlen(names[i]);
        k++;
    }
    map_columns(fields, k, c);
}

static void pick(const csv_field *fields, int col, const char **s, size_t *n)
{
    if (col < 0) {
        *s = NULL;
        *n = 0;
        return;
    }
    *s = fields[col].s;
    *n = fields[col].n;
}

/* Returns a copy of a quoted field with "" turned into ", or the field itself. */
static const char *unquote(const csv_field *f, size_t *n, char **owned)
{
    *owned = NULL;
    *n = f->n;
    if (!f->doubled)
        return f->s;
    char *copy = malloc(f->n + 1);
    if (copy == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < f->n; i++) {
        copy[k++] = f->s[i];
        if (f->s[i] == '"' && i + 1 < f->n && f->s[i + 1] == '"')
            i++;
    }
    copy[k] = '\0';
    *owned = copy;
    *n = k;
    return copy;
}

static fh_status csv_row(ioc_import *imp, unsigned long line, csv_field *fields, size_t count,
                         const ioc_tf_columns *c)
{
    if (count != c->count) {
        char reason[160];
        snprintf(reason, sizeof reason, "row has %zu fields, the header has %zu", count, c->count);
        const char *value = c->value >= 0 && (size_t)c->value < count ? fields[c->value].s : "";
        size_t vlen = c->value >= 0 && (size_t)c->value < count ? fields[c->value].n : 0;
        return fh_ioc_set_reject(imp->set, imp->name, line, value, vlen, reason);
    }

    char *owned[TF_COL_MAX] = {0};
    for (size_t i = 0; i < count; i++)
        fields[i].s = unquote(&fields[i], &fields[i].n, &owned[i]);

    tf_fields f = {0};
    pick(fields, c->id, &f.id, &f.id_len);
    pick(fields, c->value, &f.value, &f.value_len);
    pick(fields, c->ioc_type, &f.ioc_type, &f.ioc_type_len);
    pick(fields, c->threat_type, &f.threat_type, &f.threat_type_len);
    pick(fields, c->malware, &f.malware, &f.malware_len);
    pick(fields, c->printable, &f.malware_printable, &f.printable_len);
    pick(fields, c->alias, &f.malware_alias, &f.alias_len);
    pick(fields, c->first_seen, &f.first_seen, &f.first_len);
    pick(fields, c->last_seen, &f.last_seen, &f.last_len);
    pick(fields, c->confidence, &f.confidence, &f.confidence_len);
    pick(fields, c->reference, &f.reference, &f.reference_len);
    pick(fields, c->reporter, &f.reporter, &f.reporter_len);
    pick(fields, c->tags, &f.tags, &f.tags_len);
    pick(fields, c->compromised, &f.is_compromised, &f.compromised_len);

    bool oom = false;
    for (size_t i = 0; i < count; i++)
        oom = oom || fields[i].s == NULL;
    fh_status st = oom ? fh_error_set(imp->err, FH_ERR_NOMEM, imp->name, line, 0, "out of memory")
                       : tf_record(imp, line, &f, "row");
    for (size_t i = 0; i < count; i++)
        free(owned[i]);
    return st;
}

/* Reads the column names from a '# "first_seen_utc",...' comment or a bare header line. */
static fh_status csv_header(ioc_import *imp, unsigned long line, const char *s, size_t n,
                            ioc_tf_columns *c)
{
    csv_field names[TF_COL_MAX];
    size_t count = 0, bad = 0;
    if (!csv_split(s, n, names, &count, &bad))
        return fh_error_set(imp->err, FH_ERR_PARSE, imp->name, line, bad,
                            "ThreatFox CSV header is malformed at this column");
    map_columns(names, count, c);
    if (c->value < 0 || c->ioc_type < 0)
        return fh_error_set(imp->err, FH_ERR_PARSE, imp->name, line, 1,
                            "ThreatFox CSV header has no %s column; the export needs ioc_value "
                            "and ioc_type",
                            c->value < 0 ? "ioc_value" : "ioc_type");
    return FH_OK;
}

/* A header names first_seen_utc and at least one other export column. */
static bool is_header_text(const char *s, size_t n)
{
    return memmem(s, n, "first_seen_utc", 14) != NULL &&
           (memmem(s, n, "ioc_value", 9) != NULL || memmem(s, n, "ioc_type", 8) != NULL ||
            memmem(s, n, "ioc_id", 6) != NULL);
}

static fh_status csv_line(ioc_import *imp, unsigned long line, const char *s, size_t n,
                          ioc_tf_columns *c, bool *have_header)
{
    ioc_trim(&s, &n);
    if (n == 0)
        return FH_OK;
    if (s[0] == '#' || is_header_text(s, n)) {
        if (!is_header_text(s, n))
            return FH_OK; /* banner and other comments */
        size_t skip = s[0] == '#' ? 1 : 0;
        *have_header = true;
        return csv_header(imp, line, s + skip, n - skip, c);
    }
    if (n > FH_MAX_LINE_BYTES)
        return fh_ioc_set_reject(imp->set, imp->name, line, s, 80,
                                 "line is longer than FH_MAX_LINE_BYTES");

    csv_field fields[TF_COL_MAX];
    size_t count = 0, bad = 0;
    if (!csv_split(s, n, fields, &count, &bad)) {
        char reason[160];
        snprintf(reason, sizeof reason,
                 "malformed CSV at column %zu (unterminated quote, or "
                 "text after a closing quote)",
                 bad);
        return fh_ioc_set_reject(imp->set, imp->name, line, s, n, reason);
    }
    if (!*have_header) {
        /* NOTE: a file without the header comment is read with the export's column order. */
        default_columns(count, c);
        *have_header = true;
    }
    return csv_row(imp, line, fields, count, c);
}

void ioc_threatfox_csv_begin(ioc_tf_csv *csv)
{
    default_columns(15, &csv->columns);
    csv->have_header = false;
    csv->line = 0;
}

fh_status ioc_threatfox_csv_lines(ioc_import *imp, ioc_tf_csv *csv, const char *data, size_t len)
{
    size_t pos = 0;
    const char *start;
    size_t n;
    while (ioc_next_line(data, len, &pos, &start, &n)) {
        csv->line++;
        fh_status st = csv_line(imp, csv->line, start, n, &csv->columns, &csv->have_header);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

fh_status ioc_threatfox_csv(ioc_import *imp)
{
    ioc_tf_csv csv;
    ioc_threatfox_csv_begin(&csv);
    return ioc_threatfox_csv_lines(imp, &csv, imp->data, imp->len);
}
