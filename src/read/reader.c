/*
 * The log reader framework: opens a file, standard input or memory, detects the format and
 * table, splits the decompressed bytes into lines, counts every line and row, and hands
 * batches to the caller. CEF lines go to cef_reader_parse_line here; JSON and CSV have their
 * own files. Projection is a per-column "wanted" flag that the format parsers consult.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/cef_reader.h"
#include "read/reader_internal.h"

#define READER_CHUNK (64 * 1024)

/* Room for the longest line, its "\r\n" and one read. */
#define READER_BUF_MAX ((size_t)FH_MAX_LINE_BYTES + 2 + READER_CHUNK)

const char *fh_log_format_name(fh_log_format format)
{
    switch (format) {
    case FH_LOG_CEF:
        return "cef";
    case FH_LOG_JSON:
        return "json";
    case FH_LOG_CSV:
        return "csv";
    default:
        return "auto";
    }
}

/* Counting */

static void count_reason(fh_skip_reason *reasons, size_t *n, uint64_t line, const char *reason)
{
    size_t i = 0;
    while (i < *n && strcmp(reasons[i].reason, reason) != 0)
        i++;
    if (i == *n) {
        if (*n == FH_MAX_SKIP_REASONS) {
            /* The table is full: the last slot collects every further reason. */
            i = *n - 1;
            snprintf(reasons[i].reason, sizeof reasons[i].reason, "other reasons");
        } else {
            snprintf(reasons[i].reason, sizeof reasons[i].reason, "%s", reason);
            (*n)++;
        }
    }
    fh_skip_reason *entry = &reasons[i];
    entry->count++;
    if (entry->nlines < FH_SKIP_SAMPLE_LINES && line != 0)
        entry->lines[entry->nlines++] = line;
}

void reader_count_skip(fh_reader *r, uint64_t line, const char *reason)
{
    r->stats.rows_skipped++;
    count_reason(r->stats.reasons, &r->stats.nreasons, line, reason);
}

void reader_count_value(fh_reader *r, uint64_t line, const char *reason)
{
    count_reason(r->stats.value_reasons, &r->stats.nvalue_reasons, line, reason);
}

fh_status reader_reject(fh_reader *r, fh_error *err, uint64_t line, unsigned long column,
                        const char *reason, const char *detail_fmt, ...)
{
    if (!r->strict) {
        reader_count_skip(r, line, reason);
        return FH_OK;
    }
    char detail[FH_ERROR_MESSAGE_MAX / 2];
    va_list ap;
    va_start(ap, detail_fmt);
    vsnprintf(detail, sizeof detail, detail_fmt, ap);
    va_end(ap);
    return fh_error_set(err, FH_ERR_PARSE, r->name, (unsigned long)line, column, "%s: %s", reason,
                        detail);
}

bool reader_keep_line(fh_reader *r, const char *line, size_t len)
{
    if (r->line_filter == NULL || r->line_filter(r->line_filter_ctx, line, len))
        return true;
    r->stats.rows_filtered++;
    return false;
}

/* Rows */

fh_status reader_start_row(fh_reader *r, fh_batch *batch, uint64_t line, fh_value **row,
                           fh_error *err)
{
    fh_status st = fh_batch_append(batch, row, err);
    if (st != FH_OK)
        return st;
    batch->line_numbers[batch->nrows - 1] = line;
    return FH_OK;
}

void reader_finish_row(fh_reader *r, fh_value *row)
{
    long ts = r->timestamp_col, tg = r->time_generated_col;
    if (ts >= 0 && tg >= 0) {
        if (row[ts].is_null && !row[tg].is_null)
            row[ts] = row[tg];
        else if (row[tg].is_null && !row[ts].is_null)
            row[tg] = row[ts];
    }
    r->stats.rows_loaded++;
}

void reader_drop_row(fh_batch *batch)
{
    if (batch->nrows > 0)
        batch->nrows--;
}

/* Line splitting */

/* Moves unread bytes to the front and reads more, growing the buffer up to READER_BUF_MAX. */
static fh_status fill_buffer(fh_reader *r, fh_error *err)
{
    if (r->buf_start > 0) {
        size_t keep = r->buf_end - r->buf_start;
        memmove(r->buf, r->buf + r->buf_start, keep);
        r->buf_scan -= r->buf_start;
        r->buf_end = keep;
        r->buf_start = 0;
    }
    if (r->buf_cap - r->buf_end < READER_CHUNK / 2 && r->buf_cap < READER_BUF_MAX) {
        size_t cap = r->buf_cap * 2 < READER_BUF_MAX ? r->buf_cap * 2 : READER_BUF_MAX;
        char *grown = realloc(r->buf, cap);
        if (grown == NULL)
            return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory buffering a line");
        r->buf = grown;
        r->buf_cap = cap;
    }

    size_t got = 0;
    fh_status st = stream_read(r->in, r->buf + r->buf_end, r->buf_cap - r->buf_end, &got, err);
    if (st != FH_OK)
        return st;
    r->buf_end += got;
    r->stats.bytes += got;
    if (got == 0)
        r->eof = true;
    return FH_OK;
}

static fh_status skip_long_line(fh_reader *r, fh_error *err)
{
    uint64_t line = r->line_no + 1;
    if (r->strict)
        return fh_error_set(err, FH_ERR_LIMIT, r->name, (unsigned long)line, 0,
                            "the line is longer than %d bytes, the maximum line length",
                            FH_MAX_LINE_BYTES);

    /* Drop bytes until the end of the line, then count the line once. */
    for (;;) {
        char *nl = memchr(r->buf + r->buf_scan, '\n', r->buf_end - r->buf_scan);
        if (nl != NULL) {
            r->buf_start = r->buf_scan = (size_t)(nl - r->buf) + 1;
            break;
        }
        r->buf_start = r->buf_scan = r->buf_end;
        if (r->eof)
            break;
        fh_status st = fill_buffer(r, err);
        if (st != FH_OK)
            return st;
    }
    r->line_no = line;
    r->stats.lines++;
    char reason[FH_SKIP_REASON_MAX];
    snprintf(reason, sizeof reason, "line longer than %d bytes", FH_MAX_LINE_BYTES);
    reader_count_skip(r, line, reason);
    return FH_OK;
}

fh_status reader_next_line(fh_reader *r, const char **line, size_t *len, fh_error *err)
{
    for (;;) {
        char *nl = memchr(r->buf + r->buf_scan, '\n', r->buf_end - r->buf_scan);
        size_t end = nl != NULL ? (size_t)(nl - r->buf) : r->buf_end;
        size_t n = end - r->buf_start;

        /* A line may carry one "\r" before its "\n" beyond the maximum. */
        if (n > (size_t)FH_MAX_LINE_BYTES + 1 ||
            (n == (size_t)FH_MAX_LINE_BYTES + 1 && (nl != NULL || r->eof) &&
             r->buf[end - 1] != '\r')) {
            fh_status st = skip_long_line(r, err);
            if (st != FH_OK)
                return st;
            continue;
        }

        if (nl != NULL || (r->eof && n > 0)) {
            *line = r->buf + r->buf_start;
            if (n > 0 && r->buf[end - 1] == '\r')
                n--;
            *len = n;
            r->buf_start = r->buf_scan = nl != NULL ? end + 1 : end;
            r->line_no++;
            r->stats.lines++;
            return FH_OK;
        }
        if (r->eof)
            return FH_DONE;

        r->buf_scan = r->buf_end;
        fh_status st = fill_buffer(r, err);
        if (st != FH_OK)
            return st;
    }
}

fh_status reader_peek(fh_reader *r, size_t want, const char **data, size_t *len, fh_error *err)
{
    while (r->buf_end - r->buf_start < want && !r->eof) {
        fh_status st = fill_buffer(r, err);
        if (st != FH_OK)
            return st;
    }
    *data = r->buf + r->buf_start;
    *len = r->buf_end - r->buf_start;
    return FH_OK;
}

uint64_t reader_offset(const fh_reader *r)
{
    return r->stats.bytes - (r->buf_end - r->buf_start);
}

fh_status reader_read_rest(fh_reader *r, char **data, size_t *len, fh_error *err)
{
    size_t n = r->buf_end - r->buf_start;
    size_t cap = n + READER_CHUNK;
    char *doc = malloc(cap);
    if (doc == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory reading the file");
    memcpy(doc, r->buf + r->buf_start, n);
    r->buf_start = r->buf_scan = r->buf_end;

    for (;;) {
        if (n == cap) {
            if ((long long)cap >= FH_MAX_JSON_DOCUMENT_BYTES) {
                free(doc);
                return fh_error_set(err, FH_ERR_LIMIT, r->name, 0, 0,
                                    "the JSON document is larger than %lld bytes, the maximum "
                                    "read whole; write it as JSON lines (one row per line)",
                                    (long long)FH_MAX_JSON_DOCUMENT_BYTES);
            }
            size_t grown_cap = cap * 2;
            if ((long long)grown_cap > FH_MAX_JSON_DOCUMENT_BYTES)
                grown_cap = (size_t)FH_MAX_JSON_DOCUMENT_BYTES;
            char *grown = realloc(doc, grown_cap);
            if (grown == NULL) {
                free(doc);
                return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0,
                                    "out of memory reading the file");
            }
            doc = grown;
            cap = grown_cap;
        }
        size_t got = 0;
        fh_status st = stream_read(r->in, doc + n, cap - n, &got, err);
        if (st != FH_OK) {
            free(doc);
            return st;
        }
        if (got == 0)
            break;
        n += got;
        r->stats.bytes += got;
    }
    r->eof = true;
    *data = doc;
    *len = n;
    return FH_OK;
}

/* CEF */

static fh_status cef_fill(fh_reader *r, fh_batch *batch, fh_error *err)
{
    while (batch->nrows < FH_BATCH_ROWS) {
        const char *line;
        size_t len;
        fh_status st = reader_next_line(r, &line, &len, err);
        if (st == FH_DONE)
            return FH_OK;
        if (st != FH_OK)
            return st;

        if (len == 0) {
            reader_count_skip(r, r->line_no, "empty line");
            continue;
        }
        if (!reader_keep_line(r, line, len))
            continue;

        fh_value *row;
        st = reader_start_row(r, batch, r->line_no, &row, err);
        if (st != FH_OK)
            return st;
        fh_error cef_err;
        fh_error_clear(&cef_err);
        st = cef_reader_parse_line(line, len, r->wanted, row, &batch->arena, &cef_err);
        if (st == FH_OK) {
            reader_finish_row(r, row);
            continue;
        }
        reader_drop_row(batch);
        /* A malformed record or one over a per-record cap is a counted skip; only running
         * out of memory or an internal failure stops the file. */
        if (st != FH_ERR_PARSE && st != FH_ERR_LIMIT && st != FH_ERR_INVALID)
            return fh_error_set(err, st, r->name, (unsigned long)r->line_no, cef_err.column, "%s",
                                cef_err.message);
        st = reader_reject(r, err, r->line_no, cef_err.column, cef_err.message, "\"%.*s\"",
                           len > 80 ? 80 : (int)len, line);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

/* Opening */

static fh_status build_wanted(fh_reader *r, const fh_read_options *options, fh_error *err)
{
    size_t ncols = r->schema->ncols;
    r->wanted = calloc(ncols ? ncols : 1, sizeof *r->wanted);
    if (r->wanted == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    if (options == NULL || options->columns == NULL) {
        for (size_t i = 0; i < ncols; i++)
            r->wanted[i] = true;
        return FH_OK;
    }

    /* Names the table does not have are left for the query engine to report. */
    for (size_t i = 0; i < options->ncolumns; i++) {
        const char *name = options->columns[i];
        long col = column_map_get(&r->columns, name, strlen(name));
        if (col >= 0)
            r->wanted[col] = true;
    }
    /* Either time column may be filled from the other, so both are decoded. */
    long ts = r->timestamp_col, tg = r->time_generated_col;
    if (ts >= 0 && tg >= 0 && (r->wanted[ts] || r->wanted[tg]))
        r->wanted[ts] = r->wanted[tg] = true;
    return FH_OK;
}

static fh_status reader_create(const char *name, const fh_read_options *options, fh_reader **out,
                               fh_error *err)
{
    fh_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "out of memory opening the input");
    r->timestamp_col = r->time_generated_col = -1;
    r->name = strdup(name);
    r->buf_cap = READER_CHUNK;
    r->buf = malloc(r->buf_cap);
    if (options != NULL) {
        r->format = options->format;
        r->strict = options->strict;
        r->line_filter = options->line_filter;
        r->line_filter_ctx = options->line_filter_ctx;
        r->json.no_fast_path = options->no_json_fast_path;
        if (options->table != NULL)
            r->forced_table = strdup(options->table);
    }
    if (r->name == NULL || r->buf == NULL ||
        (options != NULL && options->table != NULL && r->forced_table == NULL)) {
        fh_reader_close(r);
        return fh_error_set(err, FH_ERR_NOMEM, name, 0, 0, "out of memory opening the input");
    }
    *out = r;
    return FH_OK;
}

static fh_status reader_start(fh_reader *r, const fh_read_options *options, fh_error *err)
{
    fh_status st = detect_format(r, err);
    if (st != FH_OK)
        return st;

    switch (r->format) {
    case FH_LOG_CEF:
        st = detect_table(r, NULL, NULL, "CEF", err);
        break;
    case FH_LOG_JSON:
        st = json_reader_open(r, err);
        break;
    default:
        st = csv_reader_open(r, err);
        break;
    }
    if (st != FH_OK)
        return st;
    return build_wanted(r, options, err);
}

fh_status fh_reader_open(const char *path, const fh_read_options *options, fh_reader **out,
                         fh_error *err)
{
    *out = NULL;
    fh_reader *r = NULL;
    fh_status st = reader_create(path, options, &r, err);
    if (st != FH_OK)
        return st;
    st = stream_open_file(path, &r->in, err);
    if (st == FH_OK)
        st = reader_start(r, options, err);
    if (st != FH_OK) {
        fh_reader_close(r);
        return st;
    }
    *out = r;
    return FH_OK;
}

/*
 * Reads uncompressed data in place: the lines are the caller's bytes, so a chunk of a mapped
 * file is not copied into the line buffer. The stream is replaced by an empty one, so nothing
 * is read twice.
 */
static fh_status borrow_memory(fh_reader *r, const char *name, const void *data, size_t len,
                               fh_error *err)
{
    stream_close(r->in);
    r->in = NULL;
    fh_status st = stream_open_memory(name, (const char *)data + len, 0, &r->in, err);
    if (st != FH_OK)
        return st;
    free(r->buf);
    r->buf = (char *)data; /* never written through: lines are handed out as const */
    r->buf_cap = r->buf_end = len;
    r->buf_borrowed = true;
    r->eof = true;
    r->stats.bytes = len;
    return FH_OK;
}

fh_status fh_reader_open_memory(const char *name, const void *data, size_t len,
                                const fh_read_options *options, fh_reader **out, fh_error *err)
{
    *out = NULL;
    fh_reader *r = NULL;
    fh_status st = reader_create(name, options, &r, err);
    if (st != FH_OK)
        return st;
    st = stream_open_memory(name, data, len, &r->in, err);
    if (st == FH_OK && stream_compression_of(r->in) == STREAM_PLAIN)
        st = borrow_memory(r, name, data, len, err);
    if (st == FH_OK)
        st = reader_start(r, options, err);
    if (st != FH_OK) {
        fh_reader_close(r);
        return st;
    }
    *out = r;
    return FH_OK;
}

fh_status reader_open_chunk(const fh_reader *model, const char *data, size_t len,
                            const fh_read_options *options, fh_reader **out, fh_error *err)
{
    *out = NULL;
    fh_reader *r = NULL;
    fh_status st = reader_create(model->name, options, &r, err);
    if (st != FH_OK)
        return st;
    r->format = model->format;
    st = stream_open_memory(model->name, data, len, &r->in, err);
    if (st == FH_OK)
        st = json_reader_open_like(r, model, err);
    if (st == FH_OK)
        st = build_wanted(r, options, err);
    if (st != FH_OK) {
        fh_reader_close(r);
        return st;
    }
    *out = r;
    return FH_OK;
}

/* Reading */

const fh_schema *fh_reader_schema(const fh_reader *reader)
{
    return reader->schema;
}

fh_log_format fh_reader_format(const fh_reader *reader)
{
    return reader->format;
}

const char *fh_reader_detection(const fh_reader *reader)
{
    return reader->detection;
}

const fh_read_stats *fh_reader_stats(const fh_reader *reader)
{
    return &reader->stats;
}

fh_status fh_reader_next(fh_reader *reader, fh_batch *batch, fh_error *err)
{
    if (batch->schema != reader->schema)
        return fh_error_set(err, FH_ERR_USAGE, reader->name, 0, 0,
                            "the batch was not made for this reader's schema; initialise it "
                            "with fh_reader_schema()");
    fh_batch_clear(batch);

    fh_status st;
    switch (reader->format) {
    case FH_LOG_CEF:
        st = cef_fill(reader, batch, err);
        break;
    case FH_LOG_JSON:
        st = json_reader_fill(reader, batch, err);
        break;
    default:
        st = csv_reader_fill(reader, batch, err);
        break;
    }
    if (st != FH_OK)
        return st;
    return batch->nrows > 0 ? FH_OK : FH_DONE;
}

void fh_reader_close(fh_reader *reader)
{
    if (reader == NULL)
        return;
    json_reader_free(reader);
    csv_reader_free(reader);
    stream_close(reader->in);
    fh_schema_destroy(reader->schema);
    column_map_free(&reader->columns);
    free(reader->wanted);
    if (!reader->buf_borrowed)
        free(reader->buf);
    free((char *)reader->forced_table);
    free(reader->name);
    free(reader);
}
