/*
 * Format and table detection for log files. The format comes from the first bytes: JSON
 * starts with "{" or "[", CEF has a "CEF:" marker in one of the first FH_DETECT_LINES lines,
 * and anything else with a comma in its first line is a CSV header. The table comes from a
 * Defender "category", from options.table, or from the column names. By column names, the
 * built-in schema with the most of the input's columns wins if it also has the columns typical
 * of its table or at least half of the input's columns. The reader's schema is that table's
 * columns followed by the input's other columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/cef_reader.h"
#include "read/reader_internal.h"

#define DETECT_PEEK_BYTES (64 * 1024)

/* Columns that mark a table; every one must be present for the mark to count. */
typedef struct table_signature {
    const char *table;
    const char *columns[3];
} table_signature;

static const table_signature signatures[] = {
    {"CommonSecurityLog", {"DeviceVendor", "DeviceProduct", NULL}},
    {"DeviceNetworkEvents", {"RemoteIP", "RemotePort", NULL}},
    {"DeviceFileEvents", {"SHA256", "FolderPath", NULL}},
    {"DeviceProcessEvents", {"ProcessCommandLine", NULL}},
};

/* Name lists */

fh_status name_list_add(name_list *list, const char *name, size_t len, fh_type type)
{
    if (column_map_get(&list->index, name, len) >= 0)
        return FH_OK;
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 32;
        char **names = realloc(list->names, cap * sizeof *names);
        if (names == NULL)
            return FH_ERR_NOMEM;
        list->names = names;
        fh_type *types = realloc(list->types, cap * sizeof *types);
        if (types == NULL)
            return FH_ERR_NOMEM;
        list->types = types;
        list->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return FH_ERR_NOMEM;
    memcpy(copy, name, len);
    copy[len] = '\0';
    if (column_map_put(&list->index, name, len, (long)list->count, NULL) != FH_OK) {
        free(copy);
        return FH_ERR_NOMEM;
    }
    list->names[list->count] = copy;
    list->types[list->count] = type;
    list->count++;
    return FH_OK;
}

void name_list_free(name_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->names[i]);
    free(list->names);
    free(list->types);
    column_map_free(&list->index);
    memset(list, 0, sizeof *list);
}

/* Format */

static const char *skip_space(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* Looks for a CEF record among the first lines in data; the last line may be cut short. */
static bool has_cef_line(const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    for (int lines = 0; p < end && lines < FH_DETECT_LINES;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl != NULL ? nl : end;
        size_t n = (size_t)(line_end - p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n > 0) {
            if (cef_reader_is_cef(p, n))
                return true;
            lines++;
        }
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return false;
}

static bool first_line_has_comma(const char *data, size_t len)
{
    const char *nl = memchr(data, '\n', len);
    size_t n = nl != NULL ? (size_t)(nl - data) : len;
    return memchr(data, ',', n) != NULL;
}

fh_status detect_format(fh_reader *r, fh_error *err)
{
    const char *data;
    size_t len;
    fh_status st = reader_peek(r, DETECT_PEEK_BYTES, &data, &len, err);
    if (st != FH_OK)
        return st;

    /* A UTF-8 byte order mark is not part of any format's text. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        r->buf_start += 3;
        r->buf_scan = r->buf_start;
        data += 3;
        len -= 3;
    }
    if (r->format != FH_LOG_AUTO)
        return FH_OK;

    const char *first = skip_space(data, data + len);
    if (first == data + len || *first == '{' || *first == '[') {
        /* Empty input reads as JSON with no records: a table with no rows. */
        r->format = FH_LOG_JSON;
    } else if (has_cef_line(data, len)) {
        r->format = FH_LOG_CEF;
    } else if (first_line_has_comma(data, len)) {
        r->format = FH_LOG_CSV;
    } else {
        return fh_error_set(err, FH_ERR_FORMAT, r->name, 1, 0,
                            "cannot tell the log format: the data is not JSON, none of its "
                            "first %d lines has a \"CEF:\" marker, and its first line is not a "
                            "CSV header, so it is not a log foxhound reads (CEF syslog, JSON "
                            "or CSV exports)",
                            FH_DETECT_LINES);
    }
    return FH_OK;
}

/* Table */

static size_t count_matches(const fh_schema *schema, const name_list *names)
{
    size_t matched = 0;
    for (size_t i = 0; i < names->count; i++)
        if (fh_schema_find(schema, names->names[i], strlen(names->names[i])) >= 0)
            matched++;
    return matched;
}

/* Returns the table's signature when every one of its columns is in names, else NULL. */
static const table_signature *matching_signature(const fh_schema *schema, const name_list *names)
{
    for (size_t i = 0; i < sizeof signatures / sizeof signatures[0]; i++) {
        if (strcmp(signatures[i].table, schema->name) != 0)
            continue;
        for (size_t c = 0; signatures[i].columns[c] != NULL; c++) {
            const char *col = signatures[i].columns[c];
            if (column_map_get(&names->index, col, strlen(col)) < 0)
                return NULL;
        }
        return &signatures[i];
    }
    return NULL;
}

typedef struct table_choice {
    const fh_schema *best; /* the built-in schema with the most matches, even if rejected */
    size_t matched;
    const table_signature *signature;
    bool accepted;
} table_choice;

static table_choice choose_by_columns(const name_list *names)
{
    table_choice choice = {0};
    const fh_schema *const *builtins = fh_schema_builtins();
    for (size_t i = 0; builtins != NULL && builtins[i] != NULL; i++) {
        size_t matched = count_matches(builtins[i], names);
        const table_signature *sig = matching_signature(builtins[i], names);
        bool better = matched > choice.matched ||
                      (matched == choice.matched && sig != NULL && choice.signature == NULL);
        if (better && matched > 0) {
            choice.best = builtins[i];
            choice.matched = matched;
            choice.signature = sig;
        }
    }
    choice.accepted = choice.best != NULL && choice.matched >= 2 &&
                      (choice.signature != NULL || choice.matched * 2 >= names->count);
    return choice;
}

static void describe_signature(const table_signature *sig, char *out, size_t size)
{
    out[0] = '\0';
    if (sig == NULL)
        return;
    size_t used = (size_t)snprintf(out, size, " (");
    for (size_t c = 0; sig->columns[c] != NULL && used < size; c++)
        used +=
            (size_t)snprintf(out + used, size - used, "%s%s", c > 0 ? ", " : "", sig->columns[c]);
    if (used < size)
        snprintf(out + used, size - used, " among them)");
}

/* Writes the sentence for a table chosen from the column names (or not). */
static void describe_columns(fh_reader *r, const char *prefix, const char *what,
                             const table_choice *choice, const name_list *names, const char *table)
{
    char sig[160];
    describe_signature(choice->signature, sig, sizeof sig);
    size_t extras = r->schema->ncols - r->nbuiltin;
    if (choice->accepted) {
        char kept[64] = ".";
        if (extras > 0)
            snprintf(kept, sizeof kept, "; %zu other columns are kept as extra columns.", extras);
        snprintf(r->detection, sizeof r->detection,
                 "%s%s: %zu of the %zu columns are %s columns%s, so rows load into %s%s", prefix,
                 what, choice->matched, names->count, table, sig, table, kept);
    } else if (choice->best != NULL) {
        snprintf(r->detection, sizeof r->detection,
                 "%s%s: no built-in table fits the %zu columns (the closest, %s, has %zu of "
                 "them), so rows load into a table of the input's own columns; name a table "
                 "to load them as one.",
                 prefix, what, names->count, choice->best->name, choice->matched);
    } else {
        snprintf(r->detection, sizeof r->detection,
                 "%s%s: no built-in table has any of the %zu columns, so rows load into a "
                 "table of the input's own columns; name a table to load them as one.",
                 prefix, what, names->count);
    }
}

/* Fills the column map, and the time columns when the schema starts with a built-in table. */
static fh_status index_columns(fh_reader *r, size_t nbuiltin, fh_error *err)
{
    r->nbuiltin = nbuiltin;
    for (size_t i = 0; i < r->schema->ncols; i++) {
        const char *name = r->schema->cols[i].name;
        if (column_map_put(&r->columns, name, strlen(name), (long)i, NULL) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    }
    if (nbuiltin > 0) {
        r->timestamp_col = fh_schema_find(r->schema, "Timestamp", 9);
        r->time_generated_col = fh_schema_find(r->schema, "TimeGenerated", 13);
    }
    return FH_OK;
}

/* Builds the schema: the built-in columns, then each other name with its type. */
static fh_status build_schema(fh_reader *r, const fh_schema *builtin, const char *table,
                              const name_list *names, fh_error *err)
{
    size_t nbuiltin = builtin != NULL ? builtin->ncols : 0;
    size_t count = names != NULL ? names->count : 0;
    fh_column *cols = calloc(nbuiltin + count + 1, sizeof *cols);
    if (cols == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    for (size_t i = 0; i < nbuiltin; i++)
        cols[i] = builtin->cols[i];

    size_t n = nbuiltin;
    for (size_t i = 0; i < count && n < FH_MAX_COLUMNS; i++) {
        const char *name = names->names[i];
        size_t len = strlen(name);
        /* Longer names are not columns; their values are counted as dropped fields. */
        if (len > FH_MAX_NAME_BYTES)
            continue;
        if (builtin != NULL && fh_schema_find(builtin, name, len) >= 0)
            continue;
        cols[n].name = name;
        cols[n].type = names->types[i] == FH_TYPE_COUNT ? FH_TYPE_DYNAMIC : names->types[i];
        n++;
    }

    fh_status st = fh_schema_create(table, cols, n, &r->schema, err);
    free(cols);
    if (st != FH_OK)
        return st;
    return index_columns(r, nbuiltin, err);
}

fh_status detect_copy_table(fh_reader *r, const fh_reader *model, fh_error *err)
{
    const fh_schema *schema = model->schema;
    fh_status st = fh_schema_create(schema->name, schema->cols, schema->ncols, &r->schema, err);
    if (st != FH_OK)
        return st;
    snprintf(r->detection, sizeof r->detection, "%s", model->detection);
    return index_columns(r, model->nbuiltin, err);
}

static fh_status detect_cef_table(fh_reader *r, const char *prefix, fh_error *err)
{
    const char *table = "CommonSecurityLog";
    if (r->forced_table != NULL && strcmp(r->forced_table, table) != 0)
        return fh_error_set(err, FH_ERR_USAGE, r->name, 0, 0,
                            "CEF records load only into CommonSecurityLog, not %s",
                            r->forced_table);
    const fh_schema *builtin = fh_schema_builtin(table);
    if (builtin == NULL)
        return fh_error_set(err, FH_ERR_INTERNAL, r->name, 0, 0,
                            "the built-in CommonSecurityLog schema is missing");
    fh_status st = build_schema(r, builtin, table, NULL, err);
    if (st != FH_OK)
        return st;
    snprintf(r->detection, sizeof r->detection,
             "%sCEF: a line among the first %d has a \"CEF:\" marker, so rows load into "
             "CommonSecurityLog.",
             prefix, FH_DETECT_LINES);
    return FH_OK;
}

/* A table named by options.table or by a Defender category, built-in or not. */
static fh_status detect_named_table(fh_reader *r, const char *prefix, const char *what,
                                    const char *table, const char *why, const name_list *names,
                                    fh_error *err)
{
    const fh_schema *builtin = fh_schema_builtin(table);
    fh_status st = build_schema(r, builtin, table, names, err);
    if (st != FH_OK)
        return st;
    size_t extras = r->schema->ncols - r->nbuiltin;
    if (builtin != NULL)
        snprintf(r->detection, sizeof r->detection,
                 "%s%s: %s, so rows load into %s; %zu other columns are kept as extra "
                 "columns.",
                 prefix, what, why, table, extras);
    else
        snprintf(r->detection, sizeof r->detection,
                 "%s%s: %s; %s is not a built-in table, so its columns are the input's own "
                 "%zu columns.",
                 prefix, what, why, table, extras);
    return FH_OK;
}

fh_status detect_table(fh_reader *r, const name_list *names, const char *category_table,
                       const char *what, fh_error *err)
{
    char prefix[32] = "";
    stream_compression compression = stream_compression_of(r->in);
    if (compression != STREAM_PLAIN)
        snprintf(prefix, sizeof prefix, "%s-compressed ", stream_compression_name(compression));

    if (r->format == FH_LOG_CEF)
        return detect_cef_table(r, prefix, err);

    char why[FH_MAX_NAME_BYTES + 96];
    if (r->forced_table != NULL) {
        snprintf(why, sizeof why, "the table %s was requested", r->forced_table);
        return detect_named_table(r, prefix, what, r->forced_table, why, names, err);
    }
    if (category_table != NULL) {
        snprintf(why, sizeof why, "records have \"category\": \"AdvancedHunting-%s\"",
                 category_table);
        return detect_named_table(r, prefix, what, category_table, why, names, err);
    }

    table_choice choice = choose_by_columns(names);
    const fh_schema *builtin = choice.accepted ? choice.best : NULL;
    const char *table = builtin != NULL ? builtin->name : "";
    fh_status st = build_schema(r, builtin, table, names, err);
    if (st != FH_OK)
        return st;
    describe_columns(r, prefix, what, &choice, names, table);
    return FH_OK;
}
