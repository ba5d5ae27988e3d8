/*
 * Binding of summarize: the `by` expressions and the aggregate calls, with the output column
 * names Kusto.Language gives them (Aggregates.cs in microsoft/Kusto-Query-Language):
 * - `by` columns keep their name. `by bin(X, size)` and other calls whose first argument is a
 *   column are named after that column. Other unnamed expressions are Column1, Column2, ...
 * - count() is count_; other aggregates are prefix_X for a column argument X (dcount_X,
 *   sum_X, set_X for make_set, list_X for make_list) and prefix_ otherwise;
 * - arg_max(X, ...) and arg_min(X, ...) give X first, then each returned column; `*` adds
 *   every input column except X, the `by` columns and columns already listed. A name given as
 *   `Name = arg_max(...)` renames only the first column;
 * - take_any(X, ...) gives one column per argument, named after it (any_argN otherwise);
 * - percentile(X, P) is percentile_X_P;
 * - a name already in the output gets 1, 2, ... appended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kql/kql_agg.h"
#include "kql/kql_bind.h"

typedef struct summary {
    fh_column *cols;
    size_t ncols, cap;
    kql_agg_spec *aggs;
    size_t naggs;
    kql_expr **by;
    size_t nby;
    bool *by_column; /* per input column: a `by` expression is exactly this column */
} summary;

static bool has_name(const summary *s, const char *name)
{
    for (size_t i = 0; i < s->ncols; i++) {
        if (strcmp(s->cols[i].name, name) == 0)
            return true;
    }
    return false;
}

static fh_status add_column(kql_binder *b, summary *s, const char *name, fh_type type)
{
    if (name == NULL)
        return FH_ERR_NOMEM;
    if (s->ncols == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        fh_column *grown = fh_arena_alloc(b->arena, cap * sizeof *grown);
        if (grown == NULL)
            return FH_ERR_NOMEM;
        if (s->ncols > 0)
            memcpy(grown, s->cols, s->ncols * sizeof *grown);
        s->cols = grown;
        s->cap = cap;
    }
    if (has_name(s, name)) {
        size_t len = strlen(name) + 24;
        char *buf = fh_arena_alloc(b->arena, len);
        if (buf == NULL)
            return FH_ERR_NOMEM;
        for (unsigned i = 1;; i++) {
            snprintf(buf, len, "%s%u", name, i);
            if (!has_name(s, buf))
                break;
        }
        name = buf;
    }
    s->cols[s->ncols++] = (fh_column){name, type};
    return FH_OK;
}

static const char *concat(kql_binder *b, const char *a, const char *sep, kql_str c)
{
    size_t len = strlen(a) + strlen(sep) + c.len + 1;
    char *buf = fh_arena_alloc(b->arena, len);
    if (buf != NULL)
        snprintf(buf, len, "%s%s%.*s", a, sep, (int)c.len, c.ptr);
    return buf;
}

static const char *by_name(kql_binder *b, const kql_named_expr *item, const summary *s,
                           size_t *counter)
{
    if (item->name.len > 0)
        return kql_bind_strdup(b, item->name);
    kql_str derived = kql_bind_result_name(item->expr);
    if (derived.len == 0 && item->expr->kind == KQL_NODE_CALL && item->expr->u.call.nargs > 0)
        derived = kql_bind_result_name(item->expr->u.call.args[0]);
    if (derived.len > 0)
        return kql_bind_strdup(b, derived);
    char buf[32];
    do {
        snprintf(buf, sizeof buf, "Column%zu", ++*counter);
    } while (has_name(s, buf));
    return kql_bind_strdup(b, (kql_str){buf, strlen(buf)});
}

static fh_status bind_by(kql_binder *b, const kql_operator *o, const fh_schema *in,
                         kql_scope *scope, summary *s, fh_error *err)
{
    size_t counter = 0;
    s->nby = o->u.summarize.nby;
    s->by = fh_arena_alloc(b->arena, (s->nby + 1) * sizeof *s->by);
    s->by_column = fh_arena_alloc(b->arena, (in->ncols + 1) * sizeof *s->by_column);
    if (s->by == NULL || s->by_column == NULL)
        return kql_bind_error(b, o->loc, err, FH_ERR_NOMEM, "out of memory");
    memset(s->by_column, 0, (in->ncols + 1) * sizeof *s->by_column);
    for (size_t i = 0; i < s->nby; i++) {
        const kql_named_expr *item = &o->u.summarize.by[i];
        fh_status st = kql_bind_expr(b, item->expr, in, scope, &s->by[i], err);
        if (st != FH_OK)
            return st;
        if (s->by[i]->kind == KQL_EXPR_COLUMN)
            s->by_column[s->by[i]->column_index] = true;
        const char *name = by_name(b, item, s, &counter);
        if (name != NULL && has_name(s, name))
            return kql_bind_error(b, item->loc, err, FH_ERR_INVALID,
                                  "summarize groups by column '%s' twice", name);
        if (add_column(b, s, name, s->by[i]->type) != FH_OK)
            return kql_bind_error(b, item->loc, err, FH_ERR_NOMEM, "out of memory");
    }
    return FH_OK;
}

/* Binds argument i, which must exist. */
static fh_status bind_agg_arg(kql_binder *b, const kql_node *call, size_t i, const fh_schema *in,
                              kql_scope *scope, kql_expr **out, fh_error *err)
{
    return kql_bind_expr(b, call->u.call.args[i], in, scope, out, err);
}

static fh_status expect_type(kql_binder *b, const kql_node *arg, const kql_expr *e, bool ok,
                             const char *what, fh_error *err)
{
    if (ok)
        return FH_OK;
    return kql_bind_error(b, arg->loc, err, FH_ERR_TYPE, "%s, got %s", what, fh_type_name(e->type));
}

static bool summable(fh_type t)
{
    return t == FH_TYPE_INT || t == FH_TYPE_LONG || t == FH_TYPE_REAL || t == FH_TYPE_TIMESPAN;
}

static fh_status constant_number(kql_binder *b, const kql_node *arg, kql_scope *scope, double *out,
                                 fh_error *err)
{
    fh_value v;
    fh_status st = kql_bind_constant(b, arg, scope, &v, err);
    if (st != FH_OK)
        return st;
    if (!v.is_null && v.type == FH_TYPE_INT)
        *out = v.u.i;
    else if (!v.is_null && v.type == FH_TYPE_LONG)
        *out = (double)v.u.l;
    else if (!v.is_null && v.type == FH_TYPE_REAL)
        *out = v.u.r;
    else
        return kql_bind_error(b, arg->loc, err, FH_ERR_TYPE, "expected a constant number");
    return FH_OK;
}

/* Binds the value, predicate and size arguments of the aggregates other than arg_max/min and
 * take_any. */
static fh_status bind_plain_agg(kql_binder *b, const kql_node *call, kql_agg_spec *spec,
                                const fh_schema *in, kql_scope *scope, fh_error *err)
{
    size_t nargs = call->u.call.nargs;
    size_t next = 0;
    fh_status st = FH_OK;
    if (spec->kind != KQL_AGG_COUNT && spec->kind != KQL_AGG_COUNTIF)
        st = bind_agg_arg(b, call, next++, in, scope, &spec->value, err);
    if (st == FH_OK && kql_agg_takes_predicate(spec->kind)) {
        st = bind_agg_arg(b, call, next, in, scope, &spec->predicate, err);
        if (st == FH_OK)
            st = expect_type(b, call->u.call.args[next], spec->predicate,
                             spec->predicate->type == FH_TYPE_BOOL, "the predicate must be a bool",
                             err);
        next++;
    }
    if (st != FH_OK)
        return st;
    switch (spec->kind) {
    case KQL_AGG_SUM:
    case KQL_AGG_SUMIF:
        return expect_type(b, call->u.call.args[0], spec->value, summable(spec->value->type),
                           "sum() expects a number or timespan", err);
    case KQL_AGG_AVG:
    case KQL_AGG_AVGIF:
        return expect_type(b, call->u.call.args[0], spec->value,
                           summable(spec->value->type) || spec->value->type == FH_TYPE_DATETIME,
                           "avg() expects a number, timespan or datetime", err);
    case KQL_AGG_MAKE_SET:
    case KQL_AGG_MAKE_SET_IF:
    case KQL_AGG_MAKE_LIST:
    case KQL_AGG_MAKE_LIST_IF:
        if (next < nargs) {
            double max = 0;
            st = constant_number(b, call->u.call.args[next], scope, &max, err);
            spec->max_size = (int64_t)max;
        }
        return st;
    case KQL_AGG_PERCENTILE:
        st = constant_number(b, call->u.call.args[1], scope, &spec->percentile, err);
        if (st == FH_OK && (spec->percentile < 0 || spec->percentile > 100))
            st = kql_bind_error(b, call->u.call.args[1]->loc, err, FH_ERR_INVALID,
                                "percentile must be between 0 and 100");
        return st;
    default:
        return FH_OK;
    }
}

static const char *agg_default_name(kql_binder *b, const kql_node *call, kql_agg_kind kind)
{
    const char *prefix = kql_agg_name_prefix(kind);
    if (kind == KQL_AGG_COUNT)
        return concat(b, prefix, "_", (kql_str){"", 0});
    kql_str arg =
        call->u.call.nargs > 0 ? kql_bind_result_name(call->u.call.args[0]) : (kql_str){"", 0};
    if (kind == KQL_AGG_PERCENTILE && call->u.call.nargs > 1) {
        const char *base = concat(b, prefix, "_", arg);
        kql_str p = call->u.call.args[1]->kind == KQL_NODE_LITERAL
                        ? call->u.call.args[1]->u.literal.text
                        : (kql_str){"", 0};
        return base != NULL ? concat(b, base, "_", p) : NULL;
    }
    return concat(b, prefix, "_", arg);
}

typedef struct returned_list {
    kql_expr **exprs;
    const char **names;
    size_t count, cap;
} returned_list;

static fh_status returned_add(kql_binder *b, returned_list *r, kql_expr *e, const char *name)
{
    if (name == NULL)
        return FH_ERR_NOMEM;
    for (size_t i = 0; i < r->count; i++) {
        if (strcmp(r->names[i], name) == 0)
            return FH_OK; /* no column twice */
    }
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        kql_expr **exprs = fh_arena_alloc(b->arena, cap * sizeof *exprs);
        const char **names = fh_arena_alloc(b->arena, cap * sizeof *names);
        if (exprs == NULL || names == NULL)
            return FH_ERR_NOMEM;
        if (r->count > 0) {
            memcpy(exprs, r->exprs, r->count * sizeof *exprs);
            memcpy(names, r->names, r->count * sizeof *names);
        }
        r->exprs = exprs;
        r->names = names;
        r->cap = cap;
    }
    r->exprs[r->count] = e;
    r->names[r->count++] = name;
    return FH_OK;
}

static fh_status add_star(kql_binder *b, const fh_schema *in, const summary *s, long compared,
                          returned_list *r, kql_loc loc, fh_error *err)
{
    for (size_t c = 0; c < in->ncols; c++) {
        if (s->by_column[c] || (long)c == compared)
            continue;
        kql_expr *e = fh_arena_alloc(b->arena, sizeof *e);
        if (e == NULL)
            return kql_bind_error(b, loc, err, FH_ERR_NOMEM, "out of memory");
        memset(e, 0, sizeof *e);
        e->kind = KQL_EXPR_COLUMN;
        e->column_index = c;
        e->type = in->cols[c].type;
        e->line = loc.line;
        e->column = loc.column;
        if (returned_add(b, r, e, in->cols[c].name) != FH_OK)
            return kql_bind_error(b, loc, err, FH_ERR_NOMEM, "out of memory");
    }
    return FH_OK;
}

/*
 * arg_max, arg_min and take_any: every argument is an output column. The first is the value
 * compared (arg_max/arg_min) or kept (take_any); the others come back from the same row.
 */
static fh_status bind_row_agg(kql_binder *b, const kql_named_expr *item, kql_agg_spec *spec,
                              const fh_schema *in, kql_scope *scope, summary *s, fh_error *err)
{
    const kql_node *call = item->expr;
    bool take_any = spec->kind == KQL_AGG_TAKE_ANY;
    const char *prefix = kql_agg_name_prefix(spec->kind);
    returned_list r = {0};
    long compared = -1; /* arg_max(X, *): `*` leaves column X out */
    for (size_t i = 0; i < call->u.call.nargs; i++) {
        const kql_node *arg = call->u.call.args[i];
        if (arg->kind == KQL_NODE_STAR) {
            if (i == 0 && !take_any)
                return kql_bind_error(b, arg->loc, err, FH_ERR_TYPE,
                                      "the first argument of %s() is the value to compare, "
                                      "not '*'",
                                      kql_agg_name_prefix(spec->kind));
            fh_status st = add_star(b, in, s, take_any ? -1 : compared, &r, arg->loc, err);
            if (st != FH_OK)
                return st;
            continue;
        }
        const kql_node *value = arg->kind == KQL_NODE_NAMED_ARG ? arg->u.named_arg.value : arg;
        kql_expr *e = NULL;
        fh_status st = kql_bind_expr(b, value, in, scope, &e, err);
        if (st != FH_OK)
            return st;
        kql_str name =
            arg->kind == KQL_NODE_NAMED_ARG ? arg->u.named_arg.name : kql_bind_result_name(value);
        const char *col = NULL;
        char buf[48];
        if (i == 0 && item->name.len > 0)
            col = kql_bind_strdup(b, item->name);
        else if (name.len > 0)
            col = kql_bind_strdup(b, name);
        else if (take_any)
            col = (snprintf(buf, sizeof buf, "any_arg%zu", i),
                   kql_bind_strdup(b, (kql_str){buf, strlen(buf)}));
        else if (i == 0)
            col = concat(b, prefix, "_", (kql_str){"", 0});
        else
            col = (snprintf(buf, sizeof buf, "%s_arg%zu", prefix, i),
                   kql_bind_strdup(b, (kql_str){buf, strlen(buf)}));
        if (returned_add(b, &r, e, col) != FH_OK)
            return kql_bind_error(b, arg->loc, err, FH_ERR_NOMEM, "out of memory");
        if (i == 0 && e->kind == KQL_EXPR_COLUMN)
            compared = (long)e->column_index;
    }
    if (r.count == 0)
        return kql_bind_error(b, call->loc, err, FH_ERR_TYPE, "%.*s() needs an argument",
                              (int)call->u.call.name.len, call->u.call.name.ptr);
    spec->value = r.exprs[0];
    spec->returned = r.exprs + 1;
    spec->nreturned = r.count - 1;
    spec->first_output = s->ncols;
    spec->noutputs = r.count;
    for (size_t i = 0; i < r.count; i++) {
        if (add_column(b, s, r.names[i], r.exprs[i]->type) != FH_OK)
            return kql_bind_error(b, call->loc, err, FH_ERR_NOMEM, "out of memory");
    }
    return FH_OK;
}

static fh_status bind_aggregate(kql_binder *b, const kql_named_expr *item, const fh_schema *in,
                                kql_scope *scope, summary *s, fh_error *err)
{
    const kql_node *call = item->expr;
    kql_agg_kind kind;
    int min_args, max_args;
    if (call->kind != KQL_NODE_CALL ||
        !kql_agg_lookup(call->u.call.name.ptr, call->u.call.name.len, &kind, &min_args, &max_args))
        return kql_bind_error(b, item->loc, err, FH_ERR_UNSUPPORTED,
                              "summarize expects an aggregate function call such as count() "
                              "or arg_max(TimeGenerated, *)");
    size_t nargs = call->u.call.nargs;
    if ((int)nargs < min_args || (max_args >= 0 && (int)nargs > max_args))
        return kql_bind_error(b, call->loc, err, FH_ERR_TYPE,
                              "%.*s() takes %d to %d arguments, got %zu",
                              (int)call->u.call.name.len, call->u.call.name.ptr, min_args,
                              max_args < 0 ? 64 : max_args, nargs);

    kql_agg_spec *spec = &s->aggs[s->naggs++];
    memset(spec, 0, sizeof *spec);
    spec->kind = kind;
    if (kind == KQL_AGG_ARG_MAX || kind == KQL_AGG_ARG_MIN || kind == KQL_AGG_TAKE_ANY)
        return bind_row_agg(b, item, spec, in, scope, s, err);

    fh_status st = bind_plain_agg(b, call, spec, in, scope, err);
    if (st != FH_OK)
        return st;
    const char *name =
        item->name.len > 0 ? kql_bind_strdup(b, item->name) : agg_default_name(b, call, kind);
    fh_type type =
        kql_agg_result_type(kind, spec->value != NULL ? spec->value->type : FH_TYPE_LONG);
    spec->first_output = s->ncols;
    spec->noutputs = 1;
    if (add_column(b, s, name, type) != FH_OK)
        return kql_bind_error(b, call->loc, err, FH_ERR_NOMEM, "out of memory");
    return FH_OK;
}

fh_status kql_bind_summarize(kql_binder *b, const kql_operator *o, kql_op *input, kql_scope *scope,
                             kql_op **out, fh_error *err)
{
    *out = NULL;
    summary s = {0};
    const fh_schema *in = input->schema;
    size_t naggs = o->u.summarize.naggregates;
    s.aggs = fh_arena_alloc(b->arena, (naggs + 1) * sizeof *s.aggs);
    fh_status st =
        s.aggs != NULL ? FH_OK : kql_bind_error(b, o->loc, err, FH_ERR_NOMEM, "out of memory");
    if (st == FH_OK)
        st = bind_by(b, o, in, scope, &s, err);
    for (size_t i = 0; st == FH_OK && i < naggs; i++)
        st = bind_aggregate(b, &o->u.summarize.aggregates[i], in, scope, &s, err);
    if (st != FH_OK) {
        kql_op_destroy(input);
        return st;
    }
    st = kql_op_summarize_create(b->query, input, s.by, s.nby, s.aggs, s.naggs, s.cols, s.ncols,
                                 o->loc.line, o->loc.column, out, err);
    if (st != FH_OK) {
        kql_op_destroy(*out);
        *out = NULL;
    }
    return st;
}
