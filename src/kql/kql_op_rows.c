/*
 * A source operator over rows held in memory: datatable literals, and inputs that had to be
 * read to the end first (bag_unpack). Also kql_op_collect, which runs an operator to the end
 * and keeps its rows.
 */
#include <stdlib.h>

#include "kql/kql_exec.h"

typedef struct rows_op {
    kql_op base;
    kql_rows rows;
    size_t next_row;
    fh_batch out;
} rows_op;

static fh_status rows_next(kql_op *op, fh_batch **out, fh_error *err)
{
    rows_op *r = (rows_op *)op;
    if (r->next_row >= r->rows.nrows)
        return FH_DONE;
    fh_batch_clear(&r->out);
    size_t ncols = op->schema->ncols;
    while (r->next_row < r->rows.nrows && r->out.nrows < FH_BATCH_ROWS) {
        fh_value *row;
        fh_status st = fh_batch_append(&r->out, &row, err);
        if (st != FH_OK)
            return st;
        const fh_value *src = kql_rows_at(&r->rows, r->next_row++);
        for (size_t c = 0; c < ncols; c++)
            row[c] = src[c];
    }
    *out = &r->out;
    return FH_OK;
}

static void rows_need(kql_op *op, const bool *out_need)
{
}

static void rows_destroy(kql_op *op)
{
    rows_op *r = (rows_op *)op;
    kql_rows_destroy(&r->rows);
    fh_batch_destroy(&r->out);
}

static const kql_op_vtable rows_vtable = {"datatable", rows_next, rows_need, rows_destroy};

fh_status kql_op_rows_create(fh_kql_query *query, const fh_column *cols, size_t ncols,
                             kql_rows *rows, unsigned long line, unsigned long column, kql_op **out,
                             fh_error *err)
{
    fh_status st = kql_op_new(query, &rows_vtable, sizeof(rows_op), line, column, out, err);
    if (st != FH_OK) {
        kql_rows_destroy(rows);
        return st;
    }
    rows_op *r = (rows_op *)*out;
    r->rows = *rows; /* takes the rows over */
    rows->cells = NULL;
    rows->nrows = rows->cap = 0;
    fh_arena_init(&rows->arena);
    st = kql_op_set_schema(*out, cols, ncols, err);
    if (st == FH_OK)
        st = fh_batch_init(&r->out, (*out)->schema, err);
    return st;
}

fh_status kql_op_collect(kql_op *op, kql_rows *rows, fh_error *err)
{
    fh_batch *batch = NULL;
    fh_status st;
    while ((st = kql_op_next(op, &batch, err)) == FH_OK) {
        size_t ncols = batch->schema->ncols;
        for (size_t r = 0; r < batch->nrows; r++) {
            st = kql_rows_append(rows, batch->cells + r * ncols, op->vt->name, err);
            if (st != FH_OK)
                return st;
        }
    }
    return st == FH_DONE ? FH_OK : st;
}
