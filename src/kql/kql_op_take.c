/* take (and its synonym limit): passes the first N rows through and then stops reading. */
#include "kql/kql_exec.h"

typedef struct take_op {
    kql_op base;
    int64_t limit;
    int64_t seen;
} take_op;

static fh_status take_next(kql_op *op, fh_batch **out, fh_error *err)
{
    take_op *t = (take_op *)op;
    if (t->seen >= t->limit)
        return FH_DONE;
    fh_batch *in = NULL;
    fh_status st = kql_op_next(op->inputs[0], &in, err);
    if (st != FH_OK)
        return st;
    int64_t room = t->limit - t->seen;
    if ((int64_t)in->nrows > room)
        in->nrows = (size_t)room;
    t->seen += (int64_t)in->nrows;
    *out = in;
    return FH_OK;
}

static void take_need(kql_op *op, const bool *out_need)
{
    kql_op_need_input(op->inputs[0], out_need);
}

static const kql_op_vtable take_vtable = {"take", take_next, take_need, NULL};

fh_status kql_op_take_create(fh_kql_query *query, kql_op *input, int64_t limit, unsigned long line,
                             unsigned long column, kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, &take_vtable, sizeof(take_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    ((take_op *)*out)->limit = limit < 0 ? 0 : limit;
    st = kql_op_add_input(*out, input, err);
    if (st != FH_OK)
        return st;
    return kql_op_set_schema(*out, input->schema->cols, input->schema->ncols, err);
}
