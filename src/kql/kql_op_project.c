/*
 * The column-shaping operators: project, extend, project-away, project-keep, project-rename
 * and project-reorder. The binder turns each into one list of output columns, where a column
 * is either an input column passed through or an expression computed per row, so one
 * operator runs them all. Passed-through cells point into the input batch and computed
 * values live in this operator's batch.
 */
#include <stdlib.h>
#include <string.h>

#include "kql/kql_exec.h"

typedef struct map_op {
    kql_op base;
    kql_map_column *cols; /* copies; names live in the query arena */
    size_t ncols;
    kql_func_ctx fctx;
    fh_batch out;
} map_op;

static fh_status map_row(map_op *m, const fh_value *in, fh_value *out, kql_eval *ev, fh_error *err)
{
    ev->row = in;
    /* Every expression reads the input row, so computing all before storing any is safe. */
    for (size_t c = 0; c < m->ncols; c++) {
        const kql_map_column *col = &m->cols[c];
        if (col->source >= 0) {
            out[c] = in[col->source];
            continue;
        }
        fh_status st = kql_expr_eval(col->expr, ev, &out[c], err);
        if (st != FH_OK)
            return st;
        /* An expression may give a narrower type than declared (int for long). */
        if (out[c].type != m->base.schema->cols[c].type && out[c].is_null)
            out[c] = fh_value_null(m->base.schema->cols[c].type);
    }
    return FH_OK;
}

static fh_status map_next(kql_op *op, fh_batch **out, fh_error *err)
{
    map_op *m = (map_op *)op;
    fh_batch *in = NULL;
    fh_status st = kql_op_next(op->inputs[0], &in, err);
    if (st != FH_OK)
        return st;

    fh_batch_clear(&m->out);
    kql_op_func_ctx(op, &m->fctx, &m->out.arena, err);
    kql_eval ev = {.fctx = &m->fctx, .source = op->query->source};
    size_t in_cols = in->schema->ncols;
    for (size_t r = 0; r < in->nrows; r++) {
        fh_value *row;
        st = fh_batch_append(&m->out, &row, err);
        if (st == FH_OK)
            st = map_row(m, in->cells + r * in_cols, row, &ev, err);
        if (st != FH_OK)
            return st;
        m->out.line_numbers[r] = in->line_numbers[r];
        m->out.file_index[r] = in->file_index[r];
    }
    *out = &m->out;
    return FH_OK;
}

static void map_need(kql_op *op, const bool *out_need)
{
    map_op *m = (map_op *)op;
    size_t in_cols = op->inputs[0]->schema->ncols;
    bool *need = calloc(in_cols + 1, sizeof *need);
    if (need == NULL) {
        kql_op_need_all(op, out_need);
        return;
    }
    for (size_t c = 0; c < m->ncols; c++) {
        if (!out_need[c])
            continue;
        if (m->cols[c].source >= 0)
            need[m->cols[c].source] = true;
        else
            kql_expr_columns(m->cols[c].expr, need);
    }
    kql_op_need_input(op->inputs[0], need);
    free(need);
}

static void map_destroy(kql_op *op)
{
    map_op *m = (map_op *)op;
    kql_func_ctx_release(&m->fctx);
    fh_batch_destroy(&m->out);
    free(m->cols);
}

static const kql_op_vtable project_vtable = {"project", map_next, map_need, map_destroy};
static const kql_op_vtable extend_vtable = {"extend", map_next, map_need, map_destroy};
static const kql_op_vtable away_vtable = {"project-away", map_next, map_need, map_destroy};
static const kql_op_vtable keep_vtable = {"project-keep", map_next, map_need, map_destroy};
static const kql_op_vtable rename_vtable = {"project-rename", map_next, map_need, map_destroy};
static const kql_op_vtable reorder_vtable = {"project-reorder", map_next, map_need, map_destroy};
static const kql_op_vtable generic_vtable = {"project", map_next, map_need, map_destroy};

static const kql_op_vtable *vtable_for(const char *op_name)
{
    static const kql_op_vtable *const all[] = {&project_vtable, &extend_vtable, &away_vtable,
                                               &keep_vtable,    &rename_vtable, &reorder_vtable};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(all[i]->name, op_name) == 0)
            return all[i];
    }
    return &generic_vtable;
}

fh_status kql_op_map_create(fh_kql_query *query, const char *op_name, kql_op *input,
                            const kql_map_column *cols, size_t ncols, unsigned long line,
                            unsigned long column, kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, vtable_for(op_name), sizeof(map_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    map_op *m = (map_op *)*out;
    st = kql_op_add_input(*out, input, err);
    if (st != FH_OK)
        return st;
    m->cols = calloc(ncols + 1, sizeof *m->cols);
    fh_column *schema_cols = calloc(ncols + 1, sizeof *schema_cols);
    if (m->cols == NULL || schema_cols == NULL) {
        free(schema_cols);
        return kql_op_error(*out, err, FH_ERR_NOMEM, "out of memory");
    }
    memcpy(m->cols, cols, ncols * sizeof *cols);
    m->ncols = ncols;
    for (size_t c = 0; c < ncols; c++) {
        schema_cols[c].name = cols[c].name;
        schema_cols[c].type =
            cols[c].source >= 0 ? input->schema->cols[cols[c].source].type : cols[c].expr->type;
    }
    st = kql_op_set_schema(*out, schema_cols, ncols, err);
    free(schema_cols);
    if (st == FH_OK)
        st = fh_batch_init(&m->out, (*out)->schema, err);
    return st;
}
