/* The count operator: one row with one long column, Count, holding the number of input rows. */
#include "kql/kql_exec.h"

typedef struct count_op {
    kql_op base;
    bool done;
    fh_batch out;
} count_op;

static fh_status count_next(kql_op *op, fh_batch **out, fh_error *err)
{
    count_op *c = (count_op *)op;
    if (c->done)
        return FH_DONE;
    int64_t n = 0;
    fh_status st;
    fh_batch *in = NULL;
    while ((st = kql_op_next(op->inputs[0], &in, err)) == FH_OK)
        n += (int64_t)in->nrows;
    if (st != FH_DONE)
        return st;
    c->done = true;
    fh_value *row;
    st = fh_batch_append(&c->out, &row, err);
    if (st != FH_OK)
        return st;
    row[0] = fh_value_long(n);
    *out = &c->out;
    return FH_OK;
}

static void count_need(kql_op *op, const bool *out_need)
{
    bool none[op->inputs[0]->schema->ncols + 1];
    for (size_t i = 0; i <= op->inputs[0]->schema->ncols; i++)
        none[i] = false;
    kql_op_need_input(op->inputs[0], none);
}

static void count_destroy(kql_op *op)
{
    fh_batch_destroy(&((count_op *)op)->out);
}

static const kql_op_vtable count_vtable = {"count", count_next, count_need, count_destroy};

fh_status kql_op_count_create(fh_kql_query *query, kql_op *input, unsigned long line,
                              unsigned long column, kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, &count_vtable, sizeof(count_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    st = kql_op_add_input(*out, input, err);
    fh_column col = {"Count", FH_TYPE_LONG};
    if (st == FH_OK)
        st = kql_op_set_schema(*out, &col, 1, err);
    if (st == FH_OK)
        st = fh_batch_init(&((count_op *)*out)->out, (*out)->schema, err);
    return st;
}
