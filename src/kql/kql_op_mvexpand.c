/*
 * mv-expand: turns each element of a dynamic array (or each property of a bag) into a row of
 * its own, copying the other columns. Several columns expand in parallel, the shorter ones
 * padded with null. As Kusto documents it: a null value gives one row with null, an empty
 * array or bag gives no row. A bag expands to {key: value} bags, or to [key, value] arrays
 * with kind=array. `to typeof(T)` converts each element, giving null when it does not fit.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "kql/kql_exec.h"

typedef struct mvexpand_op {
    kql_op base;
    size_t *cols;
    fh_type *types;
    size_t ncols;
    int64_t limit;
    bool bag_as_array;
    long index_column; /* with_itemindex output column, or -1 */
    fh_batch out;
} mvexpand_op;

/* Number of rows a value expands to. */
static size_t expand_count(const fh_value *v)
{
    if (v->type != FH_TYPE_DYNAMIC || v->is_null || v->u.dyn == NULL)
        return 1;
    if (json_is_array(v->u.dyn))
        return json_array_size(v->u.dyn);
    if (json_is_object(v->u.dyn))
        return json_object_size(v->u.dyn);
    return 1;
}

/* The i-th element of a value as JSON (a new reference), or NULL for null. */
static json_t *element_at(const mvexpand_op *m, const fh_value *v, size_t i)
{
    if (v->type != FH_TYPE_DYNAMIC)
        return v->is_null || i > 0 ? NULL : fh_value_to_json(v);
    if (v->is_null || v->u.dyn == NULL)
        return NULL;
    json_t *dyn = v->u.dyn;
    if (json_is_array(dyn))
        return i < json_array_size(dyn) ? json_incref(json_array_get(dyn, i)) : NULL;
    if (!json_is_object(dyn))
        return i == 0 ? json_incref(dyn) : NULL;

    size_t at = 0;
    const char *key;
    json_t *value;
    json_object_foreach(dyn, key, value)
    {
        if (at++ != i)
            continue;
        if (m->bag_as_array)
            return json_pack("[sO]", key, value);
        return json_pack("{sO}", key, value);
    }
    return NULL;
}

static fh_status set_element(mvexpand_op *m, size_t c, json_t *json, fh_value *cell)
{
    fh_type type = m->types[c];
    *cell = fh_value_null(type);
    if (json == NULL)
        return FH_OK;
    fh_status st;
    if (type == FH_TYPE_DYNAMIC) {
        cell->is_null = json_is_null(json);
        cell->u.dyn = json;
        return fh_arena_adopt_json(&m->out.arena, json);
    }
    st = fh_value_from_json(type, json, &m->out.arena, cell);
    json_decref(json);
    if (st == FH_ERR_INVALID) {
        *cell = fh_value_null(type);
        return FH_OK;
    }
    return st;
}

static fh_status expand_row(mvexpand_op *m, const fh_value *src, size_t in_cols, fh_error *err)
{
    size_t n = 0;
    for (size_t c = 0; c < m->ncols; c++) {
        size_t count = expand_count(&src[m->cols[c]]);
        n = count > n ? count : n;
    }
    if (m->limit >= 0 && (int64_t)n > m->limit)
        n = (size_t)m->limit;
    for (size_t i = 0; i < n; i++) {
        fh_value *row;
        fh_status st = fh_batch_append(&m->out, &row, err);
        if (st != FH_OK)
            return st;
        memcpy(row, src, in_cols * sizeof *row);
        for (size_t c = 0; c < m->ncols; c++) {
            json_t *json = element_at(m, &src[m->cols[c]], i);
            st = set_element(m, c, json, &row[m->cols[c]]);
            if (st != FH_OK)
                return kql_op_error(&m->base, err, st, "out of memory");
        }
        if (m->index_column >= 0)
            row[m->index_column] = fh_value_long((int64_t)i);
    }
    return FH_OK;
}

static fh_status mvexpand_next(kql_op *op, fh_batch **out, fh_error *err)
{
    mvexpand_op *m = (mvexpand_op *)op;
    for (;;) {
        fh_batch *in = NULL;
        fh_status st = kql_op_next(op->inputs[0], &in, err);
        if (st != FH_OK)
            return st;
        fh_batch_clear(&m->out);
        size_t in_cols = in->schema->ncols;
        for (size_t r = 0; r < in->nrows; r++) {
            st = expand_row(m, in->cells + r * in_cols, in_cols, err);
            if (st != FH_OK)
                return st;
        }
        if (m->out.nrows > 0) {
            *out = &m->out;
            return FH_OK;
        }
    }
}

static void mvexpand_need(kql_op *op, const bool *out_need)
{
    mvexpand_op *m = (mvexpand_op *)op;
    size_t in_cols = op->inputs[0]->schema->ncols;
    bool need[in_cols + 1];
    memcpy(need, out_need, in_cols * sizeof *need);
    for (size_t c = 0; c < m->ncols; c++)
        need[m->cols[c]] = true;
    kql_op_need_input(op->inputs[0], need);
}

static void mvexpand_destroy(kql_op *op)
{
    mvexpand_op *m = (mvexpand_op *)op;
    free(m->cols);
    free(m->types);
    fh_batch_destroy(&m->out);
}

static const kql_op_vtable mvexpand_vtable = {"mv-expand", mvexpand_next, mvexpand_need,
                                              mvexpand_destroy};

fh_status kql_op_mvexpand_create(fh_kql_query *query, kql_op *input, const size_t *cols,
                                 const fh_type *types, size_t ncols, int64_t limit,
                                 bool bag_as_array, const char *index_name, unsigned long line,
                                 unsigned long column, kql_op **out, fh_error *err)
{
    fh_status st = kql_op_new(query, &mvexpand_vtable, sizeof(mvexpand_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    mvexpand_op *m = (mvexpand_op *)*out;
    st = kql_op_add_input(*out, input, err);
    if (st != FH_OK)
        return st;
    size_t in_cols = input->schema->ncols;
    m->cols = calloc(ncols + 1, sizeof *m->cols);
    m->types = calloc(ncols + 1, sizeof *m->types);
    fh_column *schema_cols = calloc(in_cols + 2, sizeof *schema_cols);
    if (m->cols == NULL || m->types == NULL || schema_cols == NULL) {
        free(schema_cols);
        return kql_op_error(*out, err, FH_ERR_NOMEM, "out of memory");
    }
    memcpy(m->cols, cols, ncols * sizeof *cols);
    memcpy(m->types, types, ncols * sizeof *types);
    m->ncols = ncols;
    m->limit = limit;
    m->bag_as_array = bag_as_array;
    m->index_column = -1;
    memcpy(schema_cols, input->schema->cols, in_cols * sizeof *schema_cols);
    for (size_t c = 0; c < ncols; c++)
        schema_cols[cols[c]].type = types[c];
    size_t out_cols = in_cols;
    if (index_name != NULL) {
        m->index_column = (long)in_cols;
        schema_cols[out_cols++] = (fh_column){index_name, FH_TYPE_LONG};
    }
    st = kql_op_set_schema(*out, schema_cols, out_cols, err);
    free(schema_cols);
    if (st == FH_OK)
        st = fh_batch_init(&m->out, (*out)->schema, err);
    return st;
}
