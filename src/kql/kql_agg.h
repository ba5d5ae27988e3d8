/*
 * The per-group state of summarize's aggregate functions (kql_agg.c). The aggregate kinds
 * and their specifications are declared in kql_exec.h, with the operators.
 */
#ifndef FOXHOUND_KQL_AGG_H
#define FOXHOUND_KQL_AGG_H

#include "kql/kql_exec.h"

typedef struct kql_agg_state {
    int64_t count;    /* rows counted, or values summed */
    int64_t sum_long; /* sum of integers, datetimes or timespans (ticks) */
    double sum_real;
    bool seen;           /* a row has reached arg_max/arg_min/take_any */
    fh_value best;       /* min, max, arg_max's extreme, take_any's value */
    fh_value *returned;  /* the values arg_max/arg_min/take_any return with it */
    kql_set *set;        /* dcount, make_set */
    struct json_t *list; /* make_set, make_list; a reference held by the group arena */
    fh_value *samples;   /* percentile */
    size_t nsamples, samples_cap;
} kql_agg_state;

/* True for the *if forms, whose last argument before an optional size is a predicate. */
bool kql_agg_takes_predicate(kql_agg_kind kind);

fh_status kql_agg_state_init(const kql_agg_spec *spec, kql_agg_state *state, fh_arena *arena);

/* Adds one row: value is the aggregated value (ignored by count), returned the values of
 * spec->returned. Copies what it keeps into arena. */
fh_status kql_agg_update(const kql_agg_spec *spec, kql_agg_state *state, const fh_value *value,
                         const fh_value *returned, fh_arena *arena);

/* Writes the aggregate's output columns into out (a row of schema). */
void kql_agg_result(const kql_agg_spec *spec, kql_agg_state *state, const fh_schema *schema,
                    fh_value *out);

#endif
