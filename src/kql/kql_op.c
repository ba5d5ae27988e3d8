/*
 * The parts every operator of the pipeline shares: creation with an output schema, inputs,
 * destruction, and errors that carry the operator's place in the query. Also the default
 * column pushdown rule, by which an operator needs all of its input columns.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kql/kql_exec.h"

fh_status kql_op_new(fh_kql_query *query, const kql_op_vtable *vt, size_t size, unsigned long line,
                     unsigned long column, kql_op **out, fh_error *err)
{
    kql_op *op = calloc(1, size);
    *out = op;
    if (op == NULL)
        return fh_error_set(err, FH_ERR_NOMEM, query->source, line, column,
                            "out of memory creating '%s'", vt->name);
    op->vt = vt;
    op->query = query;
    op->line = line;
    op->column = column;
    return FH_OK;
}

fh_status kql_op_add_input(kql_op *op, kql_op *input, fh_error *err)
{
    kql_op **grown = realloc(op->inputs, (op->ninputs + 1) * sizeof *grown);
    if (grown == NULL) {
        kql_op_destroy(input);
        return kql_op_error(op, err, FH_ERR_NOMEM, "out of memory");
    }
    op->inputs = grown;
    op->inputs[op->ninputs++] = input;
    return FH_OK;
}

fh_status kql_op_set_schema(kql_op *op, const fh_column *cols, size_t ncols, fh_error *err)
{
    fh_schema_destroy(op->schema);
    op->schema = NULL;
    fh_status st = fh_schema_create("", cols, ncols, &op->schema, err);
    if (st != FH_OK && err != NULL && err->line == 0) {
        err->line = op->line;
        err->column = op->column;
        snprintf(err->source, sizeof err->source, "%s", op->query->source);
    }
    return st;
}

void kql_op_destroy(kql_op *op)
{
    if (op == NULL)
        return;
    for (size_t i = 0; i < op->ninputs; i++)
        kql_op_destroy(op->inputs[i]);
    free(op->inputs);
    fh_schema_destroy(op->schema);
    if (op->vt->destroy != NULL)
        op->vt->destroy(op);
    free(op);
}

void kql_op_need_input(kql_op *input, const bool *in_need)
{
    input->vt->need(input, in_need);
}

void kql_op_need_all(kql_op *op, const bool *out_need)
{
    for (size_t i = 0; i < op->ninputs; i++) {
        kql_op *in = op->inputs[i];
        bool *all = calloc(in->schema->ncols + 1, sizeof *all);
        if (all == NULL)
            continue; /* NOTE: out of memory here leaves the input decoding every column */
        for (size_t c = 0; c < in->schema->ncols; c++)
            all[c] = true;
        kql_op_need_input(in, all);
        free(all);
    }
}

fh_status kql_op_error(const kql_op *op, fh_error *err, fh_status status, const char *fmt, ...)
{
    if (err == NULL)
        return status;
    char message[FH_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return fh_error_set(err, status, op->query->source, op->line, op->column, "%s: %s",
                        op->vt->name, message);
}

fh_status kql_op_locate(const kql_op *op, fh_error *err, fh_status status)
{
    if (err != NULL && err->line == 0) {
        err->line = op->line;
        err->column = op->column;
        snprintf(err->source, sizeof err->source, "%s", op->query->source);
    }
    return status;
}

void kql_op_func_ctx(const kql_op *op, kql_func_ctx *ctx, fh_arena *arena, fh_error *err)
{
    ctx->arena = arena;
    ctx->now_ticks = op->query->now_ticks;
    ctx->err = err;
}
