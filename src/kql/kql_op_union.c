/*
 * union: the rows of every input, one input after another, in the union's schema. The binder
 * computes where each column of each input goes. With kind=outer the output has every column
 * of every input, and cells an input lacks are null. With kind=inner it has only the columns
 * all inputs share. With withsource=Col the first output column names each row's input.
 */
#include <stdlib.h>
#include <string.h>

#include "kql/kql_exec.h"

typedef struct union_op {
    kql_op base;
    long **maps;         /* per input: input column -> output column, or -1 */
    char **source_names; /* per input, for withsource */
    long source_column;  /* -1 without withsource */
    size_t current;
    fh_batch out;
} union_op;

static fh_status union_next(kql_op *op, fh_batch **out, fh_error *err)
{
    union_op *u = (union_op *)op;
    while (u->current < op->ninputs) {
        kql_op *in_op = op->inputs[u->current];
        fh_batch *in = NULL;
        fh_status st = kql_op_next(in_op, &in, err);
        if (st == FH_DONE) {
            u->current++;
            continue;
        }
        if (st != FH_OK)
            return st;

        fh_batch_clear(&u->out);
        const long *map = u->maps[u->current];
        size_t in_cols = in->schema->ncols;
        const char *name = u->source_names[u->current];
        for (size_t r = 0; r < in->nrows; r++) {
            fh_value *row;
            st = fh_batch_append(&u->out, &row, err);
            if (st != FH_OK)
                return st;
            const fh_value *src = in->cells + r * in_cols;
            for (size_t c = 0; c < in_cols; c++) {
                if (map[c] >= 0)
                    row[map[c]] = src[c];
            }
            if (u->source_column >= 0)
                row[u->source_column] = fh_value_string(name, strlen(name));
        }
        *out = &u->out;
        return FH_OK;
    }
    return FH_DONE;
}

static void union_need(kql_op *op, const bool *out_need)
{
    union_op *u = (union_op *)op;
    for (size_t i = 0; i < op->ninputs; i++) {
        size_t in_cols = op->inputs[i]->schema->ncols;
        bool need[in_cols + 1];
        for (size_t c = 0; c < in_cols; c++)
            need[c] = u->maps[i][c] >= 0 && out_need[u->maps[i][c]];
        kql_op_need_input(op->inputs[i], need);
    }
}

static void union_destroy(kql_op *op)
{
    union_op *u = (union_op *)op;
    for (size_t i = 0; i < op->ninputs; i++) {
        if (u->maps != NULL)
            free(u->maps[i]);
        if (u->source_names != NULL)
            free(u->source_names[i]);
    }
    free(u->maps);
    free(u->source_names);
    fh_batch_destroy(&u->out);
}

static const kql_op_vtable union_vtable = {"union", union_next, union_need, union_destroy};

fh_status kql_op_union_create(fh_kql_query *query, kql_op **inputs, size_t ninputs, long **maps,
                              const char *const *source_names, long source_column,
                              const fh_column *cols, size_t ncols, unsigned long line,
                              unsigned long column, kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, &union_vtable, sizeof(union_op), line, column, out, err);
    if (st != FH_OK) {
        for (size_t i = 0; i < ninputs; i++)
            kql_op_destroy(inputs[i]);
        return st;
    }
    union_op *u = (union_op *)*out;
    u->maps = calloc(ninputs + 1, sizeof *u->maps);
    u->source_names = calloc(ninputs + 1, sizeof *u->source_names);
    for (size_t i = 0; i < ninputs; i++) {
        st = kql_op_add_input(*out, inputs[i], err);
        if (st != FH_OK) {
            for (size_t j = i + 1; j < ninputs; j++)
                kql_op_destroy(inputs[j]);
            return st;
        }
    }
    if (u->maps == NULL || u->source_names == NULL)
        return kql_op_error(*out, err, FH_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < ninputs; i++) {
        size_t in_cols = inputs[i]->schema->ncols;
        u->maps[i] = calloc(in_cols + 1, sizeof *u->maps[i]);
        u->source_names[i] = strdup(source_names != NULL ? source_names[i] : "");
        if (u->maps[i] == NULL || u->source_names[i] == NULL)
            return kql_op_error(*out, err, FH_ERR_NOMEM, "out of memory");
        memcpy(u->maps[i], maps[i], in_cols * sizeof *maps[i]);
    }
    u->source_column = source_column;
    st = kql_op_set_schema(*out, cols, ncols, err);
    if (st == FH_OK)
        st = fh_batch_init(&u->out, (*out)->schema, err);
    return st;
}
