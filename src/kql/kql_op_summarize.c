/*
 * summarize: groups rows by the `by` values and computes aggregates per group. Output columns
 * are the `by` columns first, then each aggregate's columns. Groups come out in the order
 * they were first seen (Kusto leaves the order unspecified). Without `by`, an empty input
 * still gives one row of defaults; with `by`, it gives no rows.
 */
#include <stdlib.h>
#include <string.h>

#include "kql/kql_agg.h"

typedef struct summarize_op {
    kql_op base;
    kql_expr **by;
    size_t nby;
    kql_agg_spec *aggs;
    size_t naggs;
    kql_keymap groups;
    kql_agg_state **states; /* per group, naggs states */
    size_t states_cap;
    fh_arena state_arena;
    fh_arena scratch;
    kql_func_ctx fctx;
    fh_value *key;
    fh_value *returned; /* scratch for the widest returned list */
    bool finished;
    size_t emitted;
    fh_batch out;
} summarize_op;

static fh_status new_group(summarize_op *s, size_t index, fh_error *err)
{
    if (index >= s->states_cap) {
        size_t cap = s->states_cap ? s->states_cap * 2 : 64;
        kql_agg_state **grown = realloc(s->states, cap * sizeof *grown);
        if (grown == NULL)
            return kql_op_error(&s->base, err, FH_ERR_NOMEM, "out of memory");
        s->states = grown;
        s->states_cap = cap;
    }
    kql_agg_state *states = fh_arena_alloc(&s->state_arena, (s->naggs + 1) * sizeof *states);
    if (states == NULL)
        return kql_op_error(&s->base, err, FH_ERR_NOMEM, "out of memory");
    for (size_t a = 0; a < s->naggs; a++) {
        if (kql_agg_state_init(&s->aggs[a], &states[a], &s->state_arena) != FH_OK)
            return kql_op_error(&s->base, err, FH_ERR_NOMEM, "out of memory");
    }
    s->states[index] = states;
    return FH_OK;
}

static fh_status update_agg(summarize_op *s, const kql_agg_spec *spec, kql_agg_state *state,
                            kql_eval *ev, fh_error *err)
{
    if (spec->predicate != NULL) {
        bool pass = false;
        fh_status st = kql_expr_test(spec->predicate, ev, &pass, err);
        if (st != FH_OK || !pass)
            return st;
    }
    fh_value value = fh_value_null(FH_TYPE_LONG);
    if (spec->value != NULL) {
        fh_status st = kql_expr_eval(spec->value, ev, &value, err);
        if (st != FH_OK)
            return st;
    }
    for (size_t i = 0; i < spec->nreturned; i++) {
        fh_status st = kql_expr_eval(spec->returned[i], ev, &s->returned[i], err);
        if (st != FH_OK)
            return st;
    }
    fh_status st = kql_agg_update(spec, state, &value, s->returned, &s->state_arena);
    if (st == FH_ERR_TYPE)
        return kql_op_error(&s->base, err, st, "cannot sum or average a %s value",
                            fh_type_name(value.type));
    if (st != FH_OK)
        return kql_op_error(&s->base, err, st, "aggregate failed (%s)", fh_status_name(st));
    return FH_OK;
}

static fh_status add_row(summarize_op *s, kql_eval *ev, fh_error *err)
{
    for (size_t k = 0; k < s->nby; k++) {
        fh_status st = kql_expr_eval(s->by[k], ev, &s->key[k], err);
        if (st != FH_OK)
            return st;
    }
    size_t index;
    bool added;
    fh_status st = kql_keymap_find_or_add(&s->groups, s->key, "summarize", &index, &added, err);
    if (st != FH_OK)
        return kql_op_locate(&s->base, err, st);
    if (added && (st = new_group(s, index, err)) != FH_OK)
        return st;
    for (size_t a = 0; a < s->naggs; a++) {
        st = update_agg(s, &s->aggs[a], &s->states[index][a], ev, err);
        if (st != FH_OK)
            return st;
    }
    return FH_OK;
}

static fh_status consume_input(summarize_op *s, fh_error *err)
{
    fh_batch *in = NULL;
    fh_status st;
    kql_eval ev = {.fctx = &s->fctx, .source = s->base.query->source};
    while ((st = kql_op_next(s->base.inputs[0], &in, err)) == FH_OK) {
        fh_arena_reset(&s->scratch);
        kql_op_func_ctx(&s->base, &s->fctx, &s->scratch, err);
        size_t in_cols = in->schema->ncols;
        for (size_t r = 0; r < in->nrows; r++) {
            ev.row = in->cells + r * in_cols;
            st = add_row(s, &ev, err);
            if (st != FH_OK)
                return st;
        }
    }
    if (st != FH_DONE)
        return st;

    if (s->nby == 0 && s->groups.keys.nrows == 0) {
        size_t index;
        bool added;
        st = kql_keymap_find_or_add(&s->groups, s->key, "summarize", &index, &added, err);
        if (st == FH_OK)
            st = new_group(s, index, err);
        if (st != FH_OK)
            return st;
    }
    s->finished = true;
    return FH_OK;
}

static fh_status summarize_next(kql_op *op, fh_batch **out, fh_error *err)
{
    summarize_op *s = (summarize_op *)op;
    if (!s->finished) {
        fh_status st = consume_input(s, err);
        if (st != FH_OK)
            return st;
    }
    size_t ngroups = s->groups.keys.nrows;
    if (s->emitted >= ngroups)
        return FH_DONE;
    fh_batch_clear(&s->out);
    while (s->emitted < ngroups && s->out.nrows < FH_BATCH_ROWS) {
        fh_value *row;
        fh_status st = fh_batch_append(&s->out, &row, err);
        if (st != FH_OK)
            return st;
        size_t g = s->emitted++;
        memcpy(row, kql_rows_at(&s->groups.keys, g), s->nby * sizeof *row);
        for (size_t a = 0; a < s->naggs; a++)
            kql_agg_result(&s->aggs[a], &s->states[g][a], op->schema, row);
    }
    *out = &s->out;
    return FH_OK;
}

static void summarize_need(kql_op *op, const bool *out_need)
{
    summarize_op *s = (summarize_op *)op;
    size_t in_cols = op->inputs[0]->schema->ncols;
    bool need[in_cols + 1];
    memset(need, 0, sizeof need);
    for (size_t k = 0; k < s->nby; k++)
        kql_expr_columns(s->by[k], need);
    for (size_t a = 0; a < s->naggs; a++) {
        kql_expr_columns(s->aggs[a].value, need);
        kql_expr_columns(s->aggs[a].predicate, need);
        for (size_t i = 0; i < s->aggs[a].nreturned; i++)
            kql_expr_columns(s->aggs[a].returned[i], need);
    }
    kql_op_need_input(op->inputs[0], need);
}

static void summarize_destroy(kql_op *op)
{
    summarize_op *s = (summarize_op *)op;
    kql_keymap_destroy(&s->groups);
    free(s->states);
    fh_arena_destroy(&s->state_arena);
    fh_arena_destroy(&s->scratch);
    kql_func_ctx_release(&s->fctx);
    fh_batch_destroy(&s->out);
    free(s->key);
    free(s->returned);
    free(s->by);
    free(s->aggs);
}

static const kql_op_vtable summarize_vtable = {"summarize", summarize_next, summarize_need,
                                               summarize_destroy};

fh_status kql_op_summarize_create(fh_kql_query *query, kql_op *input, kql_expr **by, size_t nby,
                                  kql_agg_spec *aggs, size_t naggs, const fh_column *cols,
                                  size_t ncols, unsigned long line, unsigned long column,
                                  kql_op **out, fh_error *err)
{
    fh_status st =
        kql_op_new(query, &summarize_vtable, sizeof(summarize_op), line, column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    summarize_op *s = (summarize_op *)*out;
    st = kql_op_add_input(*out, input, err);
    if (st != FH_OK)
        return st;
    size_t widest = 1;
    for (size_t a = 0; a < naggs; a++)
        widest = aggs[a].nreturned > widest ? aggs[a].nreturned : widest;
    s->by = calloc(nby + 1, sizeof *s->by);
    s->aggs = calloc(naggs + 1, sizeof *s->aggs);
    s->key = calloc(nby + 1, sizeof *s->key);
    s->returned = calloc(widest, sizeof *s->returned);
    if (s->by == NULL || s->aggs == NULL || s->key == NULL || s->returned == NULL)
        return kql_op_error(*out, err, FH_ERR_NOMEM, "out of memory");
    if (nby > 0)
        memcpy(s->by, by, nby * sizeof *by);
    if (naggs > 0)
        memcpy(s->aggs, aggs, naggs * sizeof *aggs);
    s->nby = nby;
    s->naggs = naggs;
    kql_keymap_init(&s->groups, nby);
    fh_arena_init(&s->state_arena);
    fh_arena_init(&s->scratch);
    st = kql_op_set_schema(*out, cols, ncols, err);
    if (st == FH_OK)
        st = fh_batch_init(&s->out, (*out)->schema, err);
    return st;
}
