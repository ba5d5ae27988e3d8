/*
 * Aggregate functions of summarize: their names, result types and default column names
 * (Kusto's "prefix_FirstArgument" rule: count() is count_, dcount(X) is dcount_X, make_set(X)
 * is set_X), and the per-group state each one keeps. Null inputs are ignored by every
 * aggregate. A group that saw no value gives 0 for the counting aggregates and sum, [] for
 * make_set/make_list, and null for the others.
 *
 * dcount is exact here, where Kusto estimates it with HyperLogLog (exact below about 1,000
 * distinct values). percentile picks the nearest-rank value, where Kusto interpolates over
 * a T-Digest estimate.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "foxhound/limits.h"
#include "kql/kql_agg.h"

static const struct {
    const char *name;
    kql_agg_kind kind;
    int min_args, max_args;
    const char *prefix;
} aggregates[] = {
    {"count", KQL_AGG_COUNT, 0, 0, "count"},
    {"countif", KQL_AGG_COUNTIF, 1, 1, "countif"},
    {"dcount", KQL_AGG_DCOUNT, 1, 2, "dcount"},
    {"dcountif", KQL_AGG_DCOUNTIF, 2, 3, "dcountif"},
    {"sum", KQL_AGG_SUM, 1, 1, "sum"},
    {"sumif", KQL_AGG_SUMIF, 2, 2, "sumif"},
    {"avg", KQL_AGG_AVG, 1, 1, "avg"},
    {"avgif", KQL_AGG_AVGIF, 2, 2, "avgif"},
    {"min", KQL_AGG_MIN, 1, 1, "min"},
    {"max", KQL_AGG_MAX, 1, 1, "max"},
    {"minif", KQL_AGG_MINIF, 2, 2, "minif"},
    {"maxif", KQL_AGG_MAXIF, 2, 2, "maxif"},
    {"make_set", KQL_AGG_MAKE_SET, 1, 2, "set"},
    {"makeset", KQL_AGG_MAKE_SET, 1, 2, "set"},
    {"make_set_if", KQL_AGG_MAKE_SET_IF, 2, 3, "set"},
    {"make_list", KQL_AGG_MAKE_LIST, 1, 2, "list"},
    {"makelist", KQL_AGG_MAKE_LIST, 1, 2, "list"},
    {"make_list_if", KQL_AGG_MAKE_LIST_IF, 2, 3, "list"},
    {"arg_max", KQL_AGG_ARG_MAX, 1, -1, "max"},
    {"arg_min", KQL_AGG_ARG_MIN, 1, -1, "min"},
    {"take_any", KQL_AGG_TAKE_ANY, 1, -1, "any"},
    {"any", KQL_AGG_TAKE_ANY, 1, -1, "any"},
    {"percentile", KQL_AGG_PERCENTILE, 2, 2, "percentile"},
};

static size_t agg_index(kql_agg_kind kind)
{
    for (size_t i = 0; i < sizeof aggregates / sizeof aggregates[0]; i++) {
        if (aggregates[i].kind == kind)
            return i;
    }
    return 0;
}

bool kql_agg_lookup(const char *name, size_t len, kql_agg_kind *kind, int *min_args, int *max_args)
{
    for (size_t i = 0; i < sizeof aggregates / sizeof aggregates[0]; i++) {
        if (strlen(aggregates[i].name) == len && memcmp(aggregates[i].name, name, len) == 0) {
            *kind = aggregates[i].kind;
            *min_args = aggregates[i].min_args;
            *max_args = aggregates[i].max_args;
            return true;
        }
    }
    return false;
}

const char *kql_agg_name_prefix(kql_agg_kind kind)
{
    return aggregates[agg_index(kind)].prefix;
}

fh_type kql_agg_result_type(kql_agg_kind kind, fh_type value_type)
{
    switch (kind) {
    case KQL_AGG_COUNT:
    case KQL_AGG_COUNTIF:
    case KQL_AGG_DCOUNT:
    case KQL_AGG_DCOUNTIF:
        return FH_TYPE_LONG;
    case KQL_AGG_SUM:
    case KQL_AGG_SUMIF:
    case KQL_AGG_PERCENTILE:
        return value_type == FH_TYPE_INT ? FH_TYPE_LONG : value_type;
    case KQL_AGG_AVG:
    case KQL_AGG_AVGIF:
        if (value_type == FH_TYPE_TIMESPAN || value_type == FH_TYPE_DATETIME)
            return value_type;
        return FH_TYPE_REAL;
    case KQL_AGG_MAKE_SET:
    case KQL_AGG_MAKE_SET_IF:
    case KQL_AGG_MAKE_LIST:
    case KQL_AGG_MAKE_LIST_IF:
        return FH_TYPE_DYNAMIC;
    default:
        return value_type;
    }
}

static bool has_predicate(kql_agg_kind kind)
{
    switch (kind) {
    case KQL_AGG_COUNTIF:
    case KQL_AGG_DCOUNTIF:
    case KQL_AGG_SUMIF:
    case KQL_AGG_AVGIF:
    case KQL_AGG_MINIF:
    case KQL_AGG_MAXIF:
    case KQL_AGG_MAKE_SET_IF:
    case KQL_AGG_MAKE_LIST_IF:
        return true;
    default:
        return false;
    }
}

bool kql_agg_takes_predicate(kql_agg_kind kind)
{
    return has_predicate(kind);
}

/* --- state ----------------------------------------------------------------------------------- */

fh_status kql_agg_state_init(const kql_agg_spec *spec, kql_agg_state *state, fh_arena *arena)
{
    memset(state, 0, sizeof *state);
    state->best = fh_value_null(spec->value != NULL ? spec->value->type : FH_TYPE_LONG);
    if (spec->nreturned > 0) {
        state->returned = fh_arena_alloc(arena, spec->nreturned * sizeof *state->returned);
        if (state->returned == NULL)
            return FH_ERR_NOMEM;
        for (size_t i = 0; i < spec->nreturned; i++)
            state->returned[i] = fh_value_null(spec->returned[i]->type);
    }
    switch (spec->kind) {
    case KQL_AGG_DCOUNT:
    case KQL_AGG_DCOUNTIF:
    case KQL_AGG_MAKE_SET:
    case KQL_AGG_MAKE_SET_IF:
        state->set = fh_arena_alloc(arena, sizeof *state->set);
        if (state->set == NULL)
            return FH_ERR_NOMEM;
        kql_set_init(state->set, arena, false, true);
        break;
    default:
        break;
    }
    switch (spec->kind) {
    case KQL_AGG_MAKE_SET:
    case KQL_AGG_MAKE_SET_IF:
    case KQL_AGG_MAKE_LIST:
    case KQL_AGG_MAKE_LIST_IF:
        state->list = json_array();
        if (state->list == NULL || fh_arena_adopt_json(arena, state->list) != FH_OK)
            return FH_ERR_NOMEM;
        break;
    default:
        break;
    }
    return FH_OK;
}

static fh_status add_number(kql_agg_state *state, const fh_value *v)
{
    switch (v->type) {
    case FH_TYPE_INT:
        state->sum_long += v->u.i;
        state->sum_real += v->u.i;
        break;
    case FH_TYPE_LONG:
        state->sum_long += v->u.l;
        state->sum_real += (double)v->u.l;
        break;
    case FH_TYPE_REAL:
        state->sum_real += v->u.r;
        break;
    case FH_TYPE_DATETIME:
    case FH_TYPE_TIMESPAN:
        state->sum_long += v->u.ticks;
        state->sum_real += (double)v->u.ticks;
        break;
    default:
        return FH_ERR_TYPE;
    }
    state->count++;
    return FH_OK;
}

static fh_status add_to_list(const kql_agg_spec *spec, kql_agg_state *state, const fh_value *v)
{
    int64_t cap = spec->max_size > 0 ? spec->max_size : FH_MAX_MAKE_SET;
    if (cap > FH_MAX_MAKE_SET)
        cap = FH_MAX_MAKE_SET;
    if ((int64_t)json_array_size(state->list) >= cap)
        return FH_OK; /* Kusto stops collecting at the cap; so does foxhound */
    if (state->set != NULL) {
        bool added = false;
        fh_status st = kql_set_add(state->set, v, &added);
        if (st != FH_OK || !added)
            return st;
    }
    json_t *item = fh_value_to_json(v);
    if (item == NULL)
        return FH_ERR_NOMEM;
    return json_array_append_new(state->list, item) == 0 ? FH_OK : FH_ERR_NOMEM;
}

/* Replaces the kept extreme (and its row) when v beats it. */
static fh_status update_extreme(const kql_agg_spec *spec, kql_agg_state *state, const fh_value *v,
                                bool want_max, const fh_value *returned, fh_arena *arena)
{
    bool first = !state->seen;
    bool better = false;
    if (!v->is_null) {
        if (state->best.is_null) {
            better = true;
        } else {
            int c = fh_value_compare(v, &state->best);
            better = want_max ? c > 0 : c < 0;
        }
    }
    state->seen = true;
    if (!better && !first)
        return FH_OK;
    fh_status st = fh_value_copy(arena, &state->best, v);
    for (size_t i = 0; st == FH_OK && i < spec->nreturned; i++)
        st = fh_value_copy(arena, &state->returned[i], &returned[i]);
    return st;
}

fh_status kql_agg_update(const kql_agg_spec *spec, kql_agg_state *state, const fh_value *value,
                         const fh_value *returned, fh_arena *arena)
{
    const fh_value *v = value;
    switch (spec->kind) {
    case KQL_AGG_COUNT:
    case KQL_AGG_COUNTIF:
        state->count++;
        return FH_OK;
    case KQL_AGG_DCOUNT:
    case KQL_AGG_DCOUNTIF:
        return kql_set_add(state->set, v, NULL);
    case KQL_AGG_SUM:
    case KQL_AGG_SUMIF:
    case KQL_AGG_AVG:
    case KQL_AGG_AVGIF:
        return v->is_null ? FH_OK : add_number(state, v);
    case KQL_AGG_MIN:
    case KQL_AGG_MINIF:
        if (v->is_null)
            return FH_OK;
        return update_extreme(spec, state, v, false, returned, arena);
    case KQL_AGG_MAX:
    case KQL_AGG_MAXIF:
        if (v->is_null)
            return FH_OK;
        return update_extreme(spec, state, v, true, returned, arena);
    case KQL_AGG_ARG_MAX:
        return update_extreme(spec, state, v, true, returned, arena);
    case KQL_AGG_ARG_MIN:
        return update_extreme(spec, state, v, false, returned, arena);
    case KQL_AGG_MAKE_SET:
    case KQL_AGG_MAKE_SET_IF:
    case KQL_AGG_MAKE_LIST:
    case KQL_AGG_MAKE_LIST_IF:
        return v->is_null ? FH_OK : add_to_list(spec, state, v);
    case KQL_AGG_TAKE_ANY:
        if (state->seen)
            return FH_OK;
        state->seen = true;
        fh_status st = fh_value_copy(arena, &state->best, v);
        for (size_t i = 0; st == FH_OK && i < spec->nreturned; i++)
            st = fh_value_copy(arena, &state->returned[i], &returned[i]);
        return st;
    case KQL_AGG_PERCENTILE:
        if (v->is_null)
            return FH_OK;
        if (state->nsamples == state->samples_cap) {
            size_t cap = state->samples_cap ? state->samples_cap * 2 : 64;
            fh_value *grown = fh_arena_alloc(arena, cap * sizeof *grown);
            if (grown == NULL)
                return FH_ERR_NOMEM;
            if (state->nsamples > 0)
                memcpy(grown, state->samples, state->nsamples * sizeof *grown);
            state->samples = grown;
            state->samples_cap = cap;
        }
        return fh_value_copy(arena, &state->samples[state->nsamples++], v);
    }
    return FH_ERR_INTERNAL;
}

static fh_value sum_result(fh_type type, const kql_agg_state *state)
{
    switch (type) {
    case FH_TYPE_REAL:
        return fh_value_real(state->sum_real);
    case FH_TYPE_TIMESPAN:
        return fh_value_timespan(state->sum_long);
    case FH_TYPE_DATETIME:
        return fh_value_datetime(state->sum_long);
    default:
        return fh_value_long(state->sum_long);
    }
}

static fh_value avg_result(fh_type type, const kql_agg_state *state)
{
    if (state->count == 0)
        return fh_value_null(type);
    double mean = state->sum_real / (double)state->count;
    if (type == FH_TYPE_TIMESPAN)
        return fh_value_timespan((int64_t)llround(mean));
    if (type == FH_TYPE_DATETIME)
        return fh_value_datetime((int64_t)llround(mean));
    return fh_value_real(mean);
}

static int compare_values(const void *a, const void *b)
{
    return fh_value_compare(a, b);
}

static fh_value percentile_result(const kql_agg_spec *spec, kql_agg_state *state, fh_type type)
{
    if (state->nsamples == 0)
        return fh_value_null(type);
    qsort(state->samples, state->nsamples, sizeof *state->samples, compare_values);
    double rank = ceil(spec->percentile / 100.0 * (double)state->nsamples);
    size_t index = rank < 1 ? 0 : (size_t)rank - 1;
    if (index >= state->nsamples)
        index = state->nsamples - 1;
    fh_value v = state->samples[index];
    if (v.type == FH_TYPE_INT && type == FH_TYPE_LONG)
        v = fh_value_long(v.u.i);
    return v;
}

void kql_agg_result(const kql_agg_spec *spec, kql_agg_state *state, const fh_schema *schema,
                    fh_value *out)
{
    fh_type type = schema->cols[spec->first_output].type;
    fh_value *first = &out[spec->first_output];
    switch (spec->kind) {
    case KQL_AGG_COUNT:
    case KQL_AGG_COUNTIF:
        *first = fh_value_long(state->count);
        break;
    case KQL_AGG_DCOUNT:
    case KQL_AGG_DCOUNTIF:
        *first = fh_value_long((int64_t)state->set->count);
        break;
    case KQL_AGG_SUM:
    case KQL_AGG_SUMIF:
        *first = sum_result(type, state);
        break;
    case KQL_AGG_AVG:
    case KQL_AGG_AVGIF:
        *first = avg_result(type, state);
        break;
    case KQL_AGG_MAKE_SET:
    case KQL_AGG_MAKE_SET_IF:
    case KQL_AGG_MAKE_LIST:
    case KQL_AGG_MAKE_LIST_IF:
        *first = fh_value_null(FH_TYPE_DYNAMIC);
        first->is_null = false;
        first->u.dyn = state->list;
        break;
    case KQL_AGG_PERCENTILE:
        *first = percentile_result(spec, state, type);
        break;
    default:
        *first = state->best;
        if (first->is_null || first->type != type)
            *first = state->best.is_null ? fh_value_null(type) : state->best;
        for (size_t i = 0; i < spec->nreturned; i++)
            out[spec->first_output + 1 + i] = state->returned[i];
        break;
    }
}
