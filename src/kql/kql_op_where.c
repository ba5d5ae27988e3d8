/*
 * where (and its synonym filter): keeps the rows whose predicate is true; false and null
 * drop the row. Rows are compacted inside the input batch, so nothing is copied.
 */
#include <string.h>

#include "kql/kql_exec.h"

typedef struct where_op {
    kql_op base;
    kql_expr *predicate;
    kql_func_ctx fctx;
    fh_arena scratch; /* function results for one batch */
} where_op;

static fh_status filter_batch(where_op *w, fh_batch *batch, fh_error *err)
{
    const size_t ncols = batch->schema->ncols;
    size_t kept = 0;
    fh_arena_reset(&w->scratch);
    kql_op_func_ctx(&w->base, &w->fctx, &w->scratch, err);
    kql_eval ev = {.fctx = &w->fctx, .source = w->base.query->source};

    for (size_t r = 0; r < batch->nrows; r++) {
        fh_value *row = batch->cells + r * ncols;
        ev.row = row;
        bool keep = false;
        fh_status st = kql_expr_test(w->predicate, &ev, &keep, err);
        if (st != FH_OK)
            return st;
        if (!keep)
            continue;
        if (kept != r) {
            memmove(batch->cells + kept * ncols, row, ncols * sizeof *row);
            batch->line_numbers[kept] = batch->line_numbers[r];
            batch->file_index[kept] = batch->file_index[r];
        }
        kept++;
    }
    batch->nrows = kept;
    return FH_OK;
}

static fh_status where_next(kql_op *op, fh_batch **out, fh_error *err)
{
    where_op *w = (where_op *)op;
    for (;;) {
        fh_batch *in = NULL;
        fh_status st = kql_op_next(op->inputs[0], &in, err);
        if (st != FH_OK)
            return st;
        st = filter_batch(w, in, err);
        if (st != FH_OK)
            return st;
        if (in->nrows > 0) {
            *out = in;
            return FH_OK;
        }
    }
}

static void where_need(kql_op *op, const bool *out_need)
{
    where_op *w = (where_op *)op;
    size_t ncols = op->schema->ncols;
    bool need[ncols + 1];
    memcpy(need, out_need, ncols * sizeof *need);
    kql_expr_columns(w->predicate, need);
    kql_op_need_input(op->inputs[0], need);
}

static void where_destroy(kql_op *op)
{
    where_op *w = (where_op *)op;
    kql_func_ctx_release(&w->fctx);
    fh_arena_destroy(&w->scratch);
}

static const kql_op_vtable where_vtable = {"where", where_next, where_need, where_destroy};

fh_status kql_op_where_create(fh_kql_query *query, kql_op *input, kql_expr *predicate,
                              unsigned long line, unsigned long column, kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, &where_vtable, sizeof(where_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    where_op *w = (where_op *)*out;
    w->predicate = predicate;
    fh_arena_init(&w->scratch);
    st = kql_op_add_input(*out, input, err);
    if (st != FH_OK)
        return st;
    return kql_op_set_schema(*out, input->schema->cols, input->schema->ncols, err);
}

kql_expr *kql_op_where_predicate(const kql_op *op)
{
    return ((const where_op *)op)->predicate;
}

bool kql_op_is_where(const kql_op *op)
{
    return op->vt == &where_vtable;
}
