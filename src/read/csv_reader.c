/*
 * CSV logs as table rows (RFC 4180): a header row of column names, then one record per row.
 * A quoted field may hold commas, doubled quotes and line breaks, so a record can span several
 * physical lines; a quote inside an unquoted field is an ordinary character, as in Python's
 * csv module. Header names exported by the Log Analytics portal carry a " [UTC]" suffix
 * ("TimeGenerated [UTC]"), which is removed. An empty header name becomes "Column<N>" and a
 * repeated one gets a number appended, because columns need unique names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/reader_internal.h"

#define UTC_SUFFIX " [UTC]"

/* One field of a record, unquoted; ptr points into the record or into csv->cell. */
typedef struct csv_field {
    const char *ptr;
    size_t len;
    uint64_t line;        /* physical line where the field starts */
    unsigned long column; /* 1-based byte column in that line */
} csv_field;

/* Walks the fields of one complete record. */
typedef struct csv_cursor {
    const char *rec;
    size_t len, pos;
    bool done;
    char *scratch; /* room for the unescaped text of quoted fields */
    size_t scratch_used;
    uint64_t line;     /* line of rec[pos] */
    size_t line_start; /* offset in rec where that line starts */
} csv_cursor;

/* Record assembly */

static fh_status grow_record(fh_reader *r, size_t need, fh_error *err)
{
    csv_state *csv = &r->csv;
    if (need <= csv->record_cap)
        return FH_OK;
    size_t cap = csv->record_cap ? csv->record_cap : 4096;
    while (cap < need)
        cap *= 2;
    char *record = realloc(csv->record, cap);
    char *cell = realloc(csv->cell, cap);
    if (record != NULL)
        csv->record = record;
    if (cell != NULL)
        csv->cell = cell;
    if (record == NULL || cell == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory reading a record");
    csv->record_cap = csv->cell_cap = cap;
    return FH_OK;
}

/* Updates the quoting state over one physical line; returns whether a quoted field is open. */
static bool scan_quotes(const char *p, size_t n, bool in_quotes, bool *field_start)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_quotes) {
            if (c == '"') {
                if (i + 1 < n && p[i + 1] == '"')
                    i++;
                else
                    in_quotes = false;
            }
        } else if (c == '"' && *field_start) {
            in_quotes = true;
            *field_start = false;
        } else {
            *field_start = c == ',';
        }
    }
    /* A line break inside quotes is part of the field; outside it ends the record. */
    if (in_quotes)
        *field_start = false;
    return in_quotes;
}

/*
 * Reads the next record into csv->record; *first_line is its first line, or 0 at the end of
 * input. A record longer than FH_MAX_LINE_BYTES is skipped and counted.
 * NOTE: a single physical line over the limit is dropped by reader_next_line before it gets
 * here; inside a quoted field that loses the quotes it held, and the records after it may be
 * split wrongly until the quoting realigns.
 */
static fh_status read_record(fh_reader *r, uint64_t *first_line, fh_error *err)
{
    csv_state *csv = &r->csv;
    bool in_quotes = false, field_start = true, too_long = false;
    csv->record_len = 0;
    *first_line = 0;

    for (;;) {
        const char *line;
        size_t len;
        fh_status st = reader_next_line(r, &line, &len, err);
        if (st == FH_DONE) {
            if (*first_line == 0)
                return FH_OK;
            st = reader_reject(r, err, *first_line, 0, "unterminated quoted CSV field",
                               "the record starting here ends inside quotes");
            *first_line = 0;
            return st;
        }
        if (st != FH_OK)
            return st;
        if (*first_line == 0) {
            if (len == 0) {
                reader_count_skip(r, r->line_no, "empty line");
                continue;
            }
            *first_line = r->line_no;
        }

        size_t need = csv->record_len + len + 1;
        if (need > (size_t)FH_MAX_LINE_BYTES + 1)
            too_long = true;
        if (!too_long) {
            st = grow_record(r, need, err);
            if (st != FH_OK)
                return st;
            if (csv->record_len > 0)
                csv->record[csv->record_len++] = '\n';
            memcpy(csv->record + csv->record_len, line, len);
            csv->record_len += len;
        }
        in_quotes = scan_quotes(line, len, in_quotes, &field_start);
        if (in_quotes)
            continue;
        if (!too_long)
            return FH_OK;

        char reason[FH_SKIP_REASON_MAX];
        snprintf(reason, sizeof reason, "CSV record longer than %d bytes", FH_MAX_LINE_BYTES);
        st = reader_reject(r, err, *first_line, 0, reason, "the record was not read");
        if (st != FH_OK)
            return st;
        *first_line = 0;
        csv->record_len = 0;
        too_long = false;
        field_start = true;
    }
}

/* Fields */

static void cursor_init(csv_cursor *cur, fh_reader *r, uint64_t line)
{
    memset(cur, 0, sizeof *cur);
    cur->rec = r->csv.record;
    cur->len = r->csv.record_len;
    cur->scratch = r->csv.cell;
    cur->line = line;
}

static void cursor_newline(csv_cursor *cur, size_t at)
{
    cur->line++;
    cur->line_start = at + 1;
}

/* Reads a quoted field starting at the opening quote, unescaping into the scratch buffer. */
static void read_quoted(csv_cursor *cur, csv_field *f)
{
    char *out = cur->scratch + cur->scratch_used;
    size_t n = 0, i = cur->pos + 1;
    for (; i < cur->len; i++) {
        char c = cur->rec[i];
        if (c == '"') {
            if (i + 1 < cur->len && cur->rec[i + 1] == '"') {
                out[n++] = '"';
                i++;
                continue;
            }
            i++;
            break;
        }
        if (c == '\n')
            cursor_newline(cur, i);
        out[n++] = c;
    }
    /* Text between the closing quote and the next comma is kept as it is. */
    for (; i < cur->len && cur->rec[i] != ','; i++)
        out[n++] = cur->rec[i];
    f->ptr = out;
    f->len = n;
    cur->scratch_used += n;
    cur->pos = i;
}

/* Fills f with the next field; returns false after the last one. */
static bool next_field(csv_cursor *cur, csv_field *f)
{
    if (cur->done)
        return false;
    f->line = cur->line;
    f->column = (unsigned long)(cur->pos - cur->line_start + 1);

    if (cur->pos < cur->len && cur->rec[cur->pos] == '"') {
        read_quoted(cur, f);
    } else {
        const char *start = cur->rec + cur->pos;
        const char *comma = memchr(start, ',', cur->len - cur->pos);
        size_t n = comma != NULL ? (size_t)(comma - start) : cur->len - cur->pos;
        f->ptr = start;
        f->len = n;
        cur->pos += n;
    }

    if (cur->pos < cur->len)
        cur->pos++; /* the comma */
    else
        cur->done = true;
    return true;
}

/* Header */

/* Makes a header name unique and non-empty, writing it to out. */
static fh_status header_name(const name_list *seen, const csv_field *f, size_t index, char *out,
                             size_t size)
{
    size_t len = f->len;
    size_t suffix = strlen(UTC_SUFFIX);
    if (len > suffix && memcmp(f->ptr + len - suffix, UTC_SUFFIX, suffix) == 0)
        len -= suffix;
    if (len >= size)
        len = size - 1;

    if (len == 0)
        snprintf(out, size, "Column%zu", index + 1);
    else
        snprintf(out, size, "%.*s", (int)len, f->ptr);

    size_t base = strlen(out);
    for (int n = 1; column_map_get(&seen->index, out, strlen(out)) >= 0; n++)
        snprintf(out + base, size - base, "%d", n);
    return FH_OK;
}

static fh_status read_header(fh_reader *r, name_list *names, fh_error *err)
{
    uint64_t line;
    fh_status st = read_record(r, &line, err);
    if (st != FH_OK)
        return st;
    if (line == 0)
        return FH_OK;

    csv_cursor cur;
    csv_field f;
    cursor_init(&cur, r, line);
    char name[FH_MAX_NAME_BYTES + 16];
    for (size_t i = 0; next_field(&cur, &f); i++) {
        header_name(names, &f, i, name, sizeof name);
        if (name_list_add(names, name, strlen(name), FH_TYPE_COUNT) != FH_OK)
            return fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
    }
    return FH_OK;
}

fh_status csv_reader_open(fh_reader *r, fh_error *err)
{
    name_list names = {0};
    fh_status st = read_header(r, &names, err);
    if (st == FH_OK)
        st = detect_table(r, &names, NULL, "CSV", err);
    if (st != FH_OK)
        goto done;

    r->csv.nfields = names.count;
    r->csv.field_column = calloc(names.count + 1, sizeof *r->csv.field_column);
    if (r->csv.field_column == NULL) {
        st = fh_error_set(err, FH_ERR_NOMEM, r->name, 0, 0, "out of memory");
        goto done;
    }
    /* A name over a cap has no column (-1); its cells are counted as dropped. */
    for (size_t i = 0; i < names.count; i++)
        r->csv.field_column[i] =
            column_map_get(&r->columns, names.names[i], strlen(names.names[i]));

done:
    name_list_free(&names);
    return st;
}

/* Rows */

static fh_status fill_field(fh_reader *r, fh_batch *batch, fh_value *row, size_t index,
                            const csv_field *f, fh_error *err)
{
    long col = r->csv.field_column[index];
    if (col < 0) {
        if (f->len > 0) {
            r->stats.fields_dropped++;
            reader_count_value(r, f->line, "CSV field whose header name is over a cap");
        }
        return FH_OK;
    }
    if (!r->wanted[col] || f->len == 0)
        return FH_OK;
    return cell_from_text(r, batch, row, (size_t)col, f->ptr, f->len, f->line, f->column, err);
}

static fh_status fill_record(fh_reader *r, fh_batch *batch, uint64_t line, fh_error *err)
{
    fh_value *row;
    fh_status st = reader_start_row(r, batch, line, &row, err);
    if (st != FH_OK)
        return st;

    csv_cursor cur;
    csv_field f;
    cursor_init(&cur, r, line);
    size_t n = 0;
    while (next_field(&cur, &f)) {
        if (n < r->csv.nfields) {
            st = fill_field(r, batch, row, n, &f, err);
            if (st != FH_OK) {
                reader_drop_row(batch);
                return st;
            }
        }
        n++;
    }
    if (n > r->csv.nfields) {
        reader_drop_row(batch);
        return reader_reject(r, err, line, 0, "CSV row has more fields than the header",
                             "%zu fields, the header has %zu", n, r->csv.nfields);
    }
    reader_finish_row(r, row);
    return FH_OK;
}

fh_status csv_reader_fill(fh_reader *r, fh_batch *batch, fh_error *err)
{
    while (batch->nrows < FH_BATCH_ROWS) {
        uint64_t line;
        fh_status st = read_record(r, &line, err);
        if (st != FH_OK)
            return st;
        if (line == 0)
            return FH_OK;
        st = fill_record(r, batch, line, err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

void csv_reader_free(fh_reader *r)
{
    free(r->csv.field_column);
    free(r->csv.record);
    free(r->csv.cell);
    memset(&r->csv, 0, sizeof r->csv);
}
