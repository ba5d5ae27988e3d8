/*
 * Result writers: the create/begin/write/end API, JSON lines and CSV. Aligned tables are in
 * writer_table.c. Cell text comes from the shared value renderers, so every format prints a
 * value the same way.
 */
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "foxhound/value_ops.h"
#include "out/writer_internal.h"
#include "table/value_text.h"

fh_status fh_output_format_from_name(const char *name, fh_output_format *format)
{
    static const char *const names[] = {"table", "json", "csv"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, names[i]) == 0) {
            *format = (fh_output_format)i;
            return FH_OK;
        }
    }
    return FH_ERR_USAGE;
}

fh_status fh_writer_create(FILE *out, fh_output_format format, const fh_writer_options *options,
                           fh_writer **writer, fh_error *err)
{
    *writer = NULL;
    if (out == NULL || format > FH_OUTPUT_CSV)
        return fh_error_set(err, FH_ERR_USAGE, "", 0, 0,
                            "invalid writer arguments: output file %s, format %d",
                            out ? "given" : "missing", (int)format);

    fh_writer *w = calloc(1, sizeof *w);
    if (w == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "", 0, 0, "out of memory creating a writer");
    w->out = out;
    w->format = format;
    if (options != NULL)
        w->options = *options;
    if (w->options.measure_rows == 0)
        w->options.measure_rows = FH_WRITER_MEASURE_ROWS;
    fh_strbuf_init(&w->line);
    fh_strbuf_init(&w->cell);
    fh_strbuf_init(&w->held_text);
    *writer = w;
    return FH_OK;
}

void fh_writer_destroy(fh_writer *writer)
{
    if (writer == NULL)
        return;
    fh_strbuf_free(&writer->line);
    fh_strbuf_free(&writer->cell);
    writer_table_free(writer);
    free(writer);
}

uint64_t fh_writer_row_count(const fh_writer *writer)
{
    return writer->rows;
}

fh_status writer_flush_line(fh_writer *w, fh_error *err)
{
    if (fh_strbuf_status(&w->line) != FH_OK)
        return fh_error_set(err, FH_ERR_NOMEM, "", 0, 0, "out of memory formatting row %llu",
                            (unsigned long long)w->rows + 1);
    if (w->line.len > 0 && fwrite(w->line.data, 1, w->line.len, w->out) != w->line.len)
        return fh_error_set(err, FH_ERR_IO, "", 0, 0,
                            "writing the output failed (disk full or closed pipe?)");
    w->line.len = 0;
    return FH_OK;
}

/* Whether a CSV field needs quotes under RFC 4180. */
static bool csv_needs_quotes(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n')
            return true;
    }
    return false;
}

/* Whether a spreadsheet would read a cell starting with this byte as a formula. */
static bool starts_formula(const char *text, size_t len)
{
    if (len == 0)
        return false;
    return strchr("=+-@\t\r", text[0]) != NULL;
}

static void csv_append_field(fh_strbuf *line, const char *text, size_t len, bool guard_formula)
{
    bool prefix = guard_formula && starts_formula(text, len);
    if (!csv_needs_quotes(text, len)) {
        if (prefix)
            fh_strbuf_append(line, "'", 1);
        fh_strbuf_append(line, text, len);
        return;
    }

    fh_strbuf_append(line, "\"", 1);
    if (prefix)
        fh_strbuf_append(line, "'", 1);
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"') {
            fh_strbuf_append(line, text + start, i + 1 - start);
            fh_strbuf_append(line, "\"", 1);
            start = i + 1;
        }
    }
    fh_strbuf_append(line, text + start, len - start);
    fh_strbuf_append(line, "\"", 1);
}

static fh_status csv_header(fh_writer *w, fh_error *err)
{
    for (size_t c = 0; c < w->schema->ncols; c++) {
        if (c > 0)
            fh_strbuf_append(&w->line, ",", 1);
        const char *name = w->schema->cols[c].name;
        csv_append_field(&w->line, name, strlen(name), true);
    }
    fh_strbuf_append(&w->line, "\r\n", 2);
    return writer_flush_line(w, err);
}

static fh_status csv_row(fh_writer *w, const fh_value *cells, fh_error *err)
{
    for (size_t c = 0; c < w->schema->ncols; c++) {
        if (c > 0)
            fh_strbuf_append(&w->line, ",", 1);
        w->cell.len = 0;
        fh_value_append_text(&w->cell, &cells[c]);
        bool text_type = cells[c].type == FH_TYPE_STRING || cells[c].type == FH_TYPE_DYNAMIC;
        csv_append_field(&w->line, w->cell.data ? w->cell.data : "", w->cell.len, text_type);
    }
    if (fh_strbuf_status(&w->cell) != FH_OK)
        w->line.failed = true;
    fh_strbuf_append(&w->line, "\r\n", 2);
    return writer_flush_line(w, err);
}

static fh_status json_row(fh_writer *w, const fh_value *cells, fh_error *err)
{
    fh_strbuf_append(&w->line, "{", 1);
    for (size_t c = 0; c < w->schema->ncols; c++) {
        if (c > 0)
            fh_strbuf_append(&w->line, ",", 1);
        const char *name = w->schema->cols[c].name;
        fh_json_append_string(&w->line, name, strlen(name));
        fh_strbuf_append(&w->line, ":", 1);
        fh_json_append_value(&w->line, &cells[c]);
    }
    fh_strbuf_append(&w->line, "}\n", 2);
    return writer_flush_line(w, err);
}

fh_status fh_writer_begin(fh_writer *writer, const fh_schema *schema, fh_error *err)
{
    if (writer->begun || schema == NULL)
        return fh_error_set(err, FH_ERR_USAGE, "", 0, 0,
                            "fh_writer_begin needs a schema and is called once per writer");
    writer->schema = schema;
    writer->begun = true;
    if (writer->format == FH_OUTPUT_CSV)
        return csv_header(writer, err);
    if (writer->format == FH_OUTPUT_TABLE)
        return writer_table_begin(writer, err);
    return FH_OK;
}

fh_status fh_writer_write_batch(fh_writer *writer, const fh_batch *batch, fh_error *err)
{
    if (!writer->begun || writer->ended)
        return fh_error_set(err, FH_ERR_USAGE, "", 0, 0,
                            "fh_writer_write_batch is called between begin and end");
    if (batch->schema == NULL || batch->schema->ncols != writer->schema->ncols)
        return fh_error_set(err, FH_ERR_USAGE, "", 0, 0,
                            "batch has %zu columns but the writer was begun with %zu",
                            batch->schema ? batch->schema->ncols : 0, writer->schema->ncols);

    size_t ncols = writer->schema->ncols;
    for (size_t r = 0; r < batch->nrows; r++) {
        const fh_value *cells = batch->cells + r * ncols;
        fh_status st = FH_OK;
        if (writer->format == FH_OUTPUT_JSON)
            st = json_row(writer, cells, err);
        else if (writer->format == FH_OUTPUT_CSV)
            st = csv_row(writer, cells, err);
        else
            st = writer_table_row(writer, cells, err);
        if (st != FH_OK)
            return st;
        writer->rows++;
    }
    return FH_OK;
}

fh_status fh_writer_end(fh_writer *writer, fh_error *err)
{
    if (!writer->begun || writer->ended)
        return fh_error_set(err, FH_ERR_USAGE, "", 0, 0,
                            "fh_writer_end is called once, after fh_writer_begin");
    writer->ended = true;
    if (writer->format == FH_OUTPUT_TABLE) {
        fh_status st = writer_table_end(writer, err);
        if (st != FH_OK)
            return st;
    }
    if (fflush(writer->out) != 0 || ferror(writer->out))
        return fh_error_set(err, FH_ERR_IO, "", 0, 0,
                            "writing the output failed (disk full or closed pipe?)");
    return FH_OK;
}
