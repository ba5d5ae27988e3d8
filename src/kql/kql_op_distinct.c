/*
 * distinct: the unique combinations of the listed columns, in the order each combination is
 * first seen. Two nulls count as the same value here, unlike `==`.
 */
#include <stdlib.h>
#include <string.h>

#include "kql/kql_exec.h"

typedef struct distinct_op {
    kql_op base;
    size_t *cols;
    size_t ncols;
    kql_keymap seen;
    fh_batch out;
    fh_value *key;
} distinct_op;

static fh_status distinct_next(kql_op *op, fh_batch **out, fh_error *err)
{
    distinct_op *d = (distinct_op *)op;
    for (;;) {
        fh_batch *in = NULL;
        fh_status st = kql_op_next(op->inputs[0], &in, err);
        if (st != FH_OK)
            return st;
        fh_batch_clear(&d->out);
        size_t in_cols = in->schema->ncols;
        for (size_t r = 0; r < in->nrows; r++) {
            const fh_value *src = in->cells + r * in_cols;
            for (size_t c = 0; c < d->ncols; c++)
                d->key[c] = src[d->cols[c]];
            size_t index;
            bool added;
            st = kql_keymap_find_or_add(&d->seen, d->key, "distinct", &index, &added, err);
            if (st != FH_OK)
                return kql_op_locate(op, err, st);
            if (!added)
                continue;
            fh_value *row;
            st = fh_batch_append(&d->out, &row, err);
            if (st != FH_OK)
                return st;
            /* The stored key outlives the input batch. */
            memcpy(row, kql_rows_at(&d->seen.keys, index), d->ncols * sizeof *row);
        }
        if (d->out.nrows > 0) {
            *out = &d->out;
            return FH_OK;
        }
    }
}

static void distinct_need(kql_op *op, const bool *out_need)
{
    distinct_op *d = (distinct_op *)op;
    size_t in_cols = op->inputs[0]->schema->ncols;
    bool need[in_cols + 1];
    memset(need, 0, sizeof need);
    for (size_t c = 0; c < d->ncols; c++)
        need[d->cols[c]] = true;
    kql_op_need_input(op->inputs[0], need);
}

static void distinct_destroy(kql_op *op)
{
    distinct_op *d = (distinct_op *)op;
    kql_keymap_destroy(&d->seen);
    fh_batch_destroy(&d->out);
    free(d->cols);
    free(d->key);
}

static const kql_op_vtable distinct_vtable = {"distinct", distinct_next, distinct_need,
                                              distinct_destroy};

fh_status kql_op_distinct_create(fh_kql_query *query, kql_op *input, const size_t *cols,
                                 size_t ncols, unsigned long line, unsigned long column,
                                 kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, &distinct_vtable, sizeof(distinct_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    distinct_op *d = (distinct_op *)*out;
    st = kql_op_add_input(*out, input, err);
    if (st != FH_OK)
        return st;
    d->cols = calloc(ncols + 1, sizeof *d->cols);
    d->key = calloc(ncols + 1, sizeof *d->key);
    fh_column *schema_cols = calloc(ncols + 1, sizeof *schema_cols);
    if (d->cols == NULL || d->key == NULL || schema_cols == NULL) {
        free(schema_cols);
        return kql_op_error(*out, err, FH_ERR_NOMEM, "out of memory");
    }
    memcpy(d->cols, cols, ncols * sizeof *cols);
    d->ncols = ncols;
    for (size_t c = 0; c < ncols; c++)
        schema_cols[c] = input->schema->cols[cols[c]];
    kql_keymap_init(&d->seen, ncols);
    st = kql_op_set_schema(*out, schema_cols, ncols, err);
    free(schema_cols);
    if (st == FH_OK)
        st = fh_batch_init(&d->out, (*out)->schema, err);
    return st;
}
