/*
 * Aligned table output for a terminal. The writer keeps the first rows (options.measure_rows)
 * to measure each column's width, prints the header, a rule and the held rows, and then
 * prints each later row as it comes with the same widths. Every cell is made safe for a
 * terminal before it is measured: control characters and invalid UTF-8 become visible escapes.
 * Width is counted in code points.
 */
#include <stdlib.h>
#include <string.h>

#include "foxhound/value_ops.h"
#include "out/writer_internal.h"
#include "table/value_text.h"

/* NOTE: width counts code points, so East Asian wide characters and combining marks
 * misalign their column by a little. */
static size_t count_code_points(const char *text, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            count++;
    }
    return count;
}

/* Appends the escape that shows a control character or an invalid byte. */
static void append_control(fh_strbuf *out, unsigned char c)
{
    if (c == '\n')
        fh_strbuf_append(out, "\\n", 2);
    else if (c == '\r')
        fh_strbuf_append(out, "\\r", 2);
    else if (c == '\t')
        fh_strbuf_append(out, "\\t", 2);
    else
        fh_strbuf_printf(out, "\\x%02x", c);
}

/* Appends text that a terminal shows as it is: C0 controls, DEL and invalid bytes become
 * "\n" or "\xNN", and C1 controls (U+0080 to U+009F) become "\u0080" to "\u009f". */
static void append_terminal_text(fh_strbuf *out, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x20 || p[i] == 0x7F) {
            append_control(out, p[i]);
            i++;
            continue;
        }
        size_t n = fh_utf8_sequence_length(p + i, len - i);
        if (n == 0) {
            append_control(out, p[i]);
            i++;
        } else if (n == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0) {
            fh_strbuf_printf(out, "\\u%04x", p[i + 1]);
            i += 2;
        } else {
            fh_strbuf_append(out, text + i, n);
            i += n;
        }
    }
}

/* Cuts the text appended since start to max_width characters, the last being "…". */
static void truncate_to_width(fh_strbuf *out, size_t start, size_t max_width)
{
    if (max_width == 0 || count_code_points(out->data + start, out->len - start) <= max_width)
        return;
    size_t kept = 0;
    size_t i = start;
    for (; i < out->len; i++) {
        if (((unsigned char)out->data[i] & 0xC0) != 0x80 && kept++ == max_width - 1)
            break;
    }
    out->len = i;
    fh_strbuf_append(out, "\xE2\x80\xA6", 3);
}

/* Appends a terminal-safe, width-limited cell to held_text and returns its width. */
static size_t append_cell(fh_writer *w, const char *text, size_t len)
{
    size_t start = w->held_text.len;
    append_terminal_text(&w->held_text, text, len);
    if (w->held_text.failed)
        return 0;
    truncate_to_width(&w->held_text, start, w->options.max_cell_width);
    return count_code_points(w->held_text.data + start, w->held_text.len - start);
}

static bool grow_offsets(fh_writer *w, size_t needed)
{
    if (needed <= w->held_offset_cap)
        return true;
    size_t cap = w->held_offset_cap ? w->held_offset_cap * 2 : 256;
    while (cap < needed)
        cap *= 2;
    size_t *grown = realloc(w->held_offsets, cap * sizeof *grown);
    if (grown == NULL)
        return false;
    w->held_offsets = grown;
    w->held_offset_cap = cap;
    return true;
}

static bool is_numeric_column(const fh_writer *w, size_t c)
{
    fh_type type = w->schema->cols[c].type;
    return type == FH_TYPE_INT || type == FH_TYPE_LONG || type == FH_TYPE_REAL;
}

/* Appends one cell padded to its column's width; the last column gets no trailing spaces. */
static void append_padded(fh_writer *w, size_t c, const char *text, size_t len)
{
    size_t ncols = w->schema->ncols;
    size_t width = count_code_points(text, len);
    size_t pad = w->widths[c] > width ? w->widths[c] - width : 0;
    bool right = is_numeric_column(w, c);

    if (c > 0)
        fh_strbuf_append(&w->line, "  ", 2);
    for (size_t i = 0; right && i < pad; i++)
        fh_strbuf_append(&w->line, " ", 1);
    fh_strbuf_append(&w->line, text, len);
    for (size_t i = 0; !right && c + 1 < ncols && i < pad; i++)
        fh_strbuf_append(&w->line, " ", 1);
}

/* Renders column c's name into out as the header shows it; returns its width. */
static size_t format_header_name(const fh_writer *w, size_t c, fh_strbuf *out)
{
    out->len = 0;
    const char *name = w->schema->cols[c].name;
    append_terminal_text(out, name, strlen(name));
    if (out->failed)
        return 0;
    truncate_to_width(out, 0, w->options.max_cell_width);
    return count_code_points(out->data, out->len);
}

static fh_status print_header(fh_writer *w, fh_error *err)
{
    size_t ncols = w->schema->ncols;
    fh_strbuf names;
    fh_strbuf_init(&names);
    for (size_t c = 0; c < ncols; c++) {
        format_header_name(w, c, &names);
        append_padded(w, c, names.data ? names.data : "", names.len);
    }
    if (names.failed)
        w->line.failed = true;
    fh_strbuf_free(&names);
    fh_strbuf_append(&w->line, "\n", 1);

    for (size_t c = 0; c < ncols; c++) {
        if (c > 0)
            fh_strbuf_append(&w->line, "  ", 2);
        for (size_t i = 0; i < w->widths[c]; i++)
            fh_strbuf_append(&w->line, "-", 1);
    }
    fh_strbuf_append(&w->line, "\n", 1);
    w->widths_fixed = true;
    return writer_flush_line(w, err);
}

/* Prints the held rows and empties the buffer of held rows. */
static fh_status print_held(fh_writer *w, fh_error *err)
{
    size_t ncols = w->schema->ncols;
    const char *text = w->held_text.data ? w->held_text.data : "";
    for (size_t r = 0; r < w->held_rows; r++) {
        const size_t *offsets = w->held_offsets + r * ncols;
        for (size_t c = 0; c < ncols; c++)
            append_padded(w, c, text + offsets[c], offsets[c + 1] - offsets[c]);
        fh_strbuf_append(&w->line, "\n", 1);
        fh_status st = writer_flush_line(w, err);
        if (st != FH_OK)
            return st;
    }
    w->held_rows = 0;
    w->held_text.len = 0;
    return FH_OK;
}

/* Renders a row's cells into held_text and, while measuring, widens the columns. */
static fh_status hold_row(fh_writer *w, const fh_value *cells, fh_error *err)
{
    size_t ncols = w->schema->ncols;
    size_t first = w->held_rows * ncols;
    if (!grow_offsets(w, first + ncols + 1))
        return fh_error_set(err, FH_ERR_NOMEM, "", 0, 0, "out of memory holding table rows");

    for (size_t c = 0; c < ncols; c++) {
        w->held_offsets[first + c] = w->held_text.len;
        w->cell.len = 0;
        fh_value_append_text(&w->cell, &cells[c]);
        size_t width = append_cell(w, w->cell.data ? w->cell.data : "", w->cell.len);
        if (!w->widths_fixed && width > w->widths[c])
            w->widths[c] = width;
    }
    w->held_offsets[first + ncols] = w->held_text.len;
    if (w->cell.failed || w->held_text.failed)
        return fh_error_set(err, FH_ERR_NOMEM, "", 0, 0, "out of memory holding table rows");
    w->held_rows++;
    return FH_OK;
}

fh_status writer_table_begin(fh_writer *w, fh_error *err)
{
    size_t ncols = w->schema->ncols;
    w->widths = calloc(ncols ? ncols : 1, sizeof *w->widths);
    if (w->widths == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, "", 0, 0, "out of memory starting a table");

    fh_strbuf name_text;
    fh_strbuf_init(&name_text);
    for (size_t c = 0; c < ncols; c++) {
        w->widths[c] = format_header_name(w, c, &name_text);
    }
    fh_status st = fh_strbuf_status(&name_text);
    fh_strbuf_free(&name_text);
    if (st != FH_OK)
        return fh_error_set(err, st, "", 0, 0, "out of memory starting a table");
    return FH_OK;
}

fh_status writer_table_row(fh_writer *w, const fh_value *cells, fh_error *err)
{
    fh_status st = hold_row(w, cells, err);
    if (st != FH_OK)
        return st;
    if (!w->widths_fixed && w->held_rows < w->options.measure_rows)
        return FH_OK;
    if (!w->widths_fixed) {
        st = print_header(w, err);
        if (st != FH_OK)
            return st;
    }
    return print_held(w, err);
}

fh_status writer_table_end(fh_writer *w, fh_error *err)
{
    if (!w->widths_fixed) {
        fh_status st = print_header(w, err);
        if (st != FH_OK)
            return st;
    }
    return print_held(w, err);
}

void writer_table_free(fh_writer *w)
{
    fh_strbuf_free(&w->held_text);
    free(w->held_offsets);
    free(w->widths);
    w->held_offsets = NULL;
    w->widths = NULL;
}
