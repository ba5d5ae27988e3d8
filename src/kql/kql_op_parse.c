/*
 * parse [kind=simple|relaxed] Expr with Pattern: extracts columns from a string by a pattern
 * of string literals, `*` (skip any text) and Column[:type] items. A column takes the text up
 * to the next literal's first occurrence, or the rest of the string when nothing follows it.
 * The pattern must match from the start of the string. When it does not match, every new
 * column is null (an empty string for strings). With kind=simple a value that does not
 * convert to its column's type nulls all the new columns; kind=relaxed nulls only that one.
 * Two columns with no literal between them: the first takes the empty string.
 */
#include <stdlib.h>
#include <string.h>

#include "kql/kql_exec.h"

typedef struct parse_op {
    kql_op base;
    kql_expr *source;
    kql_parse_item *items;
    size_t nitems;
    bool relaxed;
    size_t first_new; /* index of the first extracted column in the output */
    kql_func_ctx fctx;
    fh_batch out;
} parse_op;

/* A column's matched text, before conversion. */
typedef struct parse_slice {
    const char *ptr;
    size_t len;
} parse_slice;

/* Matches the pattern against text, filling one slice per column item. */
static bool match_pattern(const parse_op *p, const char *text, size_t len, parse_slice *slices)
{
    size_t pos = 0, column = 0;
    long pending = -1;     /* column waiting for its end */
    bool skipping = false; /* a `*` waiting for the next literal */
    for (size_t i = 0; i < p->nitems; i++) {
        const kql_parse_item *item = &p->items[i];
        if (item->kind == KQL_PARSE_ITEM_STAR) {
            skipping = true;
            continue;
        }
        if (item->kind == KQL_PARSE_ITEM_COLUMN) {
            /* A column followed directly by another column (no literal between them to end
             * it) takes the empty string. */
            if (pending >= 0)
                slices[pending].len = 0;
            pending = (long)column++;
            slices[pending].ptr = text + pos;
            slices[pending].len = 0;
            continue;
        }
        const char *lit = item->text.ptr;
        size_t n = item->text.len;
        if (pending >= 0 || skipping) {
            const char *found = n == 0 ? text + pos : memmem(text + pos, len - pos, lit, n);
            if (found == NULL)
                return false;
            if (pending >= 0)
                slices[pending].len = (size_t)(found - slices[pending].ptr);
            pos = (size_t)(found - text) + n;
        } else {
            if (len - pos < n || memcmp(text + pos, lit, n) != 0)
                return false;
            pos += n;
        }
        pending = -1;
        skipping = false;
    }
    if (pending >= 0)
        slices[pending].len = len - (size_t)(slices[pending].ptr - text);
    return true;
}

static fh_status parse_row(parse_op *p, const fh_value *in, fh_value *row, kql_eval *ev,
                           parse_slice *slices, fh_error *err)
{
    size_t in_cols = p->base.inputs[0]->schema->ncols;
    memcpy(row, in, in_cols * sizeof *row);
    ev->row = in;
    fh_value v;
    fh_status st = kql_expr_eval(p->source, ev, &v, err);
    if (st != FH_OK)
        return st;
    const char *text = "";
    size_t len = 0;
    if (fh_value_to_string(&v, &p->out.arena, &text, &len) != FH_OK)
        return kql_op_error(&p->base, err, FH_ERR_NOMEM, "out of memory");

    const fh_schema *schema = p->base.schema;
    size_t ncols = schema->ncols - p->first_new;
    bool matched = match_pattern(p, text, len, slices);
    bool all_converted = true;
    for (size_t c = 0; c < ncols; c++) {
        fh_type type = schema->cols[p->first_new + c].type;
        fh_value *cell = &row[p->first_new + c];
        *cell = fh_value_null(type);
        if (!matched)
            continue;
        st = fh_value_from_text(type, slices[c].ptr, slices[c].len, &p->out.arena, cell);
        if (st == FH_ERR_NOMEM)
            return kql_op_error(&p->base, err, st, "out of memory");
        if (st != FH_OK) {
            *cell = fh_value_null(type);
            all_converted = false;
        }
    }
    if (!all_converted && !p->relaxed) {
        for (size_t c = 0; c < ncols; c++)
            row[p->first_new + c] = fh_value_null(schema->cols[p->first_new + c].type);
    }
    return FH_OK;
}

static fh_status parse_next(kql_op *op, fh_batch **out, fh_error *err)
{
    parse_op *p = (parse_op *)op;
    fh_batch *in = NULL;
    fh_status st = kql_op_next(op->inputs[0], &in, err);
    if (st != FH_OK)
        return st;
    fh_batch_clear(&p->out);
    kql_op_func_ctx(op, &p->fctx, &p->out.arena, err);
    kql_eval ev = {.fctx = &p->fctx, .source = op->query->source};
    parse_slice slices[FH_MAX_COLUMNS];
    size_t in_cols = in->schema->ncols;
    for (size_t r = 0; r < in->nrows; r++) {
        fh_value *row;
        st = fh_batch_append(&p->out, &row, err);
        if (st == FH_OK)
            st = parse_row(p, in->cells + r * in_cols, row, &ev, slices, err);
        if (st != FH_OK)
            return st;
    }
    *out = &p->out;
    return FH_OK;
}

static void parse_need(kql_op *op, const bool *out_need)
{
    parse_op *p = (parse_op *)op;
    size_t in_cols = op->inputs[0]->schema->ncols;
    bool need[in_cols + 1];
    memcpy(need, out_need, in_cols * sizeof *need);
    kql_expr_columns(p->source, need);
    kql_op_need_input(op->inputs[0], need);
}

static void parse_destroy(kql_op *op)
{
    parse_op *p = (parse_op *)op;
    kql_func_ctx_release(&p->fctx);
    fh_batch_destroy(&p->out);
}

static const kql_op_vtable parse_vtable = {"parse", parse_next, parse_need, parse_destroy};

fh_status kql_op_parse_create(fh_kql_query *query, kql_op *input, kql_expr *source,
                              kql_parse_item *items, size_t nitems, bool relaxed,
                              const fh_column *cols, size_t ncols, unsigned long line,
                              unsigned long column, kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, &parse_vtable, sizeof(parse_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    parse_op *p = (parse_op *)*out;
    p->source = source;
    p->items = items;
    p->nitems = nitems;
    p->relaxed = relaxed;
    p->first_new = input->schema->ncols;
    st = kql_op_add_input(*out, input, err);
    if (st == FH_OK)
        st = kql_op_set_schema(*out, cols, ncols, err);
    if (st == FH_OK)
        st = fh_batch_init(&p->out, (*out)->schema, err);
    return st;
}
