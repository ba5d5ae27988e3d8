/*
 * JSON logs as table rows. Two layouts are read:
 *
 * - JSON lines (the first line is a complete object): each line is parsed on its own and the
 *   file streams. The first FH_JSON_SCAN_LINES lines are read when the reader opens, to
 *   collect the keys that become columns, and wait in a queue. The fast path (json_fast.c)
 *   collects a line's keys without a jansson tree and queues the line's text. Only the lines
 *   it leaves to jansson are parsed into trees at that time.
 * - Whole documents (anything else starting with "{" or "["): the input is read into memory,
 *   up to FH_MAX_JSON_DOCUMENT_BYTES, and parsed as one or more concatenated JSON values.
 *
 * Each value contains records: the elements of an array, of an Event Hub document's "records",
 * of an advanced hunting API response's "Results", or the value itself. A record shaped
 * {"category": "AdvancedHunting-<Table>", "properties": {...}} is a Defender streaming record;
 * its row is "properties" and its table is <Table>. An API response's "Schema" declares the
 * column types of its extra columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "foxhound/value_ops.h"
#include "read/reader_internal.h"

#define CATEGORY_PREFIX "AdvancedHunting-"

/* Nesting */

/* Returns whether JSON text nests arrays and objects deeper than FH_MAX_JSON_DEPTH. */
static bool json_too_deep(const char *p, size_t n)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > FH_MAX_JSON_DEPTH)
                return true;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return false;
}

/* Records */

static json_t *api_results(json_t *value)
{
    json_t *results = json_object_get(value, "Results");
    if (results == NULL)
        results = json_object_get(value, "results");
    return json_is_array(results) ? results : NULL;
}

/* Returns the array of records inside value, or NULL when value is a single record. */
static json_t *records_of(json_t *value, const char **shape)
{
    if (json_is_array(value)) {
        *shape = "a JSON array";
        return value;
    }
    json_t *records = json_object_get(value, "records");
    if (json_is_array(records)) {
        *shape = "an Event Hub {\"records\": [...]} document";
        return records;
    }
    json_t *results = api_results(value);
    if (results != NULL) {
        *shape = "an advanced hunting API response";
        return results;
    }
    *shape = "a JSON object";
    return NULL;
}

/*
 * Returns the object that contains a record's columns: "properties" for a Defender streaming
 * record (setting *category to the table it names), else the record. NULL if not an object.
 */
static json_t *row_object(json_t *record, const char **category)
{
    *category = NULL;
    if (!json_is_object(record))
        return NULL;
    const char *cat = json_string_value(json_object_get(record, "category"));
    json_t *properties = json_object_get(record, "properties");
    size_t prefix = strlen(CATEGORY_PREFIX);
    if (cat != NULL && strncmp(cat, CATEGORY_PREFIX, prefix) == 0 && cat[prefix] != '\0' &&
        json_is_object(properties)) {
        *category = cat + prefix;
        return properties;
    }
    return record;
}

/* Schema collection */

/* Maps an advanced hunting API type name ("String", "DateTime", "Int64") to a column type. */
static fh_type api_type(const char *name)
{
    static const struct {
        const char *api;
        fh_type type;
    } types[] = {
        {"String", FH_TYPE_STRING},   {"DateTime", FH_TYPE_DATETIME}, {"Int64", FH_TYPE_LONG},
        {"Int32", FH_TYPE_INT},       {"Boolean", FH_TYPE_BOOL},      {"Double", FH_TYPE_REAL},
        {"Guid", FH_TYPE_GUID},       {"TimeSpan", FH_TYPE_TIMESPAN}, {"Object", FH_TYPE_DYNAMIC},
        {"Dynamic", FH_TYPE_DYNAMIC},
    };
    for (size_t i = 0; name != NULL && i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(types[i].api, name) == 0)
            return types[i].type;
    fh_type type;
    if (name != NULL && fh_type_from_name(name, strlen(name), &type) == FH_OK)
        return type;
    return FH_TYPE_DYNAMIC;
}

static fh_status collect_api_schema(json_t *value, name_list *names)
{
    json_t *schema = json_object_get(value, "Schema");
    if (schema == NULL)
        schema = json_object_get(value, "schema");
    size_t i;
    json_t *col;
    json_array_foreach(schema, i, col)
    {
        json_t *name = json_object_get(col, "Name");
        json_t *type = json_object_get(col, "Type");
        if (name == NULL)
            name = json_object_get(col, "name");
        if (type == NULL)
            type = json_object_get(col, "type");
        if (!json_is_string(name))
            continue;
        fh_status st = name_list_add(names, json_string_value(name), json_string_length(name),
                                     api_type(json_string_value(type)));
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

/* Adds the keys of every record in value to names, and notes the first Defender category. */
static fh_status collect_keys(fh_reader *r, json_t *value, name_list *names)
{
    const char *shape;
    json_t *records = records_of(value, &shape);
    if (records != NULL && api_results(value) == records) {
        fh_status st = collect_api_schema(value, names);
        if (st != FH_OK)
            return st;
    }

    size_t count = records != NULL ? json_array_size(records) : 1;
    for (size_t i = 0; i < count; i++) {
        const char *category;
        json_t *obj = row_object(records != NULL ? json_array_get(records, i) : value, &category);
        if (obj == NULL)
            continue;
        if (category != NULL && r->json.category_table == NULL) {
            r->json.category_table = strdup(category);
            if (r->json.category_table == NULL)
                return FH_ERR_NOMEM;
        }
        const char *key;
        json_t *item;
        json_object_foreach(obj, key, item)
        {
            fh_status st = name_list_add(names, key, strlen(key), FH_TYPE_COUNT);
            if (st != FH_OK)
                return st;
        }
    }
    return FH_OK;
}

/* Queue */

/* Appends an entry to the queue and returns it, or NULL when out of memory. */
static json_pending *push_pending(json_state *js, uint64_t line)
{
    if (js->npending % 64 == 0) {
        json_pending *grown = realloc(js->pending, (js->npending + 64) * sizeof *grown);
        if (grown == NULL)
            return NULL;
        js->pending = grown;
    }
    json_pending *p = &js->pending[js->npending++];
    memset(p, 0, sizeof *p);
    p->line = line;
    return p;
}

static fh_status enqueue(fh_reader *r, json_t *value, uint64_t line, fh_error *err)
{
    json_pending *p = push_pending(&r->json, line);
    if (p == NULL) {
        json_decref(value);
        return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    }
    p->value = value;
    return FH_OK;
}

/* Queues a copy of a line's text, to be loaded when its turn comes. */
static fh_status enqueue_text(fh_reader *r, const char *text, size_t len, uint64_t line,
                              fh_error *err)
{
    json_state *js = &r->json;
    if (js->scan_text_cap - js->scan_text_len < len) {
        size_t cap = js->scan_text_cap ? js->scan_text_cap : 64 * 1024;
        while (cap - js->scan_text_len < len)
            cap *= 2;
        char *grown = realloc(js->scan_text, cap);
        if (grown == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
        js->scan_text = grown;
        js->scan_text_cap = cap;
    }
    json_pending *p = push_pending(js, line);
    if (p == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    memcpy(js->scan_text + js->scan_text_len, text, len);
    p->offset = js->scan_text_len;
    p->len = len;
    js->scan_text_len += len;
    return FH_OK;
}

/* JSON lines */

static bool is_blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

/*
 * Parses line line_no of the input. A bad line is counted (or an error in strict mode) and
 * *out is NULL.
 */
static fh_status parse_line(fh_reader *r, const char *line, size_t len, uint64_t line_no,
                            json_t **out, fh_error *err)
{
    *out = NULL;
    if (json_too_deep(line, len)) {
        char reason[FH_SKIP_REASON_MAX];
        snprintf(reason, sizeof reason, "JSON nested deeper than %d levels", FH_MAX_JSON_DEPTH);
        return reader_reject(r, err, line_no, 0, reason, "the line was not parsed");
    }
    json_error_t jerr;
    *out = json_loadb(line, len, 0, &jerr);
    if (*out != NULL)
        return FH_OK;
    return reader_reject(r, err, line_no, (unsigned long)jerr.column, "invalid JSON", "%s",
                         jerr.text);
}

/*
 * Reads the next non-blank line the filter keeps. The fast path loads lines into batch
 * directly; the first line it leaves is parsed with jansson into *out. *out is NULL at the end
 * of input or when batch is full.
 */
static fh_status next_line_value(fh_reader *r, fh_batch *batch, json_t **out, uint64_t *line,
                                 fh_error *err)
{
    *out = NULL;
    while (batch->nrows < FH_BATCH_ROWS) {
        const char *text;
        size_t len;
        fh_status st = reader_next_line(r, &text, &len, err);
        if (st == FH_DONE)
            return FH_OK;
        if (st != FH_OK)
            return st;
        if (is_blank(text, len)) {
            reader_count_skip(r, r->line_no, "empty line");
            continue;
        }
        if (!reader_keep_line(r, text, len))
            continue;
        if (!r->json.no_fast_path) {
            bool loaded;
            st = json_fast_load_line(r, batch, text, len, r->line_no, &loaded, err);
            if (st != FH_OK)
                return st;
            if (loaded)
                continue;
        }
        st = parse_line(r, text, len, r->line_no, out, err);
        if (st != FH_OK || *out != NULL) {
            *line = r->line_no;
            return st;
        }
    }
    return FH_OK;
}

/*
 * Collects the keys of a line with the fast path and queues its text when keep is set. Sets
 * *done to false, doing nothing, for a line that the fast path leaves to jansson.
 */
static fh_status scan_line_fast(fh_reader *r, const char *text, size_t len, bool keep,
                                name_list *names, bool *done, fh_error *err)
{
    if (json_fast_collect_keys(r, text, len, names, done) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    if (!*done)
        return FH_OK;
    /* The fast path takes no line that contains records, so the line is one record. */
    if (r->json.shape == NULL)
        r->json.shape = "JSON lines";
    return keep ? enqueue_text(r, text, len, r->line_no, err) : FH_OK;
}

/*
 * Reads up to FH_JSON_SCAN_LINES lines into the queue and collects their keys. Lines that
 * the filter drops are read for their keys too, so that the schema does not depend on the
 * filter. The fast path queues a line's text, which is loaded when its turn comes; other lines
 * are parsed by jansson now and queue their tree.
 */
static fh_status scan_lines(fh_reader *r, name_list *names, fh_error *err)
{
    for (int i = 0; i < FH_JSON_SCAN_LINES; i++) {
        const char *text;
        size_t len;
        fh_status st = reader_next_line(r, &text, &len, err);
        if (st == FH_DONE)
            return FH_OK;
        if (st != FH_OK)
            return st;
        if (is_blank(text, len)) {
            reader_count_skip(r, r->line_no, "empty line");
            continue;
        }

        bool keep = reader_keep_line(r, text, len);
        if (!r->json.no_fast_path) {
            bool done;
            st = scan_line_fast(r, text, len, keep, names, &done, err);
            if (st != FH_OK)
                return st;
            if (done)
                continue;
        }

        json_t *value = NULL;
        if (keep) {
            st = parse_line(r, text, len, r->line_no, &value, err);
            if (st != FH_OK)
                return st;
        } else if (!json_too_deep(text, len)) {
            value = json_loadb(text, len, 0, NULL);
        }
        if (value == NULL)
            continue;
        if (collect_keys(r, value, names) != FH_OK) {
            json_decref(value);
            return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
        }
        if (r->json.shape == NULL) {
            const char *shape;
            r->json.shape = records_of(value, &shape) != NULL && json_is_object(value)
                                ? "JSON lines of documents"
                                : "JSON lines";
        }
        if (!keep) {
            json_decref(value);
            continue;
        }
        st = enqueue(r, value, r->line_no, err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

/* Whole documents */

static unsigned long count_newlines(const char *p, size_t n)
{
    unsigned long lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += p[i] == '\n';
    return lines;
}

/* Parses every JSON value in the document into the queue and collects their keys. */
static fh_status scan_document(fh_reader *r, const char *doc, size_t len, name_list *names,
                               fh_error *err)
{
    if (json_too_deep(doc, len))
        return fh_error_set(err, FH_ERR_LIMIT, r->name, 0, 0,
                            "the JSON document nests arrays and objects deeper than %d levels",
                            FH_MAX_JSON_DEPTH);

    size_t pos = 0;
    unsigned long line = 1;
    for (;;) {
        size_t start = pos;
        while (start < len && strchr(" \t\r\n", doc[start]) != NULL)
            start++;
        line += count_newlines(doc + pos, start - pos);
        if (start == len)
            return FH_OK;

        json_error_t jerr;
        json_t *value = json_loadb(doc + start, len - start, JSON_DISABLE_EOF_CHECK, &jerr);
        if (value == NULL)
            return fh_error_set(err, FH_ERR_PARSE, r->name, line + (unsigned long)jerr.line - 1,
                                (unsigned long)jerr.column,
                                "invalid JSON: %s; the document cannot be read", jerr.text);
        if (collect_keys(r, value, names) != FH_OK) {
            json_decref(value);
            return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
        }
        const char *shape;
        records_of(value, &shape);
        r->json.shape = r->json.npending == 0 ? shape : "concatenated JSON documents";

        fh_status st = enqueue(r, value, line, err);
        if (st != FH_OK)
            return st;
        pos = start + (size_t)jerr.position;
        line += count_newlines(doc + start, (size_t)jerr.position);
    }
}

static fh_status choose_layout(fh_reader *r, bool *lines, fh_error *err)
{
    const char *data;
    size_t len;
    fh_status st = reader_peek(r, 64 * 1024, &data, &len, err);
    const char *nl = st == FH_OK ? memchr(data, '\n', len) : NULL;
    if (st == FH_OK && nl == NULL) {
        /* The first line may be long: look as far as the longest line allowed. */
        st = reader_peek(r, (size_t)FH_MAX_LINE_BYTES + 2, &data, &len, err);
        nl = st == FH_OK ? memchr(data, '\n', len) : NULL;
    }
    if (st != FH_OK)
        return st;

    /* JSON lines when the first line alone is a complete object. */
    *lines = false;
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t'))
        i++;
    if (i < len && data[i] == '{' && nl != NULL) {
        json_t *probe = json_loadb(data, (size_t)(nl - data), 0, NULL);
        *lines = probe != NULL;
        json_decref(probe);
    }
    return FH_OK;
}

fh_status json_reader_open(fh_reader *r, fh_error *err)
{
    bool lines;
    fh_status st = choose_layout(r, &lines, err);
    if (st != FH_OK)
        return st;

    name_list names = {0};
    if (lines) {
        st = scan_lines(r, &names, err);
    } else {
        char *doc = NULL;
        size_t len = 0;
        st = reader_read_rest(r, &doc, &len, err);
        if (st == FH_OK)
            st = scan_document(r, doc, len, &names, err);
        if (st == FH_OK)
            r->stats.lines = count_newlines(doc, len) + (len > 0 && doc[len - 1] != '\n');
        free(doc);
        r->json.whole_document = true;
    }
    if (st == FH_OK) {
        char what[96];
        snprintf(what, sizeof what, "JSON (%s)", r->json.shape ? r->json.shape : "empty");
        st = detect_table(r, &names, r->json.category_table, what, err);
    }
    name_list_free(&names);
    return st;
}

fh_status json_reader_open_like(fh_reader *r, const fh_reader *model, fh_error *err)
{
    fh_status st = detect_copy_table(r, model, err);
    if (st != FH_OK)
        return st;
    r->json.shape = model->json.shape;
    if (model->json.category_table != NULL) {
        r->json.category_table = strdup(model->json.category_table);
        if (r->json.category_table == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    }
    return FH_OK;
}

bool json_reader_is_lines(const fh_reader *r)
{
    return r->format == FH_LOG_JSON && !r->json.whole_document;
}

void json_reader_end_after_scan(fh_reader *r)
{
    r->json.end_after_scan = true;
}

/* Rows */

void json_reader_count_dropped_key(fh_reader *r, const char *key, size_t len, uint64_t line)
{
    char reason[FH_SKIP_REASON_MAX];
    snprintf(reason, sizeof reason,
             "key \"%.*s\" is not a column (first seen after the "
             "schema was fixed), not loaded",
             len > 60 ? 60 : (int)len, key);
    r->stats.fields_dropped++;
    reader_count_value(r, line, reason);
}

/* A dynamic extra column keeps the JSON value as it is, strings included. */
static fh_status keep_json(fh_batch *batch, fh_value *cell, json_t *value)
{
    if (fh_arena_adopt_json(&batch->arena, json_incref(value)) != FH_OK)
        return FH_ERR_NOMEM;
    cell->type = FH_TYPE_DYNAMIC;
    cell->is_null = false;
    cell->u.dyn = value;
    return FH_OK;
}

fh_status json_reader_fill_cell(fh_reader *r, fh_batch *batch, fh_value *row, size_t col,
                                json_t *value, uint64_t line, fh_error *err)
{
    if (!r->wanted[col] || json_is_null(value))
        return FH_OK;
    if (col >= r->nbuiltin && r->schema->cols[col].type == FH_TYPE_DYNAMIC) {
        if (keep_json(batch, &row[col], value) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
        return FH_OK;
    }
    return cell_from_json(r, batch, row, col, value, line, err);
}

static fh_status fill_cell(fh_reader *r, fh_batch *batch, fh_value *row, const char *key,
                           json_t *value, uint64_t line, fh_error *err)
{
    size_t len = strlen(key);
    long col = column_map_get(&r->columns, key, len);
    if (col < 0) {
        json_reader_count_dropped_key(r, key, len, line);
        return FH_OK;
    }
    return json_reader_fill_cell(r, batch, row, (size_t)col, value, line, err);
}

const char *json_reader_kept_category(const fh_reader *r)
{
    if (r->forced_table == NULL)
        return r->json.category_table;
    return fh_schema_builtin(r->forced_table) != NULL ? r->forced_table : NULL;
}

static fh_status fill_row(fh_reader *r, fh_batch *batch, json_t *record, uint64_t line,
                          fh_error *err)
{
    const char *category;
    json_t *obj = row_object(record, &category);
    if (obj == NULL)
        return reader_reject(r, err, line, 0, "JSON record is not an object",
                             "an array element or line holds a %s",
                             json_is_array(record) ? "nested array" : "scalar");
    const char *table = json_reader_kept_category(r);
    if (category != NULL && table != NULL && strcmp(category, table) != 0)
        return reader_reject(r, err, line, 0, "record of another Defender table",
                             "category AdvancedHunting-%s in input of %s", category, table);

    fh_value *row;
    fh_status st = reader_start_row(r, batch, r->json.whole_document ? 0 : line, &row, err);
    if (st != FH_OK)
        return st;
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        st = fill_cell(r, batch, row, key, value, line, err);
        if (st != FH_OK) {
            reader_drop_row(batch);
            return st;
        }
    }
    reader_finish_row(r, row);
    return FH_OK;
}

/*
 * Takes queued entries until one has a tree for js->value, the queue is empty or batch is
 * full. A queued line's text is loaded by the fast path into batch, or else parsed by jansson
 * into js->value, as a streamed line is.
 */
static fh_status next_pending_value(fh_reader *r, fh_batch *batch, fh_error *err)
{
    json_state *js = &r->json;
    while (js->value == NULL && js->next_pending < js->npending && batch->nrows < FH_BATCH_ROWS) {
        json_pending *p = &js->pending[js->next_pending++];
        js->value_line = p->line;
        if (p->value != NULL) {
            js->value = p->value;
            p->value = NULL;
            break;
        }
        const char *text = js->scan_text + p->offset;
        bool loaded = false;
        fh_status st = FH_OK;
        if (!js->no_fast_path)
            st = json_fast_load_line(r, batch, text, p->len, p->line, &loaded, err);
        if (st == FH_OK && !loaded)
            st = parse_line(r, text, p->len, p->line, &js->value, err);
        if (st != FH_OK)
            return st;
    }
    if (js->next_pending == js->npending && js->scan_text != NULL) {
        free(js->scan_text);
        js->scan_text = NULL;
        js->scan_text_len = js->scan_text_cap = 0;
    }
    return FH_OK;
}

/*
 * Makes js->value the next value with records left, or NULL at the end of input or when the
 * fast path has filled batch.
 */
static fh_status next_value(fh_reader *r, fh_batch *batch, fh_error *err)
{
    json_state *js = &r->json;
    json_decref(js->value);
    js->value = NULL;

    fh_status st = next_pending_value(r, batch, err);
    if (st != FH_OK)
        return st;
    if (js->value == NULL && js->next_pending == js->npending && !js->whole_document &&
        !js->end_after_scan) {
        st = next_line_value(r, batch, &js->value, &js->value_line, err);
        if (st != FH_OK)
            return st;
    }
    if (js->value != NULL) {
        const char *shape;
        js->records = records_of(js->value, &shape);
        js->next_record = 0;
        js->value_taken = false;
    }
    return FH_OK;
}

/* Returns the next record through *record, or NULL at the end of input or of batch's room. */
static fh_status next_record(fh_reader *r, fh_batch *batch, json_t **record, fh_error *err)
{
    json_state *js = &r->json;
    for (;;) {
        if (js->value != NULL) {
            if (js->records != NULL && js->next_record < json_array_size(js->records)) {
                *record = json_array_get(js->records, js->next_record++);
                return FH_OK;
            }
            if (js->records == NULL && !js->value_taken) {
                js->value_taken = true;
                *record = js->value;
                return FH_OK;
            }
        }
        fh_status st = next_value(r, batch, err);
        if (st != FH_OK)
            return st;
        if (js->value == NULL) {
            *record = NULL;
            return FH_OK;
        }
    }
}

fh_status json_reader_fill(fh_reader *r, fh_batch *batch, fh_error *err)
{
    while (batch->nrows < FH_BATCH_ROWS) {
        json_t *record;
        fh_status st = next_record(r, batch, &record, err);
        if (st != FH_OK)
            return st;
        if (record == NULL)
            return FH_OK;
        st = fill_row(r, batch, record, r->json.value_line, err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

void json_reader_free(fh_reader *r)
{
    json_state *js = &r->json;
    for (size_t i = js->next_pending; i < js->npending; i++)
        json_decref(js->pending[i].value);
    free(js->pending);
    free(js->scan_text);
    json_decref(js->value);
    free(js->category_table);
    json_fast_destroy(js->fast);
    memset(js, 0, sizeof *js);
}
