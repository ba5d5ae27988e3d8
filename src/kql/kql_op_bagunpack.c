/*
 * evaluate bag_unpack(Col [, Prefix] [, columnsConflict=...]): replaces a dynamic column of
 * property bags by one column per property. The output columns depend on the data, so the
 * input is read to the end when the query is prepared and served from memory. New columns
 * come in the order their property is first seen. A column's type is the JSON type all its
 * values share (string, long, real, bool), else dynamic. A property whose name an input column
 * already has is an error, unless columnsConflict is set to keep the input column
 * (keep_source) or to take the property (replace_source).
 */
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "kql/kql_exec.h"

typedef struct bag_column {
    char *name; /* prefix + property */
    const char *key;
    fh_type type;
    bool typed; /* a non-null value has been seen */
} bag_column;

typedef struct bag_plan {
    bag_column *cols;
    size_t ncols;
} bag_plan;

static fh_type json_kind(json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return FH_TYPE_STRING;
    case JSON_INTEGER:
        return FH_TYPE_LONG;
    case JSON_REAL:
        return FH_TYPE_REAL;
    case JSON_TRUE:
    case JSON_FALSE:
        return FH_TYPE_BOOL;
    default:
        return FH_TYPE_DYNAMIC;
    }
}

static fh_type merge_kind(fh_type a, fh_type b)
{
    if (a == b)
        return a;
    if ((a == FH_TYPE_LONG && b == FH_TYPE_REAL) || (a == FH_TYPE_REAL && b == FH_TYPE_LONG))
        return FH_TYPE_REAL;
    return FH_TYPE_DYNAMIC;
}

static long plan_find(const bag_plan *plan, const char *key)
{
    for (size_t i = 0; i < plan->ncols; i++) {
        if (strcmp(plan->cols[i].key, key) == 0)
            return (long)i;
    }
    return -1;
}

static fh_status plan_add(bag_plan *plan, const char *key, json_t *value, const char *prefix)
{
    long at = plan_find(plan, key);
    if (at < 0) {
        bag_column *grown = realloc(plan->cols, (plan->ncols + 1) * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        plan->cols = grown;
        bag_column *col = &plan->cols[plan->ncols];
        memset(col, 0, sizeof *col);
        size_t len = strlen(prefix) + strlen(key) + 1;
        col->name = malloc(len);
        if (col->name == NULL)
            return FH_ERR_NOMEM;
        snprintf(col->name, len, "%s%s", prefix, key);
        col->key = col->name + strlen(prefix);
        col->type = FH_TYPE_DYNAMIC;
        at = (long)plan->ncols++;
    }
    bag_column *col = &plan->cols[at];
    if (json_is_null(value))
        return FH_OK;
    col->type = col->typed ? merge_kind(col->type, json_kind(value)) : json_kind(value);
    col->typed = true;
    return FH_OK;
}

static void plan_free(bag_plan *plan)
{
    for (size_t i = 0; i < plan->ncols; i++)
        free(plan->cols[i].name);
    free(plan->cols);
}

static fh_status build_plan(const kql_rows *rows, size_t column, const char *prefix, bag_plan *plan)
{
    for (size_t r = 0; r < rows->nrows; r++) {
        const fh_value *v = &kql_rows_at(rows, r)[column];
        if (v->type != FH_TYPE_DYNAMIC || v->is_null || !json_is_object(v->u.dyn))
            continue;
        const char *key;
        json_t *value;
        json_object_foreach(v->u.dyn, key, value)
        {
            fh_status st = plan_add(plan, key, value, prefix);
            if (st != FH_OK)
                return st;
        }
    }
    return FH_OK;
}

/* Decides each output column: input column index (>= 0) or bag column -(i + 1). */
static fh_status output_layout(const kql_loc *where, const char *source, const fh_schema *in,
                               size_t column, const bag_plan *plan, kql_bag_conflict conflict,
                               long *layout, fh_column *cols, size_t *ncols, fh_error *err)
{
    size_t n = 0;
    for (size_t c = 0; c < in->ncols; c++) {
        if (c == column)
            continue;
        bool bag_named = false;
        for (size_t b = 0; b < plan->ncols && !bag_named; b++)
            bag_named = strcmp(plan->cols[b].name, in->cols[c].name) == 0;
        if (bag_named && conflict == KQL_BAG_CONFLICT_ERROR)
            return fh_error_set(err, FH_ERR_INVALID, source, where->line, where->column,
                                "bag_unpack: property '%s' clashes with the input column of "
                                "that name; pass columnsConflict='replace_source' or "
                                "'keep_source'",
                                in->cols[c].name);
        if (bag_named && conflict == KQL_BAG_CONFLICT_REPLACE_SOURCE)
            continue;
        layout[n] = (long)c;
        cols[n++] = in->cols[c];
    }
    for (size_t b = 0; b < plan->ncols; b++) {
        bool taken = false;
        for (size_t k = 0; k < n && !taken; k++)
            taken = strcmp(cols[k].name, plan->cols[b].name) == 0;
        if (taken)
            continue; /* keep_source */
        layout[n] = -(long)(b + 1);
        cols[n++] = (fh_column){plan->cols[b].name, plan->cols[b].type};
    }
    *ncols = n;
    return FH_OK;
}

static fh_status fill_rows(const kql_rows *in, size_t column, const bag_plan *plan,
                           const long *layout, size_t ncols, kql_rows *out, fh_error *err)
{
    fh_value *row = calloc(ncols + 1, sizeof *row);
    fh_arena scratch;
    fh_arena_init(&scratch);
    fh_status st = row == NULL ? FH_ERR_NOMEM : FH_OK;
    for (size_t r = 0; st == FH_OK && r < in->nrows; r++) {
        const fh_value *src = kql_rows_at(in, r);
        json_t *bag =
            src[column].type == FH_TYPE_DYNAMIC && !src[column].is_null ? src[column].u.dyn : NULL;
        fh_arena_reset(&scratch);
        for (size_t c = 0; st == FH_OK && c < ncols; c++) {
            if (layout[c] >= 0) {
                row[c] = src[layout[c]];
                continue;
            }
            const bag_column *bc = &plan->cols[-layout[c] - 1];
            json_t *value = json_is_object(bag) ? json_object_get(bag, bc->key) : NULL;
            row[c] = fh_value_null(bc->type);
            if (value != NULL && !json_is_null(value))
                st = fh_value_from_json(bc->type, value, &scratch, &row[c]);
        }
        if (st == FH_OK)
            st = kql_rows_append(out, row, "bag_unpack", err);
    }
    free(row);
    fh_arena_destroy(&scratch);
    if (st == FH_ERR_NOMEM)
        return fh_error_set(err, st, NULL, 0, 0, "out of memory in bag_unpack");
    return st;
}

fh_status kql_op_bagunpack_create(fh_kql_query *query, kql_op *input, size_t column,
                                  const char *prefix, kql_bag_conflict conflict, unsigned long line,
                                  unsigned long column_pos, kql_op **out, fh_error *err)
{
    *out = NULL;
    kql_rows in_rows, out_rows;
    bag_plan plan = {NULL, 0};
    kql_rows_init(&in_rows, input->schema->ncols);
    kql_rows_init(&out_rows, 0);
    size_t width = input->schema->ncols;
    long *layout = calloc(width + 1, sizeof *layout);
    fh_column *cols = NULL;
    size_t ncols = 0;

    fh_status st = layout == NULL ? FH_ERR_NOMEM : kql_op_collect(input, &in_rows, err);
    if (st == FH_OK)
        st = build_plan(&in_rows, column, prefix, &plan);
    if (st == FH_OK) {
        cols = calloc(width + plan.ncols + 1, sizeof *cols);
        long *grown = realloc(layout, (width + plan.ncols + 1) * sizeof *layout);
        if (grown != NULL)
            layout = grown;
        if (cols == NULL || grown == NULL)
            st = FH_ERR_NOMEM;
    }
    if (st == FH_OK)
        st = output_layout(&(kql_loc){line, column_pos, 0}, query->source, input->schema, column,
                           &plan, conflict, layout, cols, &ncols, err);
    if (st == FH_OK) {
        out_rows.ncols = ncols;
        st = fill_rows(&in_rows, column, &plan, layout, ncols, &out_rows, err);
    }
    if (st == FH_OK)
        st = kql_op_rows_create(query, cols, ncols, &out_rows, line, column_pos, out, err);
    else if (st == FH_ERR_NOMEM && err != NULL && err->status == FH_OK)
        fh_error_set(err, st, query->source, line, column_pos, "out of memory in bag_unpack");

    kql_rows_destroy(&in_rows);
    kql_rows_destroy(&out_rows);
    kql_op_destroy(input);
    plan_free(&plan);
    free(layout);
    free(cols);
    return st;
}
