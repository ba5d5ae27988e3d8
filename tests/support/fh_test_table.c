/* Reads a whole log into memory for the reader tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fh_test_table.h"
#include "foxhound/value_ops.h"

static fh_status append_batch(fh_test_table *t, fh_batch *batch)
{
    size_t ncols = batch->schema->ncols;
    size_t total = t->nrows + batch->nrows;
    fh_value *cells = realloc(t->cells, (total * ncols + 1) * sizeof *cells);
    uint64_t *lines = realloc(t->lines, (total + 1) * sizeof *lines);
    if (cells != NULL)
        t->cells = cells;
    if (lines != NULL)
        t->lines = lines;
    if (cells == NULL || lines == NULL)
        return FH_ERR_NOMEM;

    for (size_t r = 0; r < batch->nrows; r++) {
        fh_value *row = fh_batch_row(batch, r);
        for (size_t c = 0; c < ncols; c++) {
            fh_status st = fh_value_copy(&t->arena, &t->cells[(t->nrows + r) * ncols + c], &row[c]);
            if (st != FH_OK)
                return st;
        }
        t->lines[t->nrows + r] = batch->line_numbers[r];
    }
    t->nrows = total;
    return FH_OK;
}

fh_status fh_test_table_read(fh_test_table *t, const char *path, const void *data, size_t len,
                             const fh_read_options *options)
{
    memset(t, 0, sizeof *t);
    fh_arena_init(&t->arena);
    fh_error_clear(&t->err);
    fh_status st = data != NULL
                       ? fh_reader_open_memory(path, data, len, options, &t->reader, &t->err)
                       : fh_reader_open(path, options, &t->reader, &t->err);
    t->status = st;
    if (st != FH_OK)
        return st;

    fh_batch batch;
    fh_batch_init(&batch, fh_reader_schema(t->reader), NULL);
    while ((st = fh_reader_next(t->reader, &batch, &t->err)) == FH_OK) {
        if (append_batch(t, &batch) != FH_OK) {
            st = FH_ERR_NOMEM;
            break;
        }
    }
    fh_batch_destroy(&batch);
    t->status = st;
    return FH_OK;
}

const fh_value *fh_test_cell(const fh_test_table *t, size_t row, const char *column)
{
    const fh_schema *schema = fh_reader_schema(t->reader);
    long col = fh_schema_find(schema, column, strlen(column));
    if (col < 0)
        fail_msg("the table %s has no column %s", schema->name, column);
    assert_true(row < t->nrows);
    return &t->cells[row * schema->ncols + (size_t)col];
}

const char *fh_test_text(fh_test_table *t, size_t row, const char *column)
{
    const char *ptr;
    size_t len;
    assert_int_equal(fh_value_to_string(fh_test_cell(t, row, column), &t->arena, &ptr, &len),
                     FH_OK);
    return fh_arena_strndup(&t->arena, ptr, len);
}

void fh_test_table_free(fh_test_table *t)
{
    fh_reader_close(t->reader);
    free(t->cells);
    free(t->lines);
    fh_arena_destroy(&t->arena);
    memset(t, 0, sizeof *t);
}

static void assert_reasons_equal(const fh_skip_reason *a, size_t na, const fh_skip_reason *b,
                                 size_t nb)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].reason, b[i].reason);
        assert_int_equal(a[i].count, b[i].count);
        assert_int_equal(a[i].nlines, b[i].nlines);
        for (size_t k = 0; k < a[i].nlines; k++)
            assert_int_equal(a[i].lines[k], b[i].lines[k]);
    }
}

void fh_test_assert_stats_equal(const fh_read_stats *a, const fh_read_stats *b)
{
    assert_int_equal(a->bytes, b->bytes);
    assert_int_equal(a->lines, b->lines);
    assert_int_equal(a->rows_loaded, b->rows_loaded);
    assert_int_equal(a->rows_filtered, b->rows_filtered);
    assert_int_equal(a->rows_skipped, b->rows_skipped);
    assert_int_equal(a->values_invalid, b->values_invalid);
    assert_int_equal(a->fields_dropped, b->fields_dropped);
    assert_reasons_equal(a->reasons, a->nreasons, b->reasons, b->nreasons);
    assert_reasons_equal(a->value_reasons, a->nvalue_reasons, b->value_reasons, b->nvalue_reasons);
}
