/*
 * Indicator import: format names, detection from content, and dispatch to one parser per
 * format. A document is imported into a scratch set first and merged into the caller's set
 * only when it was read to the end, so a broken document leaves the caller's set unchanged.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/input.h"
#include "foxhound/limits.h"
#include "ioc/ioc_internal.h"

/* Bytes of a text document looked at to detect its format. */
#define DETECT_WINDOW (64 * 1024)

static const char *const format_names[FH_IOC_FORMAT_COUNT] = {
    [FH_IOC_FORMAT_AUTO] = "auto",
    [FH_IOC_FORMAT_THREATFOX_JSON] = "threatfox-json",
    [FH_IOC_FORMAT_THREATFOX_CSV] = "threatfox-csv",
    [FH_IOC_FORMAT_RULEPAGE] = "rulepage",
    [FH_IOC_FORMAT_STIX] = "stix",
    [FH_IOC_FORMAT_MISP] = "misp",
    [FH_IOC_FORMAT_ZEEK] = "zeek",
    [FH_IOC_FORMAT_TEXT] = "text",
};

const char *fh_ioc_format_name(fh_ioc_format format)
{
    if ((unsigned)format >= FH_IOC_FORMAT_COUNT)
        return "unknown";
    return format_names[format];
}

fh_status fh_ioc_format_from_name(const char *name, fh_ioc_format *out)
{
    for (int f = 0; f < FH_IOC_FORMAT_COUNT; f++) {
        if (strcmp(name, format_names[f]) == 0) {
            *out = (fh_ioc_format)f;
            return FH_OK;
        }
    }
    return FH_ERR_NOT_FOUND;
}

/* Skips a UTF-8 byte order mark and white space; returns the offset of the first byte. */
static size_t content_start(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i;
}

static bool is_json_text(const char *data, size_t len)
{
    size_t i = content_start(data, len);
    return i < len && (data[i] == '{' || data[i] == '[');
}

static bool has_object_key(json_t *obj, const char *key)
{
    return json_is_object(obj) && json_object_get(obj, key) != NULL;
}

/* An export keyed by ThreatFox id: {"1856791": [{"ioc_value": ...}], ...}. */
static bool is_threatfox_export(json_t *root)
{
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        json_t *first = json_is_array(value) ? json_array_get(value, 0) : value;
        return has_object_key(first, "ioc_value");
    }
    return false;
}

static bool is_misp(json_t *root)
{
    if (json_is_array(root))
        return has_object_key(json_array_get(root, 0), "Event");
    return has_object_key(root, "Event") || has_object_key(root, "response") ||
           (has_object_key(root, "info") &&
            (has_object_key(root, "Attribute") || has_object_key(root, "Object")));
}

fh_ioc_format ioc_detect_json(json_t *root)
{
    if (has_object_key(root, "query_status"))
        return FH_IOC_FORMAT_THREATFOX_JSON;
    const char *type = ioc_json_str(root, "type");
    if (has_object_key(root, "objects") || (type != NULL && strcmp(type, "indicator") == 0))
        return FH_IOC_FORMAT_STIX;
    if (is_misp(root))
        return FH_IOC_FORMAT_MISP;
    if (json_is_object(root) && is_threatfox_export(root))
        return FH_IOC_FORMAT_THREATFOX_JSON;
    return FH_IOC_FORMAT_AUTO;
}

static bool line_has(const char *line, size_t n, const char *needle)
{
    return memmem(line, n, needle, strlen(needle)) != NULL;
}

static fh_ioc_format detect_text(const char *data, size_t len)
{
    size_t window = len < DETECT_WINDOW ? len : DETECT_WINDOW;
    size_t pos = content_start(data, window);
    const char *line;
    size_t n;
    bool table_header = false;

    while (ioc_next_line(data, window, &pos, &line, &n)) {
        if (n >= 8 && memcmp(line, "#fields\t", 8) == 0)
            return FH_IOC_FORMAT_ZEEK;
        if (line_has(line, n, "\"first_seen_utc\"") || line_has(line, n, "ThreatFox IOCs:"))
            return FH_IOC_FORMAT_THREATFOX_CSV;
        if (line_has(line, n, "Malware Family:"))
            return FH_IOC_FORMAT_RULEPAGE;
        if (n > 0 && line[0] == '|' && line_has(line, n, "Type") && line_has(line, n, "Value"))
            table_header = true;
    }
    return table_header ? FH_IOC_FORMAT_RULEPAGE : FH_IOC_FORMAT_TEXT;
}

/* Returns the deepest nesting of arrays and objects under value, stopping past limit. */
static int json_depth(json_t *value, int limit)
{
    if (limit < 0)
        return 1;
    int deepest = 0;
    size_t i;
    json_t *child;
    const char *key;
    if (json_is_array(value)) {
        json_array_foreach(value, i, child)
        {
            int d = json_depth(child, limit - 1);
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    if (json_is_object(value)) {
        json_object_foreach(value, key, child)
        {
            int d = json_depth(child, limit - 1);
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    return 0;
}

static fh_status load_json(const char *name, const char *data, size_t len, json_t **root,
                           fh_error *err)
{
    json_error_t jerr;
    *root = json_loadb(data, len, 0, &jerr);
    if (*root == NULL)
        return fh_error_set(err, FH_ERR_PARSE, name, (unsigned long)(jerr.line > 0 ? jerr.line : 0),
                            (unsigned long)(jerr.column > 0 ? jerr.column : 0), "invalid JSON: %s",
                            jerr.text);
    if (json_depth(*root, FH_MAX_JSON_DEPTH) > FH_MAX_JSON_DEPTH) {
        json_decref(*root);
        *root = NULL;
        return fh_error_set(err, FH_ERR_LIMIT, name, 0, 0,
                            "JSON nests deeper than %d levels (FH_MAX_JSON_DEPTH)",
                            FH_MAX_JSON_DEPTH);
    }
    return FH_OK;
}

fh_ioc_format fh_ioc_format_detect(const char *data, size_t len)
{
    if (!is_json_text(data, len))
        return detect_text(data, len);

    json_t *root = json_loadb(data, len, 0, NULL);
    if (root == NULL)
        return FH_IOC_FORMAT_AUTO;
    fh_ioc_format format = ioc_detect_json(root);
    json_decref(root);
    return format;
}

static bool is_json_format(fh_ioc_format format)
{
    return format == FH_IOC_FORMAT_THREATFOX_JSON || format == FH_IOC_FORMAT_STIX ||
           format == FH_IOC_FORMAT_MISP;
}

/* Runs the parser for format; root is the parsed document for the JSON formats. */
static fh_status dispatch(ioc_import *imp, fh_ioc_format format, json_t *root)
{
    switch (format) {
    case FH_IOC_FORMAT_THREATFOX_JSON:
        return ioc_threatfox_json(imp, root);
    case FH_IOC_FORMAT_THREATFOX_CSV:
        return ioc_threatfox_csv(imp);
    case FH_IOC_FORMAT_RULEPAGE:
        return ioc_rulepage(imp);
    case FH_IOC_FORMAT_STIX:
        return ioc_stix(imp, root);
    case FH_IOC_FORMAT_MISP:
        return ioc_misp(imp, root);
    case FH_IOC_FORMAT_ZEEK:
        return ioc_zeek(imp);
    case FH_IOC_FORMAT_TEXT:
        return ioc_text(imp);
    default:
        return fh_error_set(imp->err, FH_ERR_USAGE, imp->name, 0, 0, "unknown format %d",
                            (int)format);
    }
}

/* Picks the format and loads the JSON document when the format needs one. */
static fh_status prepare(const char *name, const char *data, size_t len, fh_ioc_format *format,
                         json_t **root, fh_error *err)
{
    *root = NULL;
    if (*format == FH_IOC_FORMAT_AUTO && !is_json_text(data, len)) {
        *format = detect_text(data, len);
        return FH_OK;
    }
    if (*format != FH_IOC_FORMAT_AUTO && !is_json_format(*format))
        return FH_OK;

    fh_status st = load_json(name, data, len, root, err);
    if (st != FH_OK || *format != FH_IOC_FORMAT_AUTO)
        return st;
    *format = ioc_detect_json(*root);
    if (*format != FH_IOC_FORMAT_AUTO)
        return FH_OK;
    json_decref(*root);
    *root = NULL;
    return fh_error_set(err, FH_ERR_FORMAT, name, 1, 1,
                        "JSON document is not a ThreatFox response or export, a STIX bundle or "
                        "a MISP event; name the format if it is one of them");
}

fh_status fh_ioc_import_memory(const char *name, const char *data, size_t len, fh_ioc_format format,
                               fh_ioc_set *set, fh_ioc_format *format_used, fh_error *err)
{
    if (name == NULL)
        name = "<memory>";
    if ((unsigned)format >= FH_IOC_FORMAT_COUNT)
        return fh_error_set(err, FH_ERR_USAGE, name, 0, 0, "unknown format %d", (int)format);

    json_t *root = NULL;
    fh_status st = prepare(name, data, len, &format, &root, err);
    if (st != FH_OK)
        return st;
    if (format_used != NULL)
        *format_used = format;

    fh_ioc_set scratch;
    fh_ioc_set_init(&scratch);
    ioc_import imp = {.name = name,
                      .data = data,
                      .len = len,
                      .set = &scratch,
                      .err = err,
                      .locate_json = root != NULL};
    st = dispatch(&imp, format, root);
    if (st == FH_OK)
        st = ioc_set_merge(set, &scratch, err);
    ioc_scratch_free(&imp.scratch);
    fh_ioc_set_clear(&scratch);
    json_decref(root);
    return st;
}

/* Block size of a streamed import. A longer line grows the buffer until it fits. */
#define STREAM_BLOCK (4 * 1024 * 1024)

/* Plain file that is read block by block, so that memory does not grow with the file. */
typedef struct stream_input {
    const char *path;
    FILE *file;
    char *buf;
    size_t have, cap;
    unsigned long long total; /* bytes read so far */
    bool eof;
} stream_input;

/*
 * Reads until the buffer is full or the file ends. Fails when the total passes
 * FH_MAX_JSON_DOCUMENT_BYTES.
 */
static fh_status stream_fill(stream_input *in, fh_error *err)
{
    size_t got = fread(in->buf + in->have, 1, in->cap - in->have, in->file);
    in->have += got;
    in->total += got;
    if (in->have < in->cap) {
        if (ferror(in->file))
            return fh_error_set(err, FH_ERR_IO, in->path, 0, 0, "reading failed: %s",
                                strerror(errno));
        in->eof = true;
    }
    if (in->total > (unsigned long long)FH_MAX_JSON_DOCUMENT_BYTES)
        return fh_error_set(err, FH_ERR_LIMIT, in->path, 0, 0,
                            "input is larger than %lld bytes (FH_MAX_JSON_DOCUMENT_BYTES); "
                            "split it into smaller files",
                            (long long)FH_MAX_JSON_DOCUMENT_BYTES);
    return FH_OK;
}

/*
 * Returns whether the first block shows a plain ThreatFox CSV export: no gzip or zstd magic, not
 * JSON, and detect_text (which reads only the first DETECT_WINDOW bytes) finds the format.
 */
static bool stream_is_threatfox_csv(const stream_input *in, fh_ioc_format format)
{
    const unsigned char *u = (const unsigned char *)in->buf;
    bool compressed =
        (in->have >= 2 && u[0] == 0x1f && u[1] == 0x8b) ||
        (in->have >= 4 && u[0] == 0x28 && u[1] == 0xb5 && u[2] == 0x2f && u[3] == 0xfd);
    if (compressed || (!in->eof && content_start(in->buf, in->have) == in->have))
        return false;
    if (format == FH_IOC_FORMAT_THREATFOX_CSV)
        return true;
    return format == FH_IOC_FORMAT_AUTO && !is_json_text(in->buf, in->have) &&
           detect_text(in->buf, in->have) == FH_IOC_FORMAT_THREATFOX_CSV;
}

/*
 * Bytes per row assumed when reserving room from a file's size. ThreatFox export rows run
 * to about 190-220 bytes (an estimate), so a file usually contains more rows than this
 * estimate, and the set grows as usual past it.
 */
#define STREAM_BYTES_PER_ROW 256

/* Imports the lines of each block, keeping a line cut at the block's end for the next one. */
static fh_status stream_threatfox_csv(ioc_import *imp, stream_input *in)
{
    ioc_tf_csv csv;
    ioc_threatfox_csv_begin(&csv);
    /* Reserving from the file size spares the big set from growing its index step by step. */
    struct stat info;
    if (fstat(fileno(in->file), &info) == 0 && S_ISREG(info.st_mode) &&
        ioc_set_reserve(imp->set, (size_t)info.st_size / STREAM_BYTES_PER_ROW) != FH_OK)
        return fh_error_set(imp->err, FH_ERR_NOMEM, in->path, 0, 0,
                            "out of memory reserving room for the indicators");
    for (;;) {
        size_t whole = in->have;
        if (!in->eof) {
            const char *last_newline = memrchr(in->buf, '\n', in->have);
            whole = last_newline == NULL ? 0 : (size_t)(last_newline - in->buf) + 1;
        }
        imp->data = in->buf;
        imp->len = whole;
        fh_status st = ioc_threatfox_csv_lines(imp, &csv, in->buf, whole);
        if (st != FH_OK || in->eof)
            return st;

        memmove(in->buf, in->buf + whole, in->have - whole);
        in->have -= whole;
        if (in->have == in->cap) {
            char *grown = realloc(in->buf, in->cap * 2);
            if (grown == NULL)
                return fh_error_set(imp->err, FH_ERR_NOMEM, in->path, 0, 0,
                                    "out of memory reading a line");
            in->buf = grown;
            in->cap *= 2;
        }
        st = stream_fill(in, imp->err);
        if (st != FH_OK)
            return st;
    }
}

/*
 * Streams a plain ThreatFox CSV file into set. *handled is false when the file is something
 * else (or cannot be opened), and the caller reads it whole instead.
 */
static fh_status import_streamed(const char *path, fh_ioc_format format, fh_ioc_set *set,
                                 bool *handled, fh_error *err)
{
    *handled = false;
    stream_input in = {.path = path, .cap = STREAM_BLOCK};
    if (strcmp(path, "-") == 0 || (in.file = fopen(path, "rb")) == NULL)
        return FH_OK;
    fh_status st = FH_ERR_NOMEM;
    in.buf = malloc(in.cap);
    if (in.buf != NULL)
        st = stream_fill(&in, err);
    fh_ioc_set scratch;
    fh_ioc_set_init(&scratch);
    if (st == FH_OK && stream_is_threatfox_csv(&in, format)) {
        *handled = true;
        ioc_import imp = {.name = path, .set = &scratch, .err = err};
        st = stream_threatfox_csv(&imp, &in);
        if (st == FH_OK)
            st = ioc_set_merge(set, &scratch, err);
        ioc_scratch_free(&imp.scratch);
    } else if (st == FH_ERR_NOMEM) {
        *handled = true;
        fh_error_set(err, st, path, 0, 0, "out of memory reading the input");
    } else if (st != FH_OK) {
        *handled = true;
    }
    fh_ioc_set_clear(&scratch);
    free(in.buf);
    fclose(in.file);
    return st;
}

fh_status fh_ioc_import_file(const char *path, fh_ioc_format format, fh_ioc_set *set,
                             fh_ioc_format *format_used, fh_error *err)
{
    /* ThreatFox CSV exports run to hundreds of megabytes, so they are read block by block. */
    if (format == FH_IOC_FORMAT_AUTO || format == FH_IOC_FORMAT_THREATFOX_CSV) {
        bool handled = false;
        fh_status st = import_streamed(path, format, set, &handled, err);
        if (handled) {
            if (st == FH_OK && format_used != NULL)
                *format_used = FH_IOC_FORMAT_THREATFOX_CSV;
            return st;
        }
    }

    char *data = NULL;
    size_t len = 0;
    fh_status st = fh_input_read_all(path, &data, &len, err);
    if (st != FH_OK)
        return st;
    st = fh_ioc_import_memory(path, data, len, format, set, format_used, err);
    free(data);
    return st;
}
