/*
 * sort/order by and top: read the whole input, order it by the keys, and return it (top
 * stops after N rows). Kusto's defaults apply: descending unless `asc`, and nulls last for
 * descending, first for ascending, unless `nulls first|last` sets it (the binder fills in
 * the defaults). The sort is stable, so rows with equal keys keep their input order.
 *
 * Each stored row is the input row followed by its key values.
 */
#include <stdlib.h>
#include <string.h>

#include "kql/kql_exec.h"

typedef struct sort_op {
    kql_op base;
    kql_sort_spec *keys;
    size_t nkeys;
    int64_t limit; /* -1 for no limit */
    kql_rows rows;
    size_t *order;
    size_t emitted;
    bool sorted;
    kql_func_ctx fctx;
    fh_arena scratch;
    fh_batch out;
} sort_op;

static int compare_key(const kql_sort_spec *key, const fh_value *a, const fh_value *b)
{
    if (a->is_null || b->is_null) {
        if (a->is_null && b->is_null)
            return 0;
        int null_side = a->is_null ? -1 : 1; /* -1 when a is the null one */
        return key->nulls_first ? null_side : -null_side;
    }
    int c = fh_value_compare(a, b);
    return key->desc ? -c : c;
}

static int compare_rows(const sort_op *s, size_t ia, size_t ib)
{
    size_t base = s->base.inputs[0]->schema->ncols;
    const fh_value *a = kql_rows_at(&s->rows, ia) + base;
    const fh_value *b = kql_rows_at(&s->rows, ib) + base;
    for (size_t k = 0; k < s->nkeys; k++) {
        int c = compare_key(&s->keys[k], &a[k], &b[k]);
        if (c != 0)
            return c;
    }
    return 0;
}

/* Stable merge sort of the row indexes. */
static void merge_sort(const sort_op *s, size_t *items, size_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t half = n / 2;
    merge_sort(s, items, tmp, half);
    merge_sort(s, items + half, tmp, n - half);
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n)
        tmp[k++] = compare_rows(s, items[j], items[i]) < 0 ? items[j++] : items[i++];
    while (i < half)
        tmp[k++] = items[i++];
    while (j < n)
        tmp[k++] = items[j++];
    memcpy(items, tmp, n * sizeof *items);
}

static fh_status store_batch(sort_op *s, const fh_batch *in, fh_value *row, fh_error *err)
{
    size_t in_cols = in->schema->ncols;
    fh_arena_reset(&s->scratch);
    kql_op_func_ctx(&s->base, &s->fctx, &s->scratch, err);
    kql_eval ev = {.fctx = &s->fctx, .source = s->base.query->source};
    for (size_t r = 0; r < in->nrows; r++) {
        const fh_value *src = in->cells + r * in_cols;
        memcpy(row, src, in_cols * sizeof *row);
        ev.row = src;
        for (size_t k = 0; k < s->nkeys; k++) {
            fh_status st = kql_expr_eval(s->keys[k].expr, &ev, &row[in_cols + k], err);
            if (st != FH_OK)
                return st;
        }
        fh_status st = kql_rows_append(&s->rows, row, s->base.vt->name, err);
        if (st != FH_OK)
            return kql_op_locate(&s->base, err, st);
    }
    return FH_OK;
}

static fh_status sort_all(sort_op *s, fh_error *err)
{
    size_t width = s->rows.ncols;
    fh_value *row = calloc(width + 1, sizeof *row);
    if (row == NULL)
        return kql_op_error(&s->base, err, FH_ERR_NOMEM, "out of memory");
    fh_batch *in = NULL;
    fh_status st;
    while ((st = kql_op_next(s->base.inputs[0], &in, err)) == FH_OK) {
        st = store_batch(s, in, row, err);
        if (st != FH_OK)
            break;
    }
    free(row);
    if (st != FH_DONE)
        return st;

    size_t n = s->rows.nrows;
    s->order = malloc((n + 1) * sizeof *s->order);
    size_t *tmp = malloc((n + 1) * sizeof *tmp);
    if (s->order == NULL || tmp == NULL) {
        free(tmp);
        return kql_op_error(&s->base, err, FH_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        s->order[i] = i;
    merge_sort(s, s->order, tmp, n);
    free(tmp);
    s->sorted = true;
    return FH_OK;
}

static fh_status sort_next(kql_op *op, fh_batch **out, fh_error *err)
{
    sort_op *s = (sort_op *)op;
    if (!s->sorted) {
        fh_status st = sort_all(s, err);
        if (st != FH_OK)
            return st;
    }
    size_t end = s->rows.nrows;
    if (s->limit >= 0 && (uint64_t)s->limit < end)
        end = (size_t)s->limit;
    if (s->emitted >= end)
        return FH_DONE;

    fh_batch_clear(&s->out);
    size_t ncols = op->schema->ncols;
    while (s->emitted < end && s->out.nrows < FH_BATCH_ROWS) {
        fh_value *row;
        fh_status st = fh_batch_append(&s->out, &row, err);
        if (st != FH_OK)
            return st;
        memcpy(row, kql_rows_at(&s->rows, s->order[s->emitted++]), ncols * sizeof *row);
    }
    *out = &s->out;
    return FH_OK;
}

static void sort_need(kql_op *op, const bool *out_need)
{
    sort_op *s = (sort_op *)op;
    size_t ncols = op->schema->ncols;
    bool need[ncols + 1];
    memcpy(need, out_need, ncols * sizeof *need);
    for (size_t k = 0; k < s->nkeys; k++)
        kql_expr_columns(s->keys[k].expr, need);
    kql_op_need_input(op->inputs[0], need);
}

static void sort_destroy(kql_op *op)
{
    sort_op *s = (sort_op *)op;
    kql_rows_destroy(&s->rows);
    kql_func_ctx_release(&s->fctx);
    fh_arena_destroy(&s->scratch);
    fh_batch_destroy(&s->out);
    free(s->order);
    free(s->keys);
}

static const kql_op_vtable sort_vtable = {"sort", sort_next, sort_need, sort_destroy};
static const kql_op_vtable top_vtable = {"top", sort_next, sort_need, sort_destroy};

fh_status kql_op_sort_create(fh_kql_query *query, const char *op_name, kql_op *input,
                             const kql_sort_spec *keys, size_t nkeys, int64_t limit,
                             unsigned long line, unsigned long column, kql_op **out, fh_error *err)
{
    const kql_op_vtable *vt = strcmp(op_name, "top") == 0 ? &top_vtable : &sort_vtable;
    fh_status st = kql_op_new(query, vt, sizeof(sort_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    sort_op *s = (sort_op *)*out;
    st = kql_op_add_input(*out, input, err);
    if (st != FH_OK)
        return st;
    s->keys = calloc(nkeys + 1, sizeof *s->keys);
    if (s->keys == NULL)
        return kql_op_error(*out, err, FH_ERR_NOMEM, "out of memory");
    memcpy(s->keys, keys, nkeys * sizeof *keys);
    s->nkeys = nkeys;
    s->limit = limit;
    kql_rows_init(&s->rows, input->schema->ncols + nkeys);
    fh_arena_init(&s->scratch);
    st = kql_op_set_schema(*out, input->schema->cols, input->schema->ncols, err);
    if (st == FH_OK)
        st = fh_batch_init(&s->out, (*out)->schema, err);
    return st;
}
